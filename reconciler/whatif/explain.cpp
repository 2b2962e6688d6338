// The words behind a match: which element of a policy made it apply, or which condition (and,
// for an exclusion, which element) kept it out. Only the report calls this, so it may be slow.
#include <algorithm>

#include "reconciler/whatif/evaluator.hpp"

namespace idform::whatif {
namespace {

std::string user_reason(const References& refs, const std::optional<GuestCondition>& guests, const SignIn& in,
                        const std::vector<std::string>& id_names) {
  if (refs.all) return "all";
  std::vector<int> mine = in.groups;
  mine.insert(mine.end(), in.roles.begin(), in.roles.end());
  if (in.user >= 0) mine.push_back(in.user);
  std::sort(mine.begin(), mine.end());
  for (int id : refs.ids)
    if (std::binary_search(mine.begin(), mine.end(), id)) return id_names[static_cast<size_t>(id)];
  if (refs.guests && in.guest_type) return "guests";
  if (guests && in.guest_type) return "guest or external user type";
  return "";
}

}  // namespace

std::string explain(const PolicySet& set, const Policy& policy, const SignIn& in, const Match& match) {
  std::vector<std::string> id_names = set.symbols.names();
  if (match.applies()) {
    std::vector<std::string> parts;
    if (!in.service_principal.empty()) parts.push_back("client_applications: id:" + in.service_principal);
    else if (std::string who = user_reason(policy.include_users, policy.include_guests, in, id_names); !who.empty())
      parts.push_back("users: " + who);
    else parts.push_back("users: included");
    if (in.user_action) parts.push_back("applications: user action");
    else if (!in.authentication_context.empty() && std::find(policy.authentication_contexts.begin(), policy.authentication_contexts.end(),
                                                             in.authentication_context) != policy.authentication_contexts.end())
      parts.push_back("applications: authentication context " + in.authentication_context);
    else if (policy.include_apps.all) parts.push_back("applications: all");
    else if (in.office365 && policy.include_apps.office365) parts.push_back("applications: office365");
    else if (in.application >= 0) parts.push_back("applications: " + id_names[static_cast<size_t>(in.application)]);
    else parts.push_back("applications: filter");
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : "; ") + part;
    return out;
  }
  std::string condition(condition_name(match.failed));
  switch (match.failed) {
    case Condition::state: return "disabled";
    case Condition::not_attached: return "not this app's sign-in policy";
    case Condition::workload_identity:
      return policy.workload ? "targets workload identities, not users" : "targets users, not workload identities";
    case Condition::users:
      if (match.excluded) {
        std::string who = user_reason(policy.exclude_users, policy.exclude_guests, in, id_names);
        return "users.exclude: " + (who.empty() ? std::string("matches") : who);
      }
      return "users.include does not match";
    case Condition::locations:
      if (match.excluded) {
        if (policy.exclude_locations.all_trusted && in.trusted) return "locations.exclude: all_trusted";
        for (int id : policy.exclude_locations.ids)
          if (std::binary_search(in.locations.begin(), in.locations.end(), id))
            return "locations.exclude: " + id_names[static_cast<size_t>(id)];
      }
      break;
    case Condition::applications:
      if (match.excluded && in.application >= 0 &&
          std::binary_search(policy.exclude_apps.ids.begin(), policy.exclude_apps.ids.end(), in.application))
        return "applications.exclude: " + id_names[static_cast<size_t>(in.application)];
      break;
    default: break;
  }
  return condition + (match.excluded ? ".exclude matches" : match.failed == Condition::applications ||
                                                                    match.failed == Condition::platforms ||
                                                                    match.failed == Condition::locations ||
                                                                    match.failed == Condition::service_principals
                                                                ? ".include does not match"
                                                                : " does not match");
}

}  // namespace idform::whatif
