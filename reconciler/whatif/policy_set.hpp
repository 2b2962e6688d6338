#pragma once
// The config's conditional access policies compiled for evaluation, and the directory facts a
// sign-in needs (transitive group membership, named locations). Compiling turns every reference
// into a small integer, so evaluating a policy against a sign-in compares integers and bit masks
// only: 200 policies x 10,000 sign-ins is two million evaluations (see bench/).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/whatif/filter_rule.hpp"
#include "reconciler/whatif/scenario.hpp"

namespace idform::whatif {

enum class PolicyState : std::uint8_t { enabled, report_only, disabled };

// Interned names: "group:x", "app:x", "location:x", "role:x", "user:a@b".
class Symbols {
 public:
  int intern(const std::string& name);
  int find(const std::string& name) const;  // -1 when never interned
  std::vector<std::string> names() const;   // indexed by id
 private:
  std::unordered_map<std::string, int> m_ids;
};

struct References {
  bool all = false, none = false, guests = false, office365 = false, admin_portals = false;
  bool any = false, all_trusted = false;  // locations
  std::vector<int> ids;                   // sorted
  bool empty() const { return !all && !none && !guests && !office365 && !admin_portals && !any && !all_trusted && ids.empty(); }
};

struct GuestCondition {
  std::uint32_t types = 0;           // bit per guest type word (kGuestTypes order)
  std::vector<std::string> tenants;  // empty or ["all"]: every tenant
};

struct Filter {
  bool include = true;  // mode
  std::optional<FilterRule> rule;  // nullopt: the rule did not parse (see Policy::problems)
  std::string text;
};

struct Grant {
  bool stated = false;
  bool block = false;
  bool all_of = false;                // operator and
  std::vector<std::string> controls;  // sorted: mfa, compliant_device, authentication_strength:X, terms_of_use:ID, custom:ID
};

struct Session {
  std::optional<long long> sign_in_frequency_minutes;  // 0 = every time
  std::string persistent_browser;                      // "", always, never
  bool app_enforced_restrictions = false;
  std::string cloud_app_security;                      // "", monitor_only, mcas_configured, block_downloads
  bool disable_resilience_defaults = false;
  bool secure_sign_in_session = false;
  bool empty() const;
};

struct Policy {
  std::string name;
  PolicyState state = PolicyState::enabled;
  References include_users, exclude_users;
  std::optional<GuestCondition> include_guests, exclude_guests;
  References include_apps, exclude_apps;
  std::uint32_t user_actions = 0;
  std::vector<std::string> authentication_contexts;
  std::optional<Filter> application_filter;
  bool workload = false;  // targets service principals (client_applications)
  bool all_service_principals = false;
  std::vector<std::string> include_service_principals, exclude_service_principals;
  std::optional<Filter> service_principal_filter;
  std::uint32_t include_platforms = 0, exclude_platforms = 0;  // 0: no platform condition
  References include_locations, exclude_locations;
  std::uint32_t client_app_types = 0;  // 0 or the "all" bit: every client app
  std::uint32_t sign_in_risk = 0, user_risk = 0, service_principal_risk = 0, insider_risk = 0;  // 0: any
  std::uint32_t authentication_flows = 0;
  std::optional<Filter> device_filter;
  Grant grant;
  Session session;
  std::vector<std::string> problems;  // what could not be compiled (a filter rule that does not parse)
};

struct NamedLocation {
  int id = -1;
  bool trusted = false;
  std::vector<std::pair<std::vector<std::uint8_t>, int>> ranges;  // address bytes, prefix length
  std::vector<std::string> countries;
  bool include_unknown_countries = false;
};

struct PolicySet {
  Symbols symbols;
  std::vector<Policy> policies;  // in name order
  std::map<std::string, std::vector<int>> user_groups;  // email -> every group (transitively), sorted
  std::map<int, std::vector<int>> group_parents;        // group -> every group containing it, sorted
  std::vector<NamedLocation> locations;
  std::vector<std::string> emergency_access;            // idform.yaml emergency_access references
};

// `emergency_access` as idform.yaml lists them ("group:break-glass", "user:x@y").
PolicySet compile(const model::DesiredState& desired, std::vector<std::string> emergency_access = {});

// A scenario with its references resolved against a policy set.
struct SignIn {
  int user = -1;
  std::vector<int> groups, roles;  // sorted; groups include every group containing them
  std::uint32_t guest_type = 0;     // 0: member
  std::string guest_tenant;
  std::string service_principal;   // without "id:"
  int application = -1;            // app:NAME symbol, or -1
  bool office365 = false, admin_portals = false, no_application = false;
  std::uint32_t user_action = 0;
  std::string authentication_context;
  std::map<std::string, std::string> application_attributes, device;
  std::uint32_t platform = 0, client_app = 0;
  std::vector<int> locations;  // sorted named locations the sign-in is in
  bool trusted = false;
  std::uint32_t sign_in_risk = 0, user_risk = 0, service_principal_risk = 0, insider_risk = 0;
  std::uint32_t authentication_flow = 0;
};

SignIn resolve(const PolicySet& set, const Scenario& scenario);

// Bits of the enumerations (exposed for the matrix and the tests).
std::uint32_t platform_bit(const std::string& word);  // "all" has a bit of its own
std::uint32_t client_app_bit(const std::string& word);
std::uint32_t risk_bit(const std::string& word);
std::uint32_t guest_type_bit(const std::string& word);

}  // namespace idform::whatif
