// Condition matching and outcome combining (see evaluator.hpp for the semantics). Conditions are
// tried in a fixed order and the first that fails is the reason a policy does not apply; within a
// condition an exclusion beats an inclusion, as in Entra. Everything compares interned integers
// and bit masks, so one policy against one sign-in costs well under a microsecond.
#include "reconciler/whatif/evaluator.hpp"

#include <algorithm>

namespace idform::whatif {
namespace {

constexpr std::uint32_t kAllPlatforms = 1u << 6;  // platform_bit("all")
constexpr std::uint32_t kAllClientApps = 1u << 4;  // client_app_bit("all")

bool intersects(const std::vector<int>& sorted, const std::vector<int>& other) {
  auto a = sorted.begin(), b = other.begin();
  while (a != sorted.end() && b != other.end()) {
    if (*a == *b) return true;
    if (*a < *b) ++a;
    else ++b;
  }
  return false;
}

bool contains(const std::vector<int>& sorted, int value) {
  return value >= 0 && std::binary_search(sorted.begin(), sorted.end(), value);
}

bool guest_matches(const std::optional<GuestCondition>& condition, const SignIn& in) {
  if (!condition || in.guest_type == 0 || !(condition->types & in.guest_type)) return false;
  if (condition->tenants.empty() || condition->tenants.front() == "all") return true;
  return std::find(condition->tenants.begin(), condition->tenants.end(), in.guest_tenant) != condition->tenants.end();
}

bool user_in(const References& refs, const SignIn& in) {
  return contains(refs.ids, in.user) || intersects(refs.ids, in.groups) || intersects(refs.ids, in.roles) ||
         (refs.guests && in.guest_type != 0);
}

Match users(const Policy& policy, const SignIn& in) {
  if (policy.exclude_users.all || user_in(policy.exclude_users, in) || guest_matches(policy.exclude_guests, in))
    return {Condition::users, true};
  bool included = !policy.include_users.none &&
                  (policy.include_users.all || user_in(policy.include_users, in) || guest_matches(policy.include_guests, in));
  return included ? Match{} : Match{Condition::users, false};
}

bool filter_matches(const std::optional<Filter>& filter, const std::map<std::string, std::string>& properties) {
  return filter && filter->rule && filter->rule->matches(properties);
}

Match applications(const Policy& policy, const SignIn& in) {
  if (in.user_action) return policy.user_actions & in.user_action ? Match{} : Match{Condition::applications, false};
  bool context = !in.authentication_context.empty() &&
                 std::find(policy.authentication_contexts.begin(), policy.authentication_contexts.end(),
                           in.authentication_context) != policy.authentication_contexts.end();
  if (context) return {};
  if (in.no_application && !in.authentication_context.empty()) return {Condition::applications, false};
  const References& ex = policy.exclude_apps;
  bool filtered = filter_matches(policy.application_filter, in.application_attributes);
  bool excluded = contains(ex.ids, in.application) || (ex.office365 && in.office365) || (ex.admin_portals && in.admin_portals) ||
                  (policy.application_filter && !policy.application_filter->include && filtered);
  if (excluded) return {Condition::applications, true};
  const References& inc = policy.include_apps;
  bool included = !inc.none && (inc.all || contains(inc.ids, in.application) || (inc.office365 && in.office365) ||
                                (inc.admin_portals && in.admin_portals) ||
                                (policy.application_filter && policy.application_filter->include && filtered));
  return included ? Match{} : Match{Condition::applications, false};
}

Match workload(const Policy& policy, const SignIn& in) {
  bool is_workload = !in.service_principal.empty();
  if (policy.workload != is_workload) return {Condition::workload_identity, false};
  if (!is_workload) return {};
  auto listed = [&](const std::vector<std::string>& ids) {
    return std::find(ids.begin(), ids.end(), "id:" + in.service_principal) != ids.end();
  };
  if (listed(policy.exclude_service_principals)) return {Condition::service_principals, true};
  if (policy.all_service_principals || listed(policy.include_service_principals)) return {};
  return {Condition::service_principals, false};
}

Match platforms(const Policy& policy, const SignIn& in) {
  if (!policy.include_platforms) return {};
  if (in.platform == 0) return policy.include_platforms & kAllPlatforms ? Match{} : Match{Condition::platforms, false};
  if (policy.exclude_platforms & (in.platform | kAllPlatforms)) return {Condition::platforms, true};
  return policy.include_platforms & (in.platform | kAllPlatforms) ? Match{} : Match{Condition::platforms, false};
}

Match locations(const Policy& policy, const SignIn& in) {
  const References& inc = policy.include_locations;
  const References& ex = policy.exclude_locations;
  if (inc.empty() && ex.empty()) return {};
  if ((ex.all_trusted && in.trusted) || intersects(ex.ids, in.locations)) return {Condition::locations, true};
  bool included = inc.empty() || inc.any || (inc.all_trusted && in.trusted) || intersects(inc.ids, in.locations);
  return included ? Match{} : Match{Condition::locations, false};
}

Match levels(std::uint32_t wanted, std::uint32_t have, Condition condition) {
  return wanted == 0 || (wanted & have) ? Match{} : Match{condition, false};
}

}  // namespace

std::string_view condition_name(Condition condition) {
  switch (condition) {
    case Condition::none: return "";
    case Condition::state: return "state";
    case Condition::users: return "users";
    case Condition::workload_identity: return "client_applications";
    case Condition::applications: return "applications";
    case Condition::service_principals: return "client_applications";
    case Condition::platforms: return "platforms";
    case Condition::locations: return "locations";
    case Condition::client_app_types: return "client_app_types";
    case Condition::sign_in_risk: return "sign_in_risk";
    case Condition::user_risk: return "user_risk";
    case Condition::insider_risk: return "insider_risk";
    case Condition::service_principal_risk: return "service_principal_risk";
    case Condition::authentication_flows: return "authentication_flows";
    case Condition::devices: return "devices";
    case Condition::not_attached: return "applications";
  }
  return "";
}

Match match(const Policy& policy, const SignIn& in) {
  Match result = workload(policy, in);
  if (!result.applies()) return result;
  if (in.service_principal.empty()) {
    result = users(policy, in);
    if (!result.applies()) return result;
  }
  if (result = applications(policy, in); !result.applies()) return result;
  if (result = platforms(policy, in); !result.applies()) return result;
  if (result = locations(policy, in); !result.applies()) return result;
  if (policy.client_app_types && !(policy.client_app_types & kAllClientApps) && !(policy.client_app_types & in.client_app))
    return {Condition::client_app_types, false};
  if (result = levels(policy.sign_in_risk, in.sign_in_risk, Condition::sign_in_risk); !result.applies()) return result;
  if (result = levels(policy.user_risk, in.user_risk, Condition::user_risk); !result.applies()) return result;
  if (result = levels(policy.insider_risk, in.insider_risk, Condition::insider_risk); !result.applies()) return result;
  if (result = levels(policy.service_principal_risk, in.service_principal_risk, Condition::service_principal_risk); !result.applies())
    return result;
  if (result = levels(policy.authentication_flows, in.authentication_flow, Condition::authentication_flows); !result.applies())
    return result;
  if (policy.device_filter) {
    bool hit = filter_matches(policy.device_filter, in.device);
    if (policy.device_filter->include != hit) return {Condition::devices, !policy.device_filter->include};
  }
  return {};
}

bool Requirement::operator<(const Requirement& other) const {
  return std::tie(controls, all_of) < std::tie(other.controls, other.all_of);
}

namespace {

// Requirements are all required together, so every "all of" requirement merges into one, and a
// "one of" requirement that this merged one already satisfies drops out:
// (compliant_device and mfa) and mfa = compliant_device and mfa.
void simplify(std::vector<Requirement>& requirements) {
  Requirement all{true, {}};
  std::vector<Requirement> alternatives;
  for (Requirement& requirement : requirements) {
    if (requirement.all_of) all.controls.insert(all.controls.end(), requirement.controls.begin(), requirement.controls.end());
    else alternatives.push_back(std::move(requirement));
  }
  std::sort(all.controls.begin(), all.controls.end());
  all.controls.erase(std::unique(all.controls.begin(), all.controls.end()), all.controls.end());
  std::erase_if(alternatives, [&](const Requirement& alternative) {
    return std::any_of(alternative.controls.begin(), alternative.controls.end(), [&](const std::string& control) {
      return std::binary_search(all.controls.begin(), all.controls.end(), control);
    });
  });
  requirements.clear();
  if (!all.controls.empty()) requirements.push_back(std::move(all));
  std::sort(alternatives.begin(), alternatives.end());
  alternatives.erase(std::unique(alternatives.begin(), alternatives.end()), alternatives.end());
  for (Requirement& alternative : alternatives) requirements.push_back(std::move(alternative));
}

// Adds what one applying policy asks for to `outcome`.
void add(Outcome& outcome, const Policy& policy, int index) {
  outcome.any_policy = true;
  outcome.policies.push_back(index);
  if (policy.grant.block) outcome.block = true;
  if (!policy.grant.controls.empty()) {
    Requirement requirement{policy.grant.all_of || policy.grant.controls.size() == 1, policy.grant.controls};
    auto at = std::lower_bound(outcome.requirements.begin(), outcome.requirements.end(), requirement);
    if (at == outcome.requirements.end() || !(*at == requirement)) outcome.requirements.insert(at, std::move(requirement));
    simplify(outcome.requirements);
  }
  Session& session = outcome.session;
  const Session& more = policy.session;
  if (more.sign_in_frequency_minutes &&
      (!session.sign_in_frequency_minutes || *more.sign_in_frequency_minutes < *session.sign_in_frequency_minutes))
    session.sign_in_frequency_minutes = more.sign_in_frequency_minutes;
  if (more.persistent_browser == "never" || session.persistent_browser.empty()) {
    if (!more.persistent_browser.empty()) session.persistent_browser = more.persistent_browser;
  }
  session.app_enforced_restrictions = session.app_enforced_restrictions || more.app_enforced_restrictions;
  // Strictest App Control mode: block downloads, then a custom Defender policy, then monitoring.
  auto rank = [](const std::string& mode) { return mode == "block_downloads" ? 3 : mode == "mcas_configured" ? 2 : mode.empty() ? 0 : 1; };
  if (rank(more.cloud_app_security) > rank(session.cloud_app_security)) session.cloud_app_security = more.cloud_app_security;
  session.disable_resilience_defaults = session.disable_resilience_defaults || more.disable_resilience_defaults;
  session.secure_sign_in_session = session.secure_sign_in_session || more.secure_sign_in_session;
}

bool attached(const Policy& policy, const SignIn& in) { return in.application >= 0 && contains(policy.include_apps.ids, in.application); }

}  // namespace

Evaluation evaluate(const PolicySet& set, const SignIn& in, Semantics semantics) {
  Evaluation evaluation;
  evaluation.matches.reserve(set.policies.size());
  bool decided = false;  // Okta: the first matching policy decides
  for (size_t i = 0; i < set.policies.size(); ++i) {
    const Policy& policy = set.policies[i];
    Match result;
    if (policy.state == PolicyState::disabled) result = {Condition::state, false};
    else if (semantics == Semantics::okta && !attached(policy, in)) result = {Condition::not_attached, false};
    else result = match(policy, in);
    evaluation.matches.push_back(result);
    if (!result.applies()) continue;
    if (policy.state == PolicyState::report_only) add(evaluation.report_only, policy, static_cast<int>(i));
    else if (semantics == Semantics::entra || !decided) add(evaluation.enforced, policy, static_cast<int>(i));
    decided = true;
  }
  if (semantics == Semantics::okta && !evaluation.enforced.any_policy) evaluation.enforced.catch_all = true;
  return evaluation;
}

Outcome outcome_of(const PolicySet& set, const SignIn& in, Semantics semantics) {
  Outcome outcome;
  for (size_t i = 0; i < set.policies.size(); ++i) {
    const Policy& policy = set.policies[i];
    if (policy.state != PolicyState::enabled) continue;
    if (semantics == Semantics::okta && !attached(policy, in)) continue;
    if (!match(policy, in).applies()) continue;
    add(outcome, policy, static_cast<int>(i));
    if (semantics == Semantics::okta) return outcome;
  }
  if (semantics == Semantics::okta) outcome.catch_all = true;
  return outcome;
}

bool Outcome::requires_mfa() const {
  auto strong = [](const std::string& control) { return control == "mfa" || control.starts_with("authentication_strength:"); };
  for (const Requirement& requirement : requirements) {
    bool all_strong = std::all_of(requirement.controls.begin(), requirement.controls.end(), strong);
    bool any_strong = std::any_of(requirement.controls.begin(), requirement.controls.end(), strong);
    if (requirement.all_of ? any_strong : all_strong) return true;
  }
  return false;
}

std::string Outcome::text() const {
  std::string out;
  if (block) return "block";
  if (catch_all) out = "no rule matches: the Catch-all Rule decides";
  else if (!any_policy) out = "allow (no policy applies)";
  else if (requirements.empty()) out = "allow";
  else {
    out = "require ";
    for (size_t i = 0; i < requirements.size(); ++i) {
      const Requirement& requirement = requirements[i];
      std::string joined;
      for (const std::string& control : requirement.controls)
        joined += (joined.empty() ? "" : requirement.all_of ? " and " : " or ") + control;
      bool wrap = requirements.size() > 1 && requirement.controls.size() > 1 && !requirement.all_of;
      out += (i ? " and " : "") + (wrap ? "(" + joined + ")" : joined);
    }
  }
  std::vector<std::string> parts;
  if (session.sign_in_frequency_minutes) {
    long long minutes = *session.sign_in_frequency_minutes;
    parts.push_back(minutes == 0 ? "sign in every time"
                    : minutes % 1440 == 0 ? "sign in every " + std::to_string(minutes / 1440) + "d"
                    : minutes % 60 == 0   ? "sign in every " + std::to_string(minutes / 60) + "h"
                                          : "sign in every " + std::to_string(minutes) + "m");
  }
  if (!session.persistent_browser.empty()) parts.push_back("persistent browser " + session.persistent_browser);
  if (session.app_enforced_restrictions) parts.push_back("app enforced restrictions");
  if (!session.cloud_app_security.empty()) parts.push_back("app control " + session.cloud_app_security);
  if (session.secure_sign_in_session) parts.push_back("token protection");
  if (session.disable_resilience_defaults) parts.push_back("no resilience defaults");
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "; session: ") + parts[i];
  return out;
}

}  // namespace idform::whatif
