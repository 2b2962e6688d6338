#pragma once
// Null-tolerant reads of vendor JSON. Graph returns null for most unset properties and leaves some
// out; Okta leaves unset properties out or sends null. nlohmann's value() throws on a null of the
// wrong type, so every read of a vendor object goes through these.
//
// child() and items() return a reference into the object (or to a shared empty value) when given
// an lvalue, and a copy when given a temporary, so no caller can hold a reference into a dead one.

#include <charconv>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace idform::providers::common {

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

// An integer member; a string of digits is read as its number too (OAuth token endpoints have sent
// `expires_in` both ways), anything else is the fallback.
inline long long integer(const nlohmann::json& object, const char* key, long long fallback) {
  if (!object.is_object()) return fallback;
  auto found = object.find(key);
  if (found == object.end()) return fallback;
  if (found->is_number_integer()) return found->get<long long>();
  if (!found->is_string()) return fallback;
  const std::string& digits = found->get_ref<const std::string&>();
  long long value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc() && end == digits.data() + digits.size() ? value : fallback;
}

inline const nlohmann::json& child(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  if (!object.is_object()) return kEmpty;
  auto found = object.find(key);
  return found != object.end() && found->is_object() ? *found : kEmpty;
}
inline nlohmann::json child(nlohmann::json&& object, const char* key) { return child(object, key); }

inline const nlohmann::json& items(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (!object.is_object()) return kEmpty;
  auto found = object.find(key);
  return found != object.end() && found->is_array() ? *found : kEmpty;
}
inline nlohmann::json items(nlohmann::json&& object, const char* key) { return items(object, key); }

inline std::vector<std::string> texts(const nlohmann::json& object, const char* key) {
  std::vector<std::string> out;
  for (const auto& item : items(object, key))
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

}  // namespace idform::providers::common
