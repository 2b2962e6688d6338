#pragma once
// Turns a schema-valid idform.yaml document into a Project.

#include "reconciler/config/project.hpp"
#include "reconciler/config/yaml_document.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

// Also checks what the schema cannot: every `match` compiles as a regular expression and
// `default_target` names a target. Problems go to `diagnostics`.
Project build_project(const YamlDocument& document, Diagnostics& diagnostics);

// The `ignore:` entries of an idform.yaml document, read leniently so that files can be found even
// while the project file has other errors.
std::vector<std::string> ignore_entries(const nlohmann::json& root);

}  // namespace idform::config
