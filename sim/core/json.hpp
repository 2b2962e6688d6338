#pragma once
// idp-sim keeps vendor JSON in insertion order so that objects are served back exactly as seeded.
#include <string>

#include <nlohmann/json.hpp>

namespace idp_sim {
using Json = nlohmann::ordered_json;

// The string at `key`, or "" when it is missing, null or not a string. Vendor objects hold nulls
// in many string properties ("mail": null), where `value(key, "")` would throw.
inline std::string string_field(const Json& object, const std::string& key) {
  if (!object.is_object()) return {};
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}
}  // namespace idp_sim
