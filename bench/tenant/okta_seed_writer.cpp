// Renders a Tenant as Okta Management API objects (shapes from Okta's management OpenAPI spec:
// User, Group, SamlApplication / OpenIdConnectApplication, ApplicationGroupAssignment,
// AccessPolicy + AccessPolicyRule, IPNetworkZone / DynamicNetworkZone), in a seed layout that
// mirrors the API paths: groups/{id}/users.json holds what GET /api/v1/groups/{id}/users returns.
// Okta ids are derived from the same seed, so the Okta tenant is the Graph tenant's twin.

#include <map>
#include <nlohmann/json.hpp>

#include "bench/tenant/output_files.hpp"
#include "bench/tenant/seed_writers.hpp"

namespace bench {
namespace {

using nlohmann::json;

constexpr const char* kOktaCreated = "2024-03-01T09:00:00.000Z";
constexpr const char* kOrg = "https://bench.okta.example";

struct OktaIds {
  std::vector<std::string> users, groups, apps, zones, policies;
};

OktaIds okta_ids(const Tenant& tenant) {
  OktaIds ids;
  const auto seed = tenant.shape.seed;
  for (std::size_t i = 0; i < tenant.users.size(); ++i) ids.users.push_back(stable_okta_id(seed, "00u", i));
  for (std::size_t i = 0; i < tenant.groups.size(); ++i) ids.groups.push_back(stable_okta_id(seed, "00g", i));
  for (std::size_t i = 0; i < tenant.applications.size(); ++i) ids.apps.push_back(stable_okta_id(seed, "0oa", i));
  for (std::size_t i = 0; i < tenant.locations.size(); ++i) ids.zones.push_back(stable_okta_id(seed, "nzo", i));
  for (std::size_t i = 0; i < tenant.policies.size(); ++i) ids.policies.push_back(stable_okta_id(seed, "rst", i));
  return ids;
}

json link(const std::string& path) { return {{"href", std::string(kOrg) + path}}; }

json user_object(const User& user, const std::string& id) {
  return {{"id", id},
          {"status", "ACTIVE"},
          {"created", kOktaCreated},
          {"activated", kOktaCreated},
          {"statusChanged", kOktaCreated},
          {"lastLogin", nullptr},
          {"lastUpdated", kOktaCreated},
          {"passwordChanged", kOktaCreated},
          {"type", {{"id", "oty1benchusertype000"}}},
          {"profile",
           {{"firstName", user.first_name},
            {"lastName", user.last_name},
            {"mobilePhone", nullptr},
            {"secondEmail", nullptr},
            {"login", user.upn},
            {"email", user.upn}}},
          {"_links", {{"self", link("/api/v1/users/" + id)}}}};
}

json group_object(const Group& group, const std::string& id) {
  return {{"id", id},
          {"created", kOktaCreated},
          {"lastUpdated", kOktaCreated},
          {"lastMembershipUpdated", kOktaCreated},
          {"objectClass", json::array({"okta:user_group"})},
          {"type", "OKTA_GROUP"},
          {"profile", {{"name", group.name}, {"description", group.description}}},
          {"_links", {{"users", link("/api/v1/groups/" + id + "/users")}, {"apps", link("/api/v1/groups/" + id + "/apps")}}}};
}

json app_object(const Application& app, const std::string& id, const std::string& policy_id) {
  json object = {{"id", id},
                 {"label", app.name},
                 {"status", "ACTIVE"},
                 {"lastUpdated", kOktaCreated},
                 {"created", kOktaCreated},
                 {"accessibility", {{"selfService", false}, {"errorRedirectUrl", nullptr}, {"loginRedirectUrl", nullptr}}},
                 {"visibility", {{"autoSubmitToolbar", false}, {"hide", {{"iOS", false}, {"web", false}}}}},
                 {"features", json::array()}};
  json links = {{"groups", link("/api/v1/apps/" + id + "/groups")}, {"users", link("/api/v1/apps/" + id + "/users")}};
  if (!policy_id.empty()) links["accessPolicy"] = link("/api/v1/policies/" + policy_id);
  if (app.saml) {
    object["name"] = "benchapp" + id.substr(3, 8) + "_1";
    object["signOnMode"] = "SAML_2_0";
    object["credentials"] = {{"userNameTemplate", {{"template", "${source.login}"}, {"type", "BUILT_IN"}}},
                             {"signing", {{"kid", "bench-signing-key"}}}};
    object["settings"] = {
        {"app", json::object()},
        {"signOn",
         {{"defaultRelayState", ""},
          {"ssoAcsUrl", app.acs_url},
          {"idpIssuer", "http://www.okta.com/${org.externalKey}"},
          {"audience", app.entity_id},
          {"recipient", app.acs_url},
          {"destination", app.acs_url},
          {"subjectNameIdTemplate", "${user.userName}"},
          {"subjectNameIdFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"},
          {"responseSigned", true},
          {"assertionSigned", true},
          {"signatureAlgorithm", "RSA_SHA256"},
          {"digestAlgorithm", "SHA256"},
          {"honorForceAuthn", true},
          {"authnContextClassRef", "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
          {"attributeStatements", json::array()}}}};
  } else {
    object["name"] = "oidc_client";
    object["signOnMode"] = "OPENID_CONNECT";
    object["credentials"] = {{"userNameTemplate", {{"template", "${source.login}"}, {"type", "BUILT_IN"}}},
                             {"oauthClient",
                              {{"autoKeyRotation", true},
                               {"client_id", id},
                               {"token_endpoint_auth_method", "client_secret_basic"}}}};
    object["settings"] = {{"app", json::object()},
                          {"oauthClient",
                           {{"redirect_uris", json::array({app.redirect_uri})},
                            {"response_types", json::array({"code"})},
                            {"grant_types", json::array({"authorization_code"})},
                            {"application_type", "web"}}}};
  }
  object["_links"] = links;
  return object;
}

json zone_object(const Location& location, const std::string& id) {
  json zone = {{"id", id},
               {"name", location.name},
               {"status", "ACTIVE"},
               {"usage", "POLICY"},
               {"created", kOktaCreated},
               {"lastUpdated", kOktaCreated},
               {"system", false}};
  if (location.countries) {
    json places = json::array();
    for (const auto& country : location.values) places.push_back({{"country", country}, {"region", nullptr}});
    zone["type"] = "DYNAMIC";
    zone["locations"] = places;
    zone["asns"] = nullptr;
    zone["proxyType"] = nullptr;
  } else {
    json gateways = json::array();
    for (const auto& cidr : location.values) gateways.push_back({{"type", "CIDR"}, {"value", cidr}});
    zone["type"] = "IP";
    zone["gateways"] = gateways;
    zone["proxies"] = nullptr;
  }
  return zone;
}

json rule_object(const Tenant& tenant, const Policy& policy, const OktaIds& ids, std::size_t index) {
  json include_groups = json::array();
  for (int g : policy.include_groups) include_groups.push_back(ids.groups[static_cast<std::size_t>(g)]);
  json people = {{"groups",
                  {{"include", include_groups},
                   {"exclude", json::array({ids.groups[static_cast<std::size_t>(policy.exclude_group)]})}}}};
  json network = {{"connection", "ANYWHERE"}};
  if (!policy.exclude_locations.empty()) {
    json excluded = json::array();
    for (int l : policy.exclude_locations) excluded.push_back(ids.zones[static_cast<std::size_t>(l)]);
    network = {{"connection", "ZONE"}, {"exclude", excluded}};
  }
  json app_sign_on = {{"access", policy.block ? "DENY" : "ALLOW"}};
  if (!policy.block)
    app_sign_on["verificationMethod"] = {{"factorMode", "2FA"}, {"type", "ASSURANCE"}, {"reauthenticateIn", "PT12H"},
                                         {"constraints", json::array()}};
  (void)tenant;
  return {{"id", policy.rule_id},
          {"status", policy.state == "disabled" ? "INACTIVE" : "ACTIVE"},
          {"name", "bench rule " + std::to_string(index)},
          {"priority", 0},
          {"created", kOktaCreated},
          {"lastUpdated", kOktaCreated},
          {"system", false},
          {"conditions", {{"people", people}, {"network", network}}},
          {"actions", {{"appSignOn", app_sign_on}}},
          {"type", "ACCESS_POLICY"}};
}

}  // namespace

void write_okta_seed(const Tenant& tenant, const std::filesystem::path& directory) {
  namespace fs = std::filesystem;
  fs::remove_all(directory);
  const OktaIds ids = okta_ids(tenant);
  write_json(directory / "_sim" / "api-tokens.json", json::array({kBenchOktaToken}));

  json users = json::array();
  for (std::size_t i = 0; i < tenant.users.size(); ++i) users.push_back(user_object(tenant.users[i], ids.users[i]));
  write_json(directory / "users.json", users);

  json groups = json::array();
  for (std::size_t i = 0; i < tenant.groups.size(); ++i) {
    const Group& group = tenant.groups[i];
    groups.push_back(group_object(group, ids.groups[i]));
    json members = json::array();
    for (int m : group.members)
      members.push_back(user_object(tenant.users[static_cast<std::size_t>(m)], ids.users[static_cast<std::size_t>(m)]));
    write_json(directory / "groups" / ids.groups[i] / "users.json", members);
  }
  write_json(directory / "groups.json", groups);

  std::map<int, std::string> policy_of_app;
  for (std::size_t p = 0; p < tenant.policies.size(); ++p)
    for (int a : tenant.policies[p].include_apps) policy_of_app[a] = ids.policies[p];
  json apps = json::array();
  for (std::size_t i = 0; i < tenant.applications.size(); ++i) {
    const Application& app = tenant.applications[i];
    auto policy = policy_of_app.find(static_cast<int>(i));
    apps.push_back(app_object(app, ids.apps[i], policy == policy_of_app.end() ? "" : policy->second));
    json assignments = json::array();
    int priority = 0;
    for (const auto& assignment : app.assignments) {
      const std::string& group_id = ids.groups[static_cast<std::size_t>(assignment.group)];
      json profile = json::object();
      if (!assignment.role.empty()) profile["role"] = assignment.role;
      assignments.push_back({{"id", group_id},
                             {"lastUpdated", kOktaCreated},
                             {"priority", priority++},
                             {"profile", profile},
                             {"_links", {{"app", link("/api/v1/apps/" + ids.apps[i])}, {"group", link("/api/v1/groups/" + group_id)}}}});
    }
    write_json(directory / "apps" / ids.apps[i] / "groups.json", assignments);
  }
  write_json(directory / "apps.json", apps);

  json zones = json::array();
  for (std::size_t i = 0; i < tenant.locations.size(); ++i) zones.push_back(zone_object(tenant.locations[i], ids.zones[i]));
  write_json(directory / "zones.json", zones);

  json policies = json::array();
  for (std::size_t i = 0; i < tenant.policies.size(); ++i) {
    const Policy& policy = tenant.policies[i];
    policies.push_back({{"id", ids.policies[i]},
                        {"status", policy.state == "disabled" ? "INACTIVE" : "ACTIVE"},
                        {"name", policy.name},
                        {"description", nullptr},
                        {"priority", static_cast<int>(i) + 1},
                        {"system", false},
                        {"conditions", nullptr},
                        {"created", kOktaCreated},
                        {"lastUpdated", kOktaCreated},
                        {"type", "ACCESS_POLICY"},
                        {"_links", {{"rules", link("/api/v1/policies/" + ids.policies[i] + "/rules")}}}});
    write_json(directory / "policies" / ids.policies[i] / "rules.json",
               json::array({rule_object(tenant, policy, ids, i)}));
  }
  write_json(directory / "policies.json", policies);
}

void write_okta_state(const Tenant& tenant, const std::filesystem::path& file) {
  const OktaIds ids = okta_ids(tenant);
  json policies = json::array();
  for (std::size_t i = 0; i < tenant.policies.size(); ++i)
    policies.push_back({{"id", ids.policies[i]}, {"rules", json::array({tenant.policies[i].rule_id})}});
  json apps = json::array();
  for (std::size_t i = 0; i < tenant.applications.size(); ++i)
    apps.push_back({{"id", ids.apps[i]}, {"saml", tenant.applications[i].saml}});
  write_json(file, {{"flavor", "okta"},
                    {"groups", ids.groups},
                    {"applications", apps},
                    {"policies", policies},
                    {"zones", ids.zones}});
}

}  // namespace bench
