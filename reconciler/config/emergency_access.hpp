#pragma once
// The lock-out lint: every conditional access policy that is not disabled must exclude each
// emergency-access (break-glass) object named in idform.yaml, so that no policy can lock out the
// accounts meant for when everything else fails.

#include <vector>

#include "reconciler/config/project.hpp"
#include "reconciler/model/resource.hpp"

namespace idform::config {

Diagnostics check_emergency_access(const Project& project, const std::vector<model::Resource>& resources);

}  // namespace idform::config
