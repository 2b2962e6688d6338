#pragma once
// Guards: a blast-radius budget and the access paths that bypass conditional access, from
// idform.yaml and from what the policies refer to. A plan that trips one is blocked; apply
// refuses it unless every tripped guard is accepted by name (`--accept GUARD`), or applies only
// what is neither blocked nor depends on a blocked change (`--skip-blocked`). docs/guards.md
// has the table of every guard.

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/plan/plan.hpp"

namespace idform::plan {

struct GuardSettings {
  std::optional<int> max_deletes;
  std::optional<int> max_member_removals;
  std::vector<std::string> protected_addresses;
};

// What the guards follow through references, worked out from both sides of the diff.
struct GuardContext {
  // Groups whose members bypass conditional access -> why: named in emergency_access, excluded
  // by an enabled policy, or nested in such a group.
  std::map<std::string, std::string> bypass_groups;
  // The ones whose bypass is enforced somewhere already: excluded by an enabled policy (as the
  // tenant has it or as the config makes it) that exists in the tenant, or nested in such a
  // group. Only additions to these trip bypass_membership.
  std::set<std::string> enforced_bypass_groups;
  // Named locations an enabled policy refers to -> that policy. "all_trusted" stands for every
  // location marked trusted.
  std::map<std::string, std::string> policy_locations;
};
GuardContext guard_context(const model::DesiredState& desired, const model::LiveState& live,
                           const std::vector<std::string>& emergency_access);

// The guard names, as `--accept` takes them.
inline constexpr const char* kGuardMaxDeletes = "max_deletes";
inline constexpr const char* kGuardMaxMemberRemovals = "max_member_removals";
inline constexpr const char* kGuardProtected = "protected";
inline constexpr const char* kGuardPolicyWeakening = "policy_weakening";
inline constexpr const char* kGuardBypassMembership = "bypass_membership";
inline constexpr const char* kGuardLocationWidening = "location_widening";

struct GuardDescription {
  const char* name;
  const char* trips;  // what trips it
  const char* why;
};
std::span<const GuardDescription> guard_descriptions();

// Fills plan.guards, each change's `guards` list and plan.remediations. Removing an entry whose
// `expires:` has passed never trips a guard.
void evaluate_guards(Plan& plan, const GuardSettings& settings, const GuardContext& context = {});

// The guards of `plan` not named in `accepted`.
std::vector<std::string> unaccepted_guards(const Plan& plan, const std::set<std::string>& accepted);

}  // namespace idform::plan
