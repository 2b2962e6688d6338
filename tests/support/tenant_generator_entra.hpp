#pragma once
// A nasty but legal Entra tenant per seed, as idp-sim (Graph flavor) seed files
// (tenant_generator.hpp says what "nasty" covers).

#include "support/tenant_generator.hpp"

namespace idform::testing::generator {

namespace entra_detail {

using nlohmann::json;

inline json list_of(const std::string& collection, const json& items) {
  return {{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#" + collection}, {"value", items}};
}

inline json user(const std::string& id, const std::string& upn, const std::string& name, bool guest = false) {
  return {{"id", id}, {"displayName", name}, {"userPrincipalName", upn}, {"mail", nullptr},
          {"accountEnabled", true}, {"userType", guest ? "Guest" : "Member"}};
}

inline json group(const std::string& id, const std::string& name, const json& description) {
  return {{"id", id}, {"displayName", name}, {"description", description}, {"groupTypes", json::array()},
          {"mailEnabled", false}, {"mailNickname", "g" + id.substr(0, 8)}, {"securityEnabled", true},
          {"createdDateTime", "2024-01-01T00:00:00Z"}};
}

inline json ref(const std::string& type, const std::string& id) {
  return {{"@odata.type", "#microsoft.graph." + type}, {"id", id}};
}

}  // namespace entra_detail

struct EntraTenant {
  int groups = 0, apps = 0, policies = 0, locations = 0;
};

// Microsoft first-party application ids (docs/providers/entra.md) and an application from
// another organisation, as policies name them.
inline const std::vector<std::string>& external_app_ids() {
  static const std::vector<std::string> ids = {"00000002-0000-0ff1-ce00-000000000000", "00000003-0000-0ff1-ce00-000000000000",
                                               "797f4846-ba00-4fd7-ba43-dac1f8f63013", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
                                               "3fa1a7b2-0c5e-4d1a-9b7e-5a1e0f2d9c44"};
  return ids;
}

inline EntraTenant write_entra_tenant(const std::filesystem::path& seed, std::uint32_t number) {
  using namespace entra_detail;
  Rng rng(number);
  EntraTenant made;
  // Users: members, a guest, a user with a Unicode name; one more id is a deleted user that a
  // policy still names.
  std::vector<std::string> user_ids;
  json users = json::array();
  for (int i = 0; i < 4; ++i) {
    user_ids.push_back("11111111-0000-4000-8000-00000000000" + std::to_string(i + 1));
    users.push_back(user(user_ids.back(), "user" + std::to_string(i + 1) + "@acme.example", "User " + std::to_string(i)));
  }
  user_ids.push_back("11111111-0000-4000-8000-0000000000e1");
  users.push_back(user(user_ids.back(), "guest_fabrikam.example#EXT#@acme.onmicrosoft.com", "Gäst 🙂", true));
  const std::string deleted_user = "11111111-0000-4000-8000-0000000000d1";
  write_seed_json(seed, "users.json", list_of("users", users));

  // Groups, with members of every kind, a chain nested deep and sometimes a cycle.
  made.groups = rng.between(3, 12);
  std::vector<std::string> group_names = names_for(rng, made.groups, true, "group");
  std::vector<std::string> group_ids;
  json groups = json::array();
  for (int i = 0; i < made.groups; ++i) {
    group_ids.push_back("22222222-0000-4000-8000-" + hex_id(rng, 12));
    json description = rng.chance(0.3) ? json("") : rng.chance(0.5) ? json(nullptr) : json("Ünïcode 🚀 description");
    groups.push_back(group(group_ids.back(), group_names[static_cast<std::size_t>(i)], description));
  }
  write_seed_json(seed, "groups.json", list_of("groups", groups));
  bool cycle = rng.chance(0.25);
  for (int i = 0; i < made.groups; ++i) {
    json members = json::array();
    for (int u = 0; u < rng.between(0, 4); ++u) members.push_back(ref("user", rng.pick(user_ids)));
    if (i + 1 < made.groups && rng.chance(0.8)) members.push_back(ref("group", group_ids[static_cast<std::size_t>(i + 1)]));
    if (cycle && i + 1 == made.groups && made.groups > 1) members.push_back(ref("group", group_ids.front()));
    if (rng.chance(0.1)) members.push_back(ref("servicePrincipal", "33333333-0000-4000-8000-0000000000ff"));
    // Graph lists a member once.
    json unique = json::array();
    for (const auto& member : members)
      if (std::find(unique.begin(), unique.end(), member) == unique.end()) unique.push_back(member);
    write_seed_json(seed, "groups/" + group_ids[static_cast<std::size_t>(i)] + "/members.json",
                    list_of("directoryObjects", unique));
    if (rng.chance(0.4))
      write_seed_json(seed, "groups/" + group_ids[static_cast<std::size_t>(i)] + "/owners.json",
                      list_of("directoryObjects", json::array({ref("user", rng.pick(user_ids))})));
  }

  // Applications: SAML with URLs of every sort, OIDC, some with 50 roles.
  made.apps = rng.between(1, 4);
  std::vector<std::string> app_names = names_for(rng, made.apps, true, "app");
  json applications = json::array(), principals = json::array();
  std::vector<std::string> app_ids;
  for (int i = 0; i < made.apps; ++i) {
    std::string app_id = guid(rng), object_id = guid(rng), sp_id = guid(rng);
    app_ids.push_back(app_id);
    json roles = json::array();
    int role_count = rng.chance(0.3) ? 50 : rng.between(0, 3);
    std::vector<std::string> role_ids;
    for (int r = 0; r < role_count; ++r) {
      role_ids.push_back(guid(rng));
      roles.push_back({{"allowedMemberTypes", {"User"}}, {"description", "role " + std::to_string(r)},
                       {"displayName", "Role " + std::to_string(r) + (r % 7 == 3 ? " ü" : "")}, {"id", role_ids.back()},
                       {"isEnabled", true}, {"origin", "Application"}, {"value", "role" + std::to_string(r)}});
    }
    bool saml = rng.chance(0.5);
    std::vector<std::string> urls = {"https://app" + std::to_string(i) + ".example/acs", "http://legacy.example/acs",
                                     "http://localhost:8080/acs"};
    json application = {{"id", object_id}, {"appId", app_id}, {"displayName", app_names[static_cast<std::size_t>(i)]},
                        {"description", rng.chance(0.3) ? json("") : json(nullptr)},
                        {"signInAudience", "AzureADMyOrg"},
                        {"identifierUris", saml ? json::array({"https://app" + std::to_string(i) + ".example"}) : json::array()},
                        {"appRoles", roles},
                        {"web", {{"redirectUris", json::array({rng.pick(urls)})}, {"logoutUrl", nullptr}, {"homePageUrl", nullptr},
                                 {"implicitGrantSettings", {{"enableIdTokenIssuance", rng.chance(0.3)},
                                                            {"enableAccessTokenIssuance", false}}}}},
                        {"spa", {{"redirectUris", json::array()}}},
                        {"publicClient", {{"redirectUris", json::array()}}}};
    applications.push_back(application);
    principals.push_back({{"id", sp_id}, {"appId", app_id}, {"displayName", app_names[static_cast<std::size_t>(i)]},
                          {"accountEnabled", true}, {"appRoleAssignmentRequired", true},
                          {"preferredSingleSignOnMode", saml ? json("saml") : json(nullptr)},
                          {"servicePrincipalType", "Application"}, {"tags", json::array()}, {"appRoles", json::array()}});
    json assignments = json::array();
    for (int a = 0; a < rng.between(0, 3) && !group_ids.empty(); ++a) {
      std::string role = role_ids.empty() ? "00000000-0000-0000-0000-000000000000" : rng.pick(role_ids);
      if (rng.chance(0.1)) role = "99999999-0000-4000-8000-000000000001";  // a role since deleted
      bool to_user = rng.chance(0.3);
      assignments.push_back({{"id", "as" + hex_id(rng, 10)}, {"appRoleId", role},
                             {"principalId", to_user ? rng.pick(user_ids) : rng.pick(group_ids)},
                             {"principalType", to_user ? "User" : "Group"}, {"resourceId", sp_id}});
    }
    write_seed_json(seed, "servicePrincipals/" + sp_id + "/appRoleAssignedTo.json", list_of("appRoleAssignments", assignments));
  }
  write_seed_json(seed, "applications.json", list_of("applications", applications));
  write_seed_json(seed, "servicePrincipals.json", list_of("servicePrincipals", principals));

  // Named locations.
  made.locations = rng.between(0, 3);
  std::vector<std::string> location_names = names_for(rng, made.locations, true, "location");
  std::vector<std::string> location_ids;
  json locations = json::array();
  for (int i = 0; i < made.locations; ++i) {
    location_ids.push_back(guid(rng));
    if (rng.chance(0.5))
      locations.push_back({{"@odata.type", "#microsoft.graph.ipNamedLocation"}, {"id", location_ids.back()},
                           {"displayName", location_names[static_cast<std::size_t>(i)]}, {"isTrusted", rng.chance(0.5)},
                           {"ipRanges", {{{"@odata.type", "#microsoft.graph.iPv4CidrRange"}, {"cidrAddress", "203.0.113.0/24"}},
                                         {{"@odata.type", "#microsoft.graph.iPv6CidrRange"}, {"cidrAddress", "2001:db8::/48"}}}}});
    else
      locations.push_back({{"@odata.type", "#microsoft.graph.countryNamedLocation"}, {"id", location_ids.back()},
                           {"displayName", location_names[static_cast<std::size_t>(i)]},
                           {"countriesAndRegions", {"NO", "DE"}}, {"includeUnknownCountriesAndRegions", rng.chance(0.5)},
                           {"countryLookupMethod", "clientIpAddress"}});
  }
  write_seed_json(seed, "namedLocations.json", list_of("identity/conditionalAccess/namedLocations", locations));

  // Policies: tenant-external apps, guests, deleted users, roles, and every condition.
  made.policies = rng.between(1, 3);
  std::vector<std::string> policy_names = names_for(rng, made.policies, true, "CA");
  json policies = json::array();
  for (int i = 0; i < made.policies; ++i) {
    json apps = json::array({rng.pick(external_app_ids())});
    if (!app_ids.empty() && rng.chance(0.5)) apps.push_back(rng.pick(app_ids));
    json include_users = rng.chance(0.5) ? json::array({"All"}) : json::array({rng.pick(user_ids), "GuestsOrExternalUsers"});
    json exclude_users = json::array({deleted_user});
    if (rng.chance(0.5)) exclude_users.push_back(user_ids.back());  // the guest
    json exclude_groups = group_ids.empty() ? json::array() : json::array({rng.pick(group_ids)});
    json location_condition = location_ids.empty()
                                  ? json{{"includeLocations", {"All"}}, {"excludeLocations", {"AllTrusted"}}}
                                  : json{{"includeLocations", {"All"}}, {"excludeLocations", {rng.pick(location_ids)}}};
    bool every = rng.chance(0.5);
    json conditions = {
        {"users", {{"includeUsers", include_users}, {"excludeUsers", exclude_users}, {"includeGroups", json::array()},
                   {"excludeGroups", exclude_groups},
                   {"includeRoles", every ? json::array({"62e90394-69f5-4237-9190-012177145e10"}) : json::array()},
                   {"excludeRoles", json::array()}}},
        {"applications", {{"includeApplications", apps}, {"excludeApplications", json::array()},
                          {"includeUserActions", json::array()}}},
        {"clientAppTypes", every ? json::array({"browser", "mobileAppsAndDesktopClients"}) : json::array({"all"})},
        {"locations", location_condition},
        {"platforms", every ? json{{"includePlatforms", {"android", "iOS"}}, {"excludePlatforms", json::array()}} : json(nullptr)},
        {"signInRiskLevels", every ? json::array({"high", "medium"}) : json::array()},
        {"userRiskLevels", every ? json::array({"high"}) : json::array()}};
    json grant = {{"operator", "OR"}, {"builtInControls", every ? json::array({"mfa", "compliantDevice"}) : json::array({"mfa"})},
                  {"customAuthenticationFactors", json::array()}, {"termsOfUse", json::array()}};
    json session = every ? json{{"signInFrequency", {{"value", 8}, {"type", "hours"}, {"isEnabled", true}}},
                                {"persistentBrowser", {{"mode", "never"}, {"isEnabled", true}}},
                                {"applicationEnforcedRestrictions", {{"isEnabled", true}}}}
                         : json(nullptr);
    policies.push_back({{"id", guid(rng)}, {"displayName", policy_names[static_cast<std::size_t>(i)]},
                        {"state", rng.chance(0.5) ? "enabled" : "enabledForReportingButNotEnforced"},
                        {"createdDateTime", "2024-01-01T00:00:00Z"}, {"conditions", conditions},
                        {"grantControls", grant}, {"sessionControls", session}});
  }
  write_seed_json(seed, "conditionalAccessPolicies.json", list_of("identity/conditionalAccess/policies", policies));
  return made;
}

}  // namespace idform::testing::generator
