#pragma once
// The project file, idform.yaml: targets, ownership of unmanaged objects, guards.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/config/source_map.hpp"
#include "reconciler/model/kind.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

struct Target {
  std::string name;
  std::string provider;       // "local", "entra", "ldap", ...
  nlohmann::json settings;    // the target's mapping as written (provider-specific keys)
  SourceLocation where;
  // What the provider's settings schema is checked against: the mapping without provider: and
  // plugin:, with the keys of its settings: mapping merged in (those win), and where each of its
  // nodes was written, by JSON Pointer into it.
  nlohmann::json provider_settings = nlohmann::json::object();
  SourceMap settings_sources = SourceMap();
};

// manage.<kind>: what idform may delete that the config does not mention.
struct Ownership {
  bool prune = false;
  std::string match;  // ECMAScript regex on the object name; empty = every name
};

struct Guards {
  std::optional<int> max_deletes;
  std::optional<int> max_member_removals;
  std::vector<std::string> protected_addresses;  // "group:break-glass"
};

struct Project {
  int version = 1;
  std::string default_target;
  std::map<std::string, Target> targets;
  std::map<model::Kind, Ownership> manage;
  Guards guards;
  std::vector<std::string> emergency_access;  // addresses that every CA policy must exclude
  std::vector<std::string> ignore;            // glob-like path prefixes not read as resources
};

}  // namespace idform::config
