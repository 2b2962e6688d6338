#pragma once
// The stale-plan check: before a saved plan is applied, every object it touches is compared
// with the tenant as it is now.

#include <string>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/plan/plan.hpp"

namespace idform::apply {

struct StaleObject {
  std::string address;
  std::string what;  // "members, description changed", "was deleted", "now exists"
};

// Objects whose live fingerprint differs from the one the plan was computed from, objects that
// disappeared, and objects a create would collide with because they appeared meanwhile.
std::vector<StaleObject> find_stale(const plan::Plan& plan, const model::LiveState& now);

}  // namespace idform::apply
