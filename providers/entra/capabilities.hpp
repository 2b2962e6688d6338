#pragma once
// What the config can say that Microsoft Graph v1.0 cannot: each use is an error naming the field
// and the provider, found before anything is read or written, never a silent drop.

#include <nlohmann/json.hpp>

#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

Diagnostics check_expressible(const model::DesiredState& desired);

// The JSON Schema of a `provider: entra` target's settings, providers/entra/settings.schema.json
// as compiled into the program: what the registry checks the target against.
nlohmann::json settings_schema();

}  // namespace idform::providers::entra
