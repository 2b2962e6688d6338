#pragma once
// What the config can say that Okta cannot express (or that this provider does not manage in
// Okta): one error per field, naming the field and provider "okta", never a silent drop.

#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

Diagnostics check_expressible(const model::DesiredState& desired);

}  // namespace idform::providers::okta
