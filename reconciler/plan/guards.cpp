// Each guard looks at the whole plan. Policy weakening is judged per conditional access policy:
// a state downgrade (enabled -> report-only/disabled), a grant control removed, an exclusion
// added, an inclusion removed, or the deletion of a policy that was enforced.

#include "reconciler/plan/guards.hpp"

#include <algorithm>

#include "reconciler/util/strings.hpp"

namespace idform::plan {
namespace {

void trip(Plan& plan, const std::string& guard, const std::string& message, std::vector<Change*> changes) {
  GuardFinding finding{guard, message, {}};
  for (Change* change : changes) {
    finding.addresses.push_back(change->address);
    if (std::find(change->guards.begin(), change->guards.end(), guard) == change->guards.end())
      change->guards.push_back(guard);
  }
  plan.guards.push_back(std::move(finding));
}

int state_strength(const nlohmann::json& state) {
  if (state == "enabled") return 2;
  if (state == "report-only") return 1;
  return 0;
}

// Why a policy change weakens the policy; empty when it does not.
std::vector<std::string> weakenings(const Change& change) {
  std::vector<std::string> reasons;
  if (change.kind != model::Kind::conditional_access_policy) return reasons;
  if (change.action == Action::delete_) {
    if (change.live.is_object() && change.live.value("state", "") == "enabled")
      reasons.push_back("deletes an enabled policy");
    return reasons;
  }
  if (change.action != Action::update) return reasons;
  for (const AttributeChange& attribute : change.attributes) {
    const std::string& path = attribute.path;
    if (path == "state" && state_strength(attribute.after) < state_strength(attribute.before))
      reasons.push_back("state " + attribute.before.dump() + " -> " + attribute.after.dump());
    if (path == "grant.controls" && !attribute.removed.empty())
      reasons.push_back("removes grant control(s) " + util::join(attribute.removed, ", "));
    if (path.ends_with(".exclude") && !attribute.added.empty())
      reasons.push_back("adds exclusion(s) to " + path + ": " + util::join(attribute.added, ", "));
    if (path.ends_with(".include") && !attribute.removed.empty())
      reasons.push_back("narrows " + path + " by removing " + util::join(attribute.removed, ", "));
  }
  return reasons;
}

}  // namespace

void evaluate_guards(Plan& plan, const GuardSettings& settings) {
  plan.guards.clear();
  for (Change& change : plan.changes) change.guards.clear();

  std::vector<Change*> deletes;
  for (Change& change : plan.changes)
    if (change.action == Action::delete_) deletes.push_back(&change);
  if (settings.max_deletes && static_cast<int>(deletes.size()) > *settings.max_deletes)
    trip(plan, kGuardMaxDeletes,
         std::to_string(deletes.size()) + " deletions exceed max_deletes (" +
             std::to_string(*settings.max_deletes) + ")",
         deletes);

  int removals = 0;
  std::vector<Change*> removing;
  for (Change& change : plan.changes)
    for (const AttributeChange& attribute : change.attributes)
      if (attribute.path == "members" && !attribute.removed.empty()) {
        removals += static_cast<int>(attribute.removed.size());
        removing.push_back(&change);
      }
  if (settings.max_member_removals && removals > *settings.max_member_removals)
    trip(plan, kGuardMaxMemberRemovals,
         std::to_string(removals) + " member removals exceed max_member_removals (" +
             std::to_string(*settings.max_member_removals) + ")",
         removing);

  for (Change& change : plan.changes) {
    bool is_protected = std::find(settings.protected_addresses.begin(), settings.protected_addresses.end(),
                                  change.address) != settings.protected_addresses.end();
    if (!is_protected) continue;
    std::vector<std::string> what;
    if (change.action == Action::delete_) what.push_back("deletes it");
    for (const AttributeChange& attribute : change.attributes)
      if (attribute.is_set && !attribute.removed.empty())
        what.push_back("removes " + std::to_string(attribute.removed.size()) + " from " + attribute.path);
    if (change.action == Action::update)
      for (const AttributeChange& attribute : change.attributes)
        if (attribute.path == "name") what.push_back("renames it");
    if (!what.empty())
      trip(plan, kGuardProtected, change.address + " is protected; this plan " + util::join(what, " and "), {&change});
  }

  for (Change& change : plan.changes) {
    std::vector<std::string> reasons = weakenings(change);
    if (!reasons.empty())
      trip(plan, kGuardPolicyWeakening, change.address + " is weakened: " + util::join(reasons, "; "), {&change});
  }
}

std::vector<std::string> unaccepted_guards(const Plan& plan, const std::set<std::string>& accepted) {
  std::set<std::string> out;
  for (const GuardFinding& finding : plan.guards)
    if (!accepted.contains(finding.guard)) out.insert(finding.guard);
  return {out.begin(), out.end()};
}

}  // namespace idform::plan
