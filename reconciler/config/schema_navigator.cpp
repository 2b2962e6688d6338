// Finds the parts of a JSON Schema that apply to one node of a document.
#include "reconciler/config/schema_navigator.hpp"

#include <algorithm>
#include <charconv>

namespace idform::config {
namespace {

// Bounds $ref chains; our schemas nest a handful of levels, a cycle would not end.
constexpr int kMaxDepth = 32;

std::optional<std::size_t> as_index(const std::string& token) {
  std::size_t index = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
  if (error != std::errc{} || end != token.data() + token.size()) return std::nullopt;
  return index;
}

}  // namespace

void SchemaNavigator::expand(const nlohmann::json& schema, std::vector<const nlohmann::json*>& out,
                             int depth) const {
  if (!schema.is_object() || depth > kMaxDepth) return;
  // Like valijson (and draft-07), a $ref replaces its siblings.
  if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
    const std::string target = ref->get<std::string>();
    if (target.rfind('#', 0) != 0) return;
    JsonPointer pointer(target.substr(1));
    if (m_schema.contains(pointer)) expand(m_schema.at(pointer), out, depth + 1);
    return;
  }
  out.push_back(&schema);
  for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
    if (auto list = schema.find(combinator); list != schema.end() && list->is_array())
      for (const auto& branch : *list) expand(branch, out, depth + 1);
  }
  for (const char* branch : {"then", "else"}) {
    if (auto found = schema.find(branch); found != schema.end()) expand(*found, out, depth + 1);
  }
}

std::vector<const nlohmann::json*> SchemaNavigator::step(
    const std::vector<const nlohmann::json*>& schemas, const nlohmann::json& node,
    const std::string& token) const {
  std::vector<const nlohmann::json*> out;
  for (const nlohmann::json* schema : schemas) {
    if (node.is_array()) {
      auto items = schema->find("items");
      auto index = as_index(token);
      if (items == schema->end() || !index) continue;
      if (items->is_object()) expand(*items, out, 0);
      else if (items->is_array() && *index < items->size()) expand((*items)[*index], out, 0);
      continue;
    }
    auto properties = schema->find("properties");
    if (properties != schema->end() && properties->contains(token)) {
      expand((*properties)[token], out, 0);
      continue;
    }
    auto additional = schema->find("additionalProperties");
    if (additional != schema->end() && additional->is_object()) expand(*additional, out, 0);
  }
  return out;
}

std::vector<const nlohmann::json*> SchemaNavigator::candidates(const nlohmann::json& document,
                                                               const JsonPointer& pointer) const {
  std::vector<const nlohmann::json*> schemas;
  expand(m_schema, schemas, 0);
  const nlohmann::json* node = &document;
  for (const std::string& token : pointer_tokens(pointer)) {
    if (!node || schemas.empty()) return {};
    schemas = step(schemas, *node, token);
    if (node->is_array()) {
      auto index = as_index(token);
      node = index && *index < node->size() ? &(*node)[*index] : nullptr;
    } else {
      node = node->is_object() && node->contains(token) ? &(*node)[token] : nullptr;
    }
  }
  return schemas;
}

std::vector<std::string> declared_properties(const std::vector<const nlohmann::json*>& schemas) {
  std::vector<std::string> names;
  for (const nlohmann::json* schema : schemas) {
    auto properties = schema->find("properties");
    if (properties == schema->end() || !properties->is_object()) continue;
    for (const auto& [name, _] : properties->items()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace idform::config
