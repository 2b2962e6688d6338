#pragma once
// The vendor-neutral model of a benchmark tenant: users, groups with members and owners,
// applications with group assignments, conditional access policies and named locations.
// `build_tenant` derives every object from a seed with a portable generator (splitmix64, no
// std:: distributions), so the same seed gives byte-identical seeds and configs everywhere.
// The writers (Graph seed, Okta seed, idform config, sandbox file) all render this one model,
// which is what makes `idform plan` of the config against the seeded tenant an empty plan.

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct TenantShape {
  std::string name;  // "large", "local-20k", ...
  int users = 0;
  int groups = 0;
  int members_average = 0;  // members per group: uniform in [average/2, 3*average/2]
  int applications = 0;
  int assignments_per_app = 0;
  int policies = 0;
  int locations = 0;
  std::uint64_t seed = 42;

  int objects() const { return groups + applications + policies + locations; }
};

// The shapes the suite uses: small / medium / large (issue 8's large tenant and 1/10, 1/4 of
// it), and sandbox tenants with the large tenant's proportions scaled to a number of objects.
TenantShape shape_by_name(const std::string& name);
TenantShape scaled_shape(const std::string& name, double factor);
std::vector<std::string> shape_names();

struct User {
  std::string id;
  std::string upn;  // lower case, doubles as the email
  std::string display_name;
  std::string first_name;
  std::string last_name;
};

struct Group {
  std::string id;
  std::string name;
  std::string description;
  std::vector<int> members;  // indices into Tenant::users
  std::vector<int> owners;   // a subset of members
};

struct Assignment {
  std::string id;  // Graph appRoleAssignment id
  int group = 0;   // index into Tenant::groups
  std::string role;  // "" = default access
};

struct Application {
  std::string id;      // Graph application object id / Okta app id
  std::string app_id;  // Graph appId (client id)
  std::string service_principal_id;
  std::string name;
  std::string description;
  bool saml = false;
  std::string entity_id;         // saml
  std::string acs_url;           // saml
  std::string redirect_uri;      // oidc
  std::vector<std::string> roles;  // display names; ids are role_ids (same order)
  std::vector<std::string> role_ids;
  std::vector<Assignment> assignments;
};

struct Location {
  std::string id;
  std::string name;
  bool countries = false;
  std::vector<std::string> values;  // CIDRs or ISO country codes
  bool trusted = false;
};

struct Policy {
  std::string id;
  std::string name;
  std::string state;  // enabled | disabled | report-only
  std::vector<int> include_groups;  // empty: all users
  int exclude_group = 0;            // the break-glass group (index 0)
  std::vector<int> include_apps;    // empty: all applications
  std::vector<int> exclude_locations;
  bool block = false;               // grant block, else mfa
  std::vector<std::string> client_app_types;
  // Okta: the authentication policy's rule id.
  std::string rule_id;
};

struct Tenant {
  TenantShape shape;
  std::vector<User> users;
  std::vector<Group> groups;
  std::vector<Application> applications;
  std::vector<Policy> policies;
  std::vector<Location> locations;

  long long memberships() const;
  long long ownerships() const;
  long long assignment_count() const;
};

Tenant build_tenant(const TenantShape& shape);

// A GUID-shaped id derived from (seed, kind, index): "3f2a…-…".
std::string stable_guid(std::uint64_t seed, const std::string& kind, std::uint64_t index);
// An Okta-shaped id ("00g" + 17 characters) derived the same way.
std::string stable_okta_id(std::uint64_t seed, const std::string& prefix, std::uint64_t index);

}  // namespace bench
