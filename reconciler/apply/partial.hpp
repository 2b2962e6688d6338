#pragma once
// `apply --skip-blocked`: the part of a plan that no unaccepted guard blocks.

#include <set>
#include <string>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace idform::apply {

struct HeldBack {
  std::string address;
  plan::Action action = plan::Action::no_op;
  std::string reason;  // "blocked by guard bypass_membership", "depends on group:x, which is held back"
};

struct Selection {
  plan::Plan plan;                  // what may run: the plan's source and grants, fewer changes
  std::vector<HeldBack> held_back;  // in plan order
};

// Changes tripping a guard not in `accepted` are held back, and so is every change that depends
// on one (transitively). A held-back update that also removes entries whose expiry has passed
// keeps just those removals, so that expired access goes whatever is blocked elsewhere.
Selection select_unblocked(const plan::Plan& plan, const std::set<std::string>& accepted);

}  // namespace idform::apply
