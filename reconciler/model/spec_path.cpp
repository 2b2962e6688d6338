// Reads and writes a spec by the catalogue's dotted paths ("sso.saml.entity_id").
#include "reconciler/model/spec_path.hpp"

#include <string>

namespace idform::model {

const nlohmann::json* find_path(const nlohmann::json& spec, std::string_view path) {
  const nlohmann::json* node = &spec;
  while (!path.empty()) {
    auto dot = path.find('.');
    std::string key(path.substr(0, dot));
    if (!node->is_object()) return nullptr;
    auto found = node->find(key);
    if (found == node->end()) return nullptr;
    node = &*found;
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return node;
}

void set_path(nlohmann::json& spec, std::string_view path, nlohmann::json value) {
  nlohmann::json* node = &spec;
  while (true) {
    auto dot = path.find('.');
    std::string key(path.substr(0, dot));
    if (!node->is_object()) *node = nlohmann::json::object();
    if (dot == std::string_view::npos) {
      (*node)[key] = std::move(value);
      return;
    }
    node = &(*node)[key];
    path = path.substr(dot + 1);
  }
}

void erase_path(nlohmann::json& spec, std::string_view path) {
  auto dot = path.rfind('.');
  if (dot == std::string_view::npos) {
    if (spec.is_object()) spec.erase(std::string(path));
    return;
  }
  // const_cast is safe: find_path only navigates `spec`, which we own mutably here.
  auto* parent = const_cast<nlohmann::json*>(find_path(spec, path.substr(0, dot)));
  if (parent && parent->is_object()) parent->erase(std::string(path.substr(dot + 1)));
}

std::vector<std::string> strings_at(const nlohmann::json& spec, std::string_view path) {
  const nlohmann::json* value = spec.is_object() ? find_path(spec, path) : nullptr;
  std::vector<std::string> out;
  if (value && value->is_array())
    for (const auto& item : *value)
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

std::string string_at(const nlohmann::json& spec, std::string_view path, std::string fallback) {
  const nlohmann::json* value = find_path(spec, path);
  return value && value->is_string() ? value->get<std::string>() : fallback;
}

bool bool_at(const nlohmann::json& spec, std::string_view path, bool fallback) {
  const nlohmann::json* value = find_path(spec, path);
  return value && value->is_boolean() ? value->get<bool>() : fallback;
}

}  // namespace idform::model
