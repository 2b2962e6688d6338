// Renders a Tenant as Microsoft Graph v1.0 objects, shaped as Graph returns them (property names
// and types from the v1.0 resource pages), in the seed-directory layout idp-sim reads: a file per
// collection and one per relationship list (groups/{id}/members.json).

#include <nlohmann/json.hpp>

#include "bench/tenant/output_files.hpp"
#include "bench/tenant/seed_writers.hpp"

namespace bench {
namespace {

using nlohmann::json;

constexpr const char* kContext = "https://graph.microsoft.com/v1.0/$metadata#";
constexpr const char* kGraphCreated = "2024-03-01T09:00:00Z";
constexpr const char* kDefaultRole = "00000000-0000-0000-0000-000000000000";

json list_file(const std::string& context, json items) {
  return {{"@odata.context", std::string(kContext) + context}, {"value", std::move(items)}};
}

json user_object(const User& user) {
  return {{"id", user.id},
          {"displayName", user.display_name},
          {"givenName", user.first_name},
          {"surname", user.last_name},
          {"userPrincipalName", user.upn},
          {"mail", user.upn},
          {"accountEnabled", true},
          {"userType", "Member"}};
}

json directory_user(const User& user) {
  return {{"@odata.type", "#microsoft.graph.user"},
          {"id", user.id},
          {"displayName", user.display_name},
          {"userPrincipalName", user.upn}};
}

std::string nickname(const std::string& name) {
  std::string out;
  for (char c : name) out += (c == ' ' ? '-' : c);
  return out;
}

json group_object(const Group& group) {
  return {{"id", group.id},
          {"displayName", group.name},
          {"description", group.description},
          {"groupTypes", json::array()},
          {"mailEnabled", false},
          {"mailNickname", nickname(group.name)},
          {"securityEnabled", true},
          {"visibility", nullptr},
          {"createdDateTime", kGraphCreated}};
}

json app_roles(const Application& app) {
  json roles = json::array();
  for (std::size_t i = 0; i < app.roles.size(); ++i) {
    roles.push_back({{"id", app.role_ids[i]},
                     {"displayName", app.roles[i]},
                     {"description", app.roles[i]},
                     {"value", app.roles[i]},
                     {"isEnabled", true},
                     {"origin", "Application"},
                     {"allowedMemberTypes", json::array({"User"})}});
  }
  return roles;
}

json application_object(const Application& app) {
  json redirects = json::array({app.saml ? app.acs_url : app.redirect_uri});
  return {{"id", app.id},
          {"appId", app.app_id},
          {"displayName", app.name},
          {"description", app.description},
          {"signInAudience", "AzureADMyOrg"},
          {"identifierUris", app.saml ? json::array({app.entity_id}) : json::array()},
          {"createdDateTime", kGraphCreated},
          {"web",
           {{"redirectUris", redirects},
            {"homePageUrl", nullptr},
            {"logoutUrl", nullptr},
            {"implicitGrantSettings", {{"enableIdTokenIssuance", false}, {"enableAccessTokenIssuance", false}}}}},
          {"spa", {{"redirectUris", json::array()}}},
          {"publicClient", {{"redirectUris", json::array()}}},
          {"appRoles", app_roles(app)}};
}

json service_principal_object(const Application& app) {
  return {{"id", app.service_principal_id},
          {"appId", app.app_id},
          {"displayName", app.name},
          {"accountEnabled", true},
          {"appRoleAssignmentRequired", true},
          {"servicePrincipalType", "Application"},
          {"preferredSingleSignOnMode", app.saml ? json("saml") : json(nullptr)},
          {"loginUrl", nullptr},
          {"tags", json::array()},
          {"appRoles", app_roles(app)}};
}

json assignment_object(const Tenant& tenant, const Application& app, const Assignment& assignment) {
  std::string role = kDefaultRole;
  for (std::size_t i = 0; i < app.roles.size(); ++i)
    if (app.roles[i] == assignment.role) role = app.role_ids[i];
  const Group& group = tenant.groups[static_cast<std::size_t>(assignment.group)];
  return {{"id", assignment.id},
          {"appRoleId", role},
          {"createdDateTime", kGraphCreated},
          {"principalDisplayName", group.name},
          {"principalId", group.id},
          {"principalType", "Group"},
          {"resourceDisplayName", app.name},
          {"resourceId", app.service_principal_id}};
}

json policy_object(const Tenant& tenant, const Policy& policy) {
  json include_users = json::array(), include_groups = json::array();
  if (policy.include_groups.empty()) include_users.push_back("All");
  for (int g : policy.include_groups) include_groups.push_back(tenant.groups[static_cast<std::size_t>(g)].id);
  json include_apps = json::array();
  if (policy.include_apps.empty()) include_apps.push_back("All");
  for (int a : policy.include_apps) include_apps.push_back(tenant.applications[static_cast<std::size_t>(a)].app_id);
  json locations = nullptr;
  if (!policy.exclude_locations.empty()) {
    json excluded = json::array();
    for (int l : policy.exclude_locations) excluded.push_back(tenant.locations[static_cast<std::size_t>(l)].id);
    locations = {{"includeLocations", json::array({"All"})}, {"excludeLocations", excluded}};
  }
  json client_types = json::array();
  for (const auto& type : policy.client_app_types)
    client_types.push_back(type == "mobile_and_desktop" ? "mobileAppsAndDesktopClients"
                           : type == "exchange_active_sync" ? "exchangeActiveSync"
                                                            : type);
  return {
      {"id", policy.id},
      {"templateId", nullptr},
      {"displayName", policy.name},
      {"createdDateTime", kGraphCreated},
      {"modifiedDateTime", nullptr},
      {"state", policy.state == "report-only" ? "enabledForReportingButNotEnforced" : policy.state},
      {"conditions",
       {{"userRiskLevels", json::array()},
        {"signInRiskLevels", json::array()},
        {"clientAppTypes", client_types},
        {"platforms", nullptr},
        {"locations", locations},
        {"applications",
         {{"includeApplications", include_apps},
          {"excludeApplications", json::array()},
          {"includeUserActions", json::array()}}},
        {"users",
         {{"includeUsers", include_users},
          {"excludeUsers", json::array()},
          {"includeGroups", include_groups},
          {"excludeGroups", json::array({tenant.groups[static_cast<std::size_t>(policy.exclude_group)].id})},
          {"includeRoles", json::array()},
          {"excludeRoles", json::array()}}}}},
      {"grantControls",
       {{"operator", "OR"},
        {"builtInControls", json::array({policy.block ? "block" : "mfa"})},
        {"customAuthenticationFactors", json::array()},
        {"termsOfUse", json::array()}}},
      {"sessionControls", nullptr}};
}

json location_object(const Location& location) {
  if (location.countries) {
    return {{"@odata.type", "#microsoft.graph.countryNamedLocation"},
            {"id", location.id},
            {"displayName", location.name},
            {"createdDateTime", kGraphCreated},
            {"modifiedDateTime", kGraphCreated},
            {"countriesAndRegions", location.values},
            {"includeUnknownCountriesAndRegions", false},
            {"countryLookupMethod", "clientIpAddress"}};
  }
  json ranges = json::array();
  for (const auto& cidr : location.values)
    ranges.push_back({{"@odata.type", "#microsoft.graph.iPv4CidrRange"}, {"cidrAddress", cidr}});
  return {{"@odata.type", "#microsoft.graph.ipNamedLocation"},
          {"id", location.id},
          {"displayName", location.name},
          {"createdDateTime", kGraphCreated},
          {"modifiedDateTime", kGraphCreated},
          {"isTrusted", location.trusted},
          {"ipRanges", ranges}};
}

}  // namespace

void write_graph_seed(const Tenant& tenant, const std::filesystem::path& directory) {
  namespace fs = std::filesystem;
  fs::remove_all(directory);
  write_json(directory / "_sim" / "clients.json",
             json::array({{{"appId", kBenchClientId}, {"secrets", json::array({kBenchClientSecret})}}}));

  json users = json::array();
  for (const auto& user : tenant.users) users.push_back(user_object(user));
  write_json(directory / "users.json", list_file("users", std::move(users)));

  json groups = json::array();
  for (const auto& group : tenant.groups) {
    groups.push_back(group_object(group));
    json members = json::array(), owners = json::array();
    for (int m : group.members) members.push_back(directory_user(tenant.users[static_cast<std::size_t>(m)]));
    for (int o : group.owners) owners.push_back(directory_user(tenant.users[static_cast<std::size_t>(o)]));
    write_json(directory / "groups" / group.id / "members.json", list_file("directoryObjects", std::move(members)));
    write_json(directory / "groups" / group.id / "owners.json", list_file("directoryObjects", std::move(owners)));
  }
  write_json(directory / "groups.json", list_file("groups", std::move(groups)));

  json applications = json::array(), principals = json::array();
  for (const auto& app : tenant.applications) {
    applications.push_back(application_object(app));
    principals.push_back(service_principal_object(app));
    json assignments = json::array();
    for (const auto& assignment : app.assignments) assignments.push_back(assignment_object(tenant, app, assignment));
    write_json(directory / "servicePrincipals" / app.service_principal_id / "appRoleAssignedTo.json",
               list_file("servicePrincipals('" + app.service_principal_id + "')/appRoleAssignedTo", std::move(assignments)));
  }
  write_json(directory / "applications.json", list_file("applications", std::move(applications)));
  write_json(directory / "servicePrincipals.json", list_file("servicePrincipals", std::move(principals)));

  json policies = json::array();
  for (const auto& policy : tenant.policies) policies.push_back(policy_object(tenant, policy));
  write_json(directory / "conditionalAccessPolicies.json", list_file("identity/conditionalAccess/policies", std::move(policies)));
  json locations = json::array();
  for (const auto& location : tenant.locations) locations.push_back(location_object(location));
  write_json(directory / "namedLocations.json", list_file("identity/conditionalAccess/namedLocations", std::move(locations)));
}

void write_graph_state(const Tenant& tenant, const std::filesystem::path& file) {
  json groups = json::array(), applications = json::array(), assignments = json::array();
  for (const auto& group : tenant.groups) groups.push_back(group.id);
  for (const auto& app : tenant.applications) {
    applications.push_back({{"id", app.id}, {"service_principal", app.service_principal_id}});
    for (const auto& assignment : app.assignments)
      assignments.push_back({{"service_principal", app.service_principal_id}, {"id", assignment.id}});
  }
  json policies = json::array(), locations = json::array();
  for (const auto& policy : tenant.policies) policies.push_back(policy.id);
  for (const auto& location : tenant.locations) locations.push_back(location.id);
  write_json(file, {{"flavor", "graph"},
                    {"groups", groups},
                    {"applications", applications},
                    {"assignments", assignments},
                    {"policies", policies},
                    {"locations", locations}});
}

}  // namespace bench
