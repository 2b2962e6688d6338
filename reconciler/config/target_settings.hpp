#pragma once
// A target's settings checked against the JSON Schema its provider supplies.
//
// The core's idform.schema.json knows no provider: a target is `provider:`, an optional
// `plugin:` and whatever settings its provider has. Each provider describes those settings with a
// schema of its own (a built-in one in the program, a plugin's in its handshake), and this checks
// them against it with the same wording and positions as every other schema error:
// "idform.yaml:6:20: targets.prod.auth.method: ...".

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/config/project.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

// Provider name -> the JSON Schema (draft 7) of its targets' settings.
using SettingsSchemas = std::map<std::string, nlohmann::json>;

// The problems of `target`'s settings (Target::provider_settings) under `schema`, each at the
// file:line:col where it was written; a schema that does not compile is one problem at the target.
Diagnostics check_target_settings(const Target& target, const nlohmann::json& schema);

// check_target_settings for every target whose provider has a schema in `schemas`.
Diagnostics check_targets_settings(const Project& project, const SettingsSchemas& schemas);

}  // namespace idform::config
