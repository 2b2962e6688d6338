#pragma once
// Null-tolerant reads of Okta JSON. Okta leaves unset properties out or sends them as null, and
// nlohmann's value() throws on a null of the wrong type, so every read of an Okta object goes
// through these.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace idform::providers::okta {

inline std::string text(const nlohmann::json& object, const char* key, const std::string& fallback = "") {
  if (!object.is_object()) return fallback;
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : fallback;
}

inline bool flag(const nlohmann::json& object, const char* key, bool fallback = false) {
  if (!object.is_object()) return fallback;
  auto found = object.find(key);
  return found != object.end() && found->is_boolean() ? found->get<bool>() : fallback;
}

inline nlohmann::json child(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nlohmann::json::object();
  auto found = object.find(key);
  return found != object.end() && found->is_object() ? *found : nlohmann::json::object();
}

inline nlohmann::json items(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nlohmann::json::array();
  auto found = object.find(key);
  return found != object.end() && found->is_array() ? *found : nlohmann::json::array();
}

inline std::vector<std::string> texts(const nlohmann::json& object, const char* key) {
  std::vector<std::string> out;
  for (const auto& item : items(object, key))
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

// The id at the end of a HAL link: _links.accessPolicy.href ".../policies/rst1" -> "rst1".
inline std::string linked_id(const nlohmann::json& object, const char* link) {
  std::string href = text(child(child(object, "_links"), link), "href");
  auto slash = href.rfind('/');
  return slash == std::string::npos ? std::string() : href.substr(slash + 1);
}

}  // namespace idform::providers::okta
