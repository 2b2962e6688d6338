#pragma once
// What the config can say that Okta cannot express (or that this provider does not manage in
// Okta): one error per field, naming the field and provider "okta", never a silent drop.

#include <nlohmann/json.hpp>

#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

Diagnostics check_expressible(const model::DesiredState& desired);

// The JSON Schema of a `provider: okta` target's settings, providers/okta/settings.schema.json
// as compiled into the program: what the registry checks the target against.
nlohmann::json settings_schema();

}  // namespace idform::providers::okta
