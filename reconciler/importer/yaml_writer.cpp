// Writes resources back as config YAML, the inverse of the loader's normalisation.
#include "reconciler/importer/yaml_writer.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>

#include "reconciler/model/normalize.hpp"
#include "reconciler/model/spec_path.hpp"

namespace idform::importer {
namespace {

using model::FieldType;

// A string scalar, tagged so the emitter knows to quote it if it would read back as another type.
YAML::Node text(const std::string& value) {
  YAML::Node node(value);
  node.SetTag("!");
  return node;
}

// The config form of one member or assignment element.
YAML::Node entry_node(FieldType type, const std::string& element) {
  model::AssignmentElement parsed = model::AssignmentElement::parse(element);
  YAML::Node node;
  if (type == FieldType::members && parsed.principal.type == "user") return text(parsed.principal.value);
  node[parsed.principal.type] = text(parsed.principal.value);
  if (!parsed.role.empty()) node["role"] = text(parsed.role);
  return node;
}

YAML::Node value_node(const model::Field& field, const nlohmann::json& value) {
  if (value.is_boolean()) return YAML::Node(value.get<bool>());
  if (value.is_number_integer()) return YAML::Node(value.get<long long>());
  if (value.is_string()) return text(value.get<std::string>());
  YAML::Node list(YAML::NodeType::Sequence);
  if (!value.is_array()) return list;
  size_t width = 0;
  for (const auto& item : value) {
    std::string element = item.is_string() ? item.get<std::string>() : item.dump();
    width += element.size() + 2;
    if (field.type == FieldType::members || field.type == FieldType::assignments)
      list.push_back(entry_node(field.type, element));
    else
      list.push_back(text(element));
  }
  bool entries = field.type == FieldType::members || field.type == FieldType::assignments;
  if (!entries && width <= 70) list.SetStyle(YAML::EmitterStyle::Flow);
  return list;
}

// Inserts `value` at a dotted path of a YAML map, creating nested maps in order of first use.
void insert(YAML::Node& root, std::string_view path, const YAML::Node& value) {
  auto dot = path.find('.');
  std::string key(path.substr(0, dot));
  if (dot == std::string_view::npos) {
    root[key] = value;
    return;
  }
  YAML::Node child = root[key];
  if (!child.IsMap()) {
    child = YAML::Node(YAML::NodeType::Map);
    root[key] = child;
  }
  insert(child, path.substr(dot + 1), value);
}

// Plain scalars that a YAML reader would not read back as this string (booleans, nulls, numbers,
// in YAML 1.2 and the 1.1 spellings other tools still use) are written double-quoted.
bool needs_quotes(const std::string& text) {
  static const std::regex kTyped(
      R"(^(|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$|)"
      R"(^[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?$|^[-+]?\.[0-9]+([eE][-+]?[0-9]+)?$|)"
      R"(^0[xo][0-9a-fA-F_]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$)");
  return std::regex_match(text, kTyped);
}

void emit(YAML::Emitter& out, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (const auto& entry : node) {
        out << YAML::Key << entry.first.as<std::string>() << YAML::Value;
        emit(out, entry.second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      if (node.Style() == YAML::EmitterStyle::Flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : node) emit(out, item);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar: {
      if (node.Tag() == "!" && needs_quotes(node.Scalar())) out << YAML::DoubleQuoted;
      out << node.Scalar();
      break;
    }
    default:
      out << YAML::Null;
  }
}

}  // namespace

std::map<std::string, std::string> unwritable_fields(const model::Resource& resource) {
  std::map<std::string, std::string> out;
  for (const model::Field& field : model::fields_of(resource.kind)) {
    if (field.type != FieldType::members && field.type != FieldType::assignments) continue;
    const nlohmann::json* list = model::find_path(resource.spec, field.path);
    if (!list || !list->is_array()) continue;
    for (const auto& item : *list) {
      if (!item.is_string()) continue;
      model::AssignmentElement element = model::AssignmentElement::parse(item.get<std::string>());
      if (element.principal.type == "user" || element.principal.type == "group") continue;
      out.emplace(std::string(field.path), "includes " + element.principal.to_string() +
                                               ", a kind of principal the config has no word for");
      break;
    }
  }
  return out;
}

std::string comment_line(std::string_view text) {
  std::string out;
  for (unsigned char c : text) out += c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
  return out;
}

std::string to_yaml(const model::Resource& resource, const nlohmann::json& defaults, const YamlWriteOptions& options) {
  YAML::Node document(YAML::NodeType::Map);
  document["kind"] = std::string(model::kind_document_name(resource.kind));
  document["name"] = text(resource.name);
  if (!resource.id.empty()) document["id"] = text(resource.id);
  nlohmann::json spec = options.identity_only ? nlohmann::json::object() : model::normalize_spec(resource.kind, resource.spec);
  nlohmann::json normal_defaults = defaults.is_object() ? model::normalize_spec(resource.kind, defaults) : nlohmann::json();
  for (const model::Field& field : model::fields_of(resource.kind)) {
    if (field.sensitive) continue;  // never written
    if (std::any_of(options.left_out.begin(), options.left_out.end(), [&](const std::string& out) {
          return field.path == out || field.path.starts_with(out + ".");
        }))
      continue;
    const nlohmann::json* value = model::find_path(spec, field.path);
    if (!value || value->is_null()) continue;
    const nlohmann::json* fallback = model::find_path(normal_defaults, field.path);
    if (fallback && *fallback == *value) continue;
    insert(document, field.path, value_node(field, *value));
  }
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, document);
  std::string header;
  for (const std::string& line : options.comments) header += "# " + comment_line(line) + "\n";
  return header + std::string(out.c_str()) + "\n";
}

}  // namespace idform::importer
