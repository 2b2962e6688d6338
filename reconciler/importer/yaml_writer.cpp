#include "reconciler/importer/yaml_writer.hpp"

#include <yaml-cpp/yaml.h>

#include "reconciler/model/normalize.hpp"
#include "reconciler/model/spec_path.hpp"

namespace idform::importer {
namespace {

using model::FieldType;

// The config form of one member or assignment element.
YAML::Node entry_node(FieldType type, const std::string& element) {
  model::AssignmentElement parsed = model::AssignmentElement::parse(element);
  YAML::Node node;
  if (type == FieldType::members && parsed.principal.type == "user") return YAML::Node(parsed.principal.value);
  node[parsed.principal.type] = parsed.principal.value;
  if (!parsed.role.empty()) node["role"] = parsed.role;
  return node;
}

YAML::Node value_node(const model::Field& field, const nlohmann::json& value) {
  if (value.is_boolean()) return YAML::Node(value.get<bool>());
  if (value.is_number_integer()) return YAML::Node(value.get<long long>());
  if (value.is_string()) return YAML::Node(value.get<std::string>());
  YAML::Node list(YAML::NodeType::Sequence);
  if (!value.is_array()) return list;
  size_t width = 0;
  for (const auto& item : value) {
    std::string text = item.is_string() ? item.get<std::string>() : item.dump();
    width += text.size() + 2;
    if (field.type == FieldType::members || field.type == FieldType::assignments)
      list.push_back(entry_node(field.type, text));
    else
      list.push_back(text);
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

}  // namespace

std::string to_yaml(const model::Resource& resource, const nlohmann::json& defaults) {
  YAML::Node document(YAML::NodeType::Map);
  document["kind"] = std::string(model::kind_document_name(resource.kind));
  document["name"] = resource.name;
  if (!resource.id.empty()) document["id"] = resource.id;
  nlohmann::json spec = model::normalize_spec(resource.kind, resource.spec);
  nlohmann::json normal_defaults = defaults.is_object() ? model::normalize_spec(resource.kind, defaults) : nlohmann::json();
  for (const model::Field& field : model::fields_of(resource.kind)) {
    if (field.sensitive) continue;  // never written
    const nlohmann::json* value = model::find_path(spec, field.path);
    if (!value || value->is_null()) continue;
    const nlohmann::json* fallback = model::find_path(normal_defaults, field.path);
    if (fallback && *fallback == *value) continue;
    insert(document, field.path, value_node(field, *value));
  }
  YAML::Emitter out;
  out.SetIndent(2);
  out << document;
  return std::string(out.c_str()) + "\n";
}

}  // namespace idform::importer
