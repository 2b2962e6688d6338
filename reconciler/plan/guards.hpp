#pragma once
// Guards: a blast-radius budget from idform.yaml. A plan that trips one is blocked, and apply
// refuses it unless every tripped guard is accepted by name (`--accept GUARD`).

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace idform::plan {

struct GuardSettings {
  std::optional<int> max_deletes;
  std::optional<int> max_member_removals;
  std::vector<std::string> protected_addresses;
};

// The guard names, as `--accept` takes them.
inline constexpr const char* kGuardMaxDeletes = "max_deletes";
inline constexpr const char* kGuardMaxMemberRemovals = "max_member_removals";
inline constexpr const char* kGuardProtected = "protected";
inline constexpr const char* kGuardPolicyWeakening = "policy_weakening";

// Fills plan.guards and each change's `guards` list.
void evaluate_guards(Plan& plan, const GuardSettings& settings);

// The guards of `plan` not named in `accepted`.
std::vector<std::string> unaccepted_guards(const Plan& plan, const std::set<std::string>& accepted);

}  // namespace idform::plan
