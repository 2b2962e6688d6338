#pragma once
// Helpers of the incremental-read tests: a live state as one canonical JSON value (resources sorted
// by kind and id, lists of strings sorted), so that an incremental read and a full read of the same
// tenant compare with ==, and the first difference can be printed; and the seed of a randomised
// test, from an environment variable or a fixed default, for reproducing a failure.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/model/resource.hpp"

namespace idform::testing {

inline void sort_string_lists(nlohmann::json& value) {
  if (value.is_object()) {
    for (auto& [key, child] : value.items()) sort_string_lists(child);
  } else if (value.is_array()) {
    for (auto& child : value) sort_string_lists(child);
    if (std::all_of(value.begin(), value.end(), [](const nlohmann::json& item) { return item.is_string(); }))
      std::sort(value.begin(), value.end());
  }
}

inline nlohmann::json canonical_resources(const model::LiveState& state) {
  nlohmann::json out = nlohmann::json::array();
  for (const model::Resource& resource : state.resources) {
    nlohmann::json spec = resource.spec;
    sort_string_lists(spec);
    out.push_back({{"kind", std::string(model::kind_prefix(resource.kind))}, {"id", resource.id}, {"name", resource.name},
                   {"read_only", resource.read_only}, {"spec", spec}});
  }
  std::sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return std::make_pair(a["kind"].get<std::string>(), a["id"].get<std::string>()) <
           std::make_pair(b["kind"].get<std::string>(), b["id"].get<std::string>());
  });
  return out;
}

// The first resource that differs between two canonical lists, for the failure message.
inline std::string first_difference(const nlohmann::json& incremental, const nlohmann::json& full) {
  nlohmann::json patch = nlohmann::json::diff(full, incremental);
  return patch.empty() ? "" : patch.dump().substr(0, 2000);
}

inline std::uint32_t seed_from_env(const char* variable, std::uint32_t fallback) {
  const char* text = std::getenv(variable);
  return text && *text ? static_cast<std::uint32_t>(std::strtoul(text, nullptr, 10)) : fallback;
}

inline int count_from_env(const char* variable, int fallback) {
  const char* text = std::getenv(variable);
  return text && *text ? std::atoi(text) : fallback;
}

}  // namespace idform::testing
