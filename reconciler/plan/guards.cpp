// Each guard looks at the whole plan. The budget guards count deletions and member removals; the
// others follow references: a member added to a group whose members bypass conditional access
// (excluded by an enabled policy that exists in the tenant, or nested in such a group), a named
// location an enabled policy refers to made wider, a policy made weaker (weakening.cpp), and
// anything that deletes, renames or empties a protected object. Removing an entry whose
// `expires:` has passed never trips a guard, and removing members a protected group gained
// outside the config is remediation: called out in plan.remediations, not blocked.

#include "reconciler/plan/guards.hpp"

#include <algorithm>
#include <array>

#include "reconciler/model/spec_path.hpp"
#include "reconciler/plan/weakening.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::plan {
namespace {

constexpr std::array<GuardDescription, 6> kGuards{{
    {kGuardMaxDeletes, "more deletions in one plan than guards.max_deletes",
     "a mistaken prune rule or a bad merge deletes many objects at once"},
    {kGuardMaxMemberRemovals,
     "more member removals (expired entries not counted) than guards.max_member_removals",
     "an emptied member list or a typo in a group removes many people's access at once"},
    {kGuardProtected,
     "deleting or renaming an object in guards.protected, removing every member or owner of a protected "
     "group, or removing anything else from a protected object",
     "break-glass accounts and their policies must outlive any single change"},
    {kGuardPolicyWeakening,
     "a change that makes an enabled or report-only policy apply to fewer sign-ins or require less, or "
     "deletes an enabled policy",
     "a weaker policy lets sign-ins through that it stopped before"},
    {kGuardBypassMembership,
     "a member or owner added to a group excluded by an enabled policy that exists in the tenant (break-glass "
     "groups named in emergency_access are), or nested in such a group",
     "its members sign in without those policies' controls: an addition is an MFA bypass"},
    {kGuardLocationWidening,
     "ranges or countries added to a named location an enabled policy refers to, or its trusted or "
     "include_unknown_countries switched on",
     "a wider location changes who the policy exempts or targets, e.g. 0.0.0.0/0 marked trusted"},
}};

void trip(Plan& plan, const std::string& guard, const std::string& message, std::vector<Change*> changes) {
  GuardFinding finding{guard, message, {}};
  for (Change* change : changes) {
    finding.addresses.push_back(change->address);
    if (std::find(change->guards.begin(), change->guards.end(), guard) == change->guards.end())
      change->guards.push_back(guard);
  }
  plan.guards.push_back(std::move(finding));
}

// The elements an attribute removes, without those whose entry expired.
std::vector<std::string> removals(const AttributeChange& attribute) {
  std::vector<std::string> out;
  for (const std::string& element : attribute.removed)
    if (!removes_expired(attribute, element)) out.push_back(element);
  return out;
}

void check_budget(Plan& plan, const GuardSettings& settings) {
  std::vector<Change*> deletes;
  for (Change& change : plan.changes)
    if (change.action == Action::delete_) deletes.push_back(&change);
  if (settings.max_deletes && static_cast<int>(deletes.size()) > *settings.max_deletes)
    trip(plan, kGuardMaxDeletes,
         std::to_string(deletes.size()) + " deletions exceed max_deletes (" + std::to_string(*settings.max_deletes) + ")",
         deletes);

  int count = 0;
  std::vector<Change*> removing;
  for (Change& change : plan.changes)
    for (const AttributeChange& attribute : change.attributes)
      if (attribute.path == "members") {
        std::size_t removed = removals(attribute).size();
        if (removed == 0) continue;
        count += static_cast<int>(removed);
        removing.push_back(&change);
      }
  if (settings.max_member_removals && count > *settings.max_member_removals)
    trip(plan, kGuardMaxMemberRemovals,
         std::to_string(count) + " member removals exceed max_member_removals (" +
             std::to_string(*settings.max_member_removals) + ")",
         removing);
}

void check_protected(Plan& plan, Change& change) {
  std::vector<std::string> what;
  std::vector<std::string> remediated;
  if (change.action == Action::delete_) what.push_back("deletes it");
  for (const AttributeChange& attribute : change.attributes) {
    if (attribute.path == "name" && change.action == Action::update) what.push_back("renames it");
    if (!attribute.is_set) continue;
    std::vector<std::string> removed = removals(attribute);
    if (removed.empty()) continue;
    bool people = attribute.path == "members" || attribute.path == "owners";
    if (people && is_empty_list(attribute.after))
      what.push_back("removes every one of its " + attribute.path);
    else if (people)
      remediated.push_back(util::join(removed, ", ") + " from " + attribute.path);
    else
      what.push_back("removes " + std::to_string(removed.size()) + " from " + attribute.path);
  }
  if (!what.empty())
    trip(plan, kGuardProtected, change.address + " is protected; this plan " + util::join(what, " and "), {&change});
  if (!remediated.empty())
    plan.remediations.push_back({kGuardProtected,
                                 change.address + " is protected; this plan removes " + util::join(remediated, "; ") +
                                     ", which the configuration does not list (restoring it, not blocked)",
                                 {change.address}});
}

// Updates only, and only where the bypass is real: the group is excluded by an enabled policy
// that exists in the tenant (as the tenant has it, or as this plan leaves it), or nested in such
// a group. A group created by this plan can only be excluded by a policy through an exclusion
// this plan adds (policy_weakening) or by a policy this plan creates, which weakens nothing that
// was enforced before; the same holds for an existing group that no existing policy excludes yet,
// which is what an apply stopped between creating break-glass (and its members, one request each
// on Okta) and creating its policies leaves behind.
void check_bypass(Plan& plan, Change& change, const GuardContext& context) {
  if (change.kind != model::Kind::group || change.action != Action::update) return;
  auto bypass = context.bypass_groups.find(change.address);
  if (bypass == context.bypass_groups.end()) return;
  if (!context.enforced_bypass_groups.contains(change.address)) return;
  std::vector<std::string> added;
  for (const AttributeChange& attribute : change.attributes)
    if (attribute.path == "members" || attribute.path == "owners")
      for (const std::string& element : attribute.added) added.push_back(element + " (" + attribute.path + ")");
  if (added.empty()) return;
  trip(plan, kGuardBypassMembership,
       change.address + " bypasses conditional access (" + bypass->second + "); this plan adds " +
           util::join(added, ", "),
       {&change});
}

void check_location(Plan& plan, Change& change, const GuardContext& context) {
  if (change.kind != model::Kind::named_location) return;
  auto policy = context.policy_locations.find(change.address);
  bool trusted = model::bool_at(change.desired, "trusted") || model::bool_at(change.live, "trusted");
  if (policy == context.policy_locations.end() && trusted) policy = context.policy_locations.find("all_trusted");
  if (policy == context.policy_locations.end()) return;
  std::vector<std::string> reasons = location_widenings(change);
  if (reasons.empty()) return;
  trip(plan, kGuardLocationWidening,
       change.address + " is referred to by enabled " + policy->second + "; this plan " + util::join(reasons, " and "),
       {&change});
}

void note_policy(const model::Resource& policy, const nlohmann::json& spec, bool exists, GuardContext& context) {
  if (model::string_at(spec, "state") != "enabled") return;
  std::string address = policy.address();
  if (const nlohmann::json* excluded = model::find_path(spec, "users.exclude"); excluded && excluded->is_array())
    for (const auto& item : *excluded)
      if (item.is_string() && item.get_ref<const std::string&>().starts_with("group:")) {
        context.bypass_groups.emplace(item.get<std::string>(), "excluded by enabled " + address);
        if (exists) context.enforced_bypass_groups.insert(item.get<std::string>());
      }
  for (const char* path : {"locations.include", "locations.exclude"})
    if (const nlohmann::json* locations = model::find_path(spec, path); locations && locations->is_array())
      for (const auto& item : *locations)
        if (item.is_string()) context.policy_locations.emplace(item.get<std::string>(), address);
}

// Calls visit(outer, inner) for every group `inner` listed as a member of a group `outer`, over
// and over until no call reports that it grew something (a fixpoint, so nesting to any depth).
template <typename Visit>
void for_each_nested(const std::vector<const model::Resource*>& groups, Visit visit) {
  bool grew = true;
  while (grew) {
    grew = false;
    for (const model::Resource* group : groups) {
      const nlohmann::json* members = model::find_path(group->spec, "members");
      if (!members || !members->is_array()) continue;
      for (const auto& item : *members)
        if (item.is_string() && item.get_ref<const std::string&>().starts_with("group:") &&
            visit(group->address(), item.get<std::string>()))
          grew = true;
    }
  }
}

// Members of a bypass group's nested groups bypass as well: follow group members (as the config
// and the tenant list them) to a fixpoint.
void add_nested(const std::vector<const model::Resource*>& groups, GuardContext& context) {
  for_each_nested(groups, [&](const std::string& outer, const std::string& inner) {
    return context.bypass_groups.contains(outer) && context.bypass_groups.emplace(inner, "nested in " + outer).second;
  });
  for_each_nested(groups, [&](const std::string& outer, const std::string& inner) {
    return context.enforced_bypass_groups.contains(outer) && context.enforced_bypass_groups.insert(inner).second;
  });
}

}  // namespace

