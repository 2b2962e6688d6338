#pragma once
// Reads a config repository: idform.yaml plus every resource document under the directory.
//
// Each document is validated against the JSON Schema of its kind (schemas/), schema errors are
// mapped back to the YAML node they concern, then names and typed references are checked. All
// problems are collected and returned together; the config is usable only when there are none.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "reconciler/config/project.hpp"
#include "reconciler/config/target_settings.hpp"
#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

struct LoadedConfig {
  std::filesystem::path root;
  Project project;
  model::DesiredState desired;
  std::vector<std::filesystem::path> files;  // every file read, sorted (for the config hash)
};

struct LoadResult {
  LoadedConfig config;
  Diagnostics diagnostics;  // empty = valid
  Diagnostics warnings;     // values the identity provider accepts but that deserve a look
  bool ok() const { return diagnostics.empty(); }
};

// Called with the project as soon as idform.yaml has been read without a problem, before the
// resource files are: a caller can start work that needs only the project (such as reading the
// live tenant) while the rest loads.
using ProjectReady = std::function<void(const Project&)>;

// Validates against the schemas built into the program (schemas/ at build time). Paths in diagnostics and in
// LoadedConfig::files start with `dir` as given ("examples/acme/groups/x.yaml"; no "./" for ".").
// The settings of each target whose provider has a schema in `settings_schemas` (the built-in
// providers', which need no process to ask) are checked against it with the project file; a
// plugin's are checked when it is started (target_settings.hpp).
LoadResult load_config(const std::filesystem::path& dir, const ProjectReady& project_ready = {},
                       const SettingsSchemas& settings_schemas = {});

// idform.yaml alone, validated against its schema; its addresses (guards.protected,
// emergency_access) are not checked against the objects, which may not be written yet (import).
LoadResult load_project(const std::filesystem::path& dir, const SettingsSchemas& settings_schemas = {});

}  // namespace idform::config
