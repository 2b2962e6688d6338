#pragma once
// What the config can say that an LDAP directory cannot hold: applications, conditional access
// policies and named locations are not directory objects, and group owners are not managed by
// this provider. One error per resource or field, naming provider "ldap", never a silent drop.

#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::ldap {

Diagnostics check_expressible(const model::DesiredState& desired);

}  // namespace idform::providers::ldap