std::span<const GuardDescription> guard_descriptions() { return kGuards; }

GuardContext guard_context(const model::DesiredState& desired, const model::LiveState& live,
                           const std::vector<std::string>& emergency_access) {
  GuardContext context;
  for (const std::string& address : emergency_access)
    if (address.starts_with("group:")) context.bypass_groups.emplace(address, "named in emergency_access");
  // A configured policy exists in the tenant when the tenant has its address or its pinned id.
  std::set<std::string> live_policies;
  for (const model::Resource& resource : live.resources)
    if (resource.kind == model::Kind::conditional_access_policy) {
      live_policies.insert(resource.address());
      if (!resource.id.empty()) live_policies.insert(resource.id);
    }
  std::vector<const model::Resource*> groups;
  for (const auto* side : {&desired.resources, &live.resources}) {
    for (const model::Resource& resource : *side) {
      if (resource.lifecycle == model::Lifecycle::absent) continue;
      if (resource.kind == model::Kind::conditional_access_policy) {
        bool exists = side == &live.resources || live_policies.contains(resource.address()) ||
                      (!resource.id.empty() && live_policies.contains(resource.id));
        note_policy(resource, resource.spec, exists, context);
      }
      if (resource.kind == model::Kind::group) groups.push_back(&resource);
    }
  }
  add_nested(groups, context);
  return context;
}

void evaluate_guards(Plan& plan, const GuardSettings& settings, const GuardContext& context) {
  plan.guards.clear();
  plan.remediations.clear();
  for (Change& change : plan.changes) change.guards.clear();
  check_budget(plan, settings);
  for (Change& change : plan.changes) {
    bool is_protected = std::find(settings.protected_addresses.begin(), settings.protected_addresses.end(),
                                  change.address) != settings.protected_addresses.end();
    if (is_protected) check_protected(plan, change);
  }
  for (Change& change : plan.changes) {
    std::vector<std::string> reasons = policy_weakenings(change);
    if (!reasons.empty())
      trip(plan, kGuardPolicyWeakening, change.address + " is weakened: " + util::join(reasons, "; "), {&change});
  }
  for (Change& change : plan.changes) check_bypass(plan, change, context);
  for (Change& change : plan.changes) check_location(plan, change, context);
}

std::vector<std::string> unaccepted_guards(const Plan& plan, const std::set<std::string>& accepted) {
  std::set<std::string> out;
  for (const GuardFinding& finding : plan.guards)
    if (!accepted.contains(finding.guard)) out.insert(finding.guard);
  return {out.begin(), out.end()};
}

}  // namespace idform::plan
