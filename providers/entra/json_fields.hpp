#pragma once
// Null-tolerant reads of Graph JSON. Graph returns null for most unset properties (and leaves
// some out entirely); nlohmann's value() throws on a null of the wrong type, so every read of a
// Graph object goes through these.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace idform::providers::entra {

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

}  // namespace idform::providers::entra
