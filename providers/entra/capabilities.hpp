#pragma once
// What the config can say that Microsoft Graph v1.0 cannot: each use is an error naming the field
// and the provider, found before anything is read or written, never a silent drop.

#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

Diagnostics check_expressible(const model::DesiredState& desired);

}  // namespace idform::providers::entra
