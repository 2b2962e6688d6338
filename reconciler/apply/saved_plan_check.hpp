#pragma once
// A saved plan is applied only if it is exactly what the current configuration and tenant would
// plan now. The plan file is a request for review, not a source of truth: someone may have
// edited it after review (removed its guards, injected deletes or member removals, renamed an
// object onto another), or it may be damaged. So `apply PLANFILE` plans again and compares; what
// it then applies is the fresh plan, whose guards come from the current idform.yaml.

#include <string>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace idform::apply {

// Every way `saved` differs from `fresh`, one line each naming the change and what differs
// ("group:sales: in the plan file but not planned now"); empty when they are the same plan.
std::vector<std::string> saved_plan_differences(const plan::Plan& saved, const plan::Plan& fresh);

}  // namespace idform::apply
