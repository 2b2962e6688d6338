#pragma once
// Writes resources back as config YAML: the inverse of the loader's normalisation.

#include <string>

#include "reconciler/model/resource.hpp"

namespace idform::importer {

// One YAML document (no leading "---") for `resource`: kind, name, id, then the spec's fields in
// catalogue order, members and assignments in their config forms, short lists in flow style.
// Fields whose value equals `defaults` (same spec form) are left out.
std::string to_yaml(const model::Resource& resource, const nlohmann::json& defaults);

}  // namespace idform::importer
