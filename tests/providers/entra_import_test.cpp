// `idform import` of an Entra tenant that idform did not make: Graph-shaped objects with properties
// the config has no word for, Microsoft's own example payloads, read-only groups of every sort,
// a Microsoft-managed policy and two groups of the same name. Import writes a tree that validates,
// plans to no changes, names the duplicates by id with a warning, skips and counts what idform does
// not manage, never writes a secret, and is byte-identical the second time.

#include <catch2/catch.hpp>

#include <fstream>

#include "support/config_tree.hpp"
#include "providers/entra_testbed.hpp"
#include "support/temp_dir.hpp"

using namespace idform::testing::entra;
using nlohmann::json;

namespace {

using idform::testing::read_text;

constexpr const char* kAlice = "11111111-0000-4000-8000-000000000001";
constexpr const char* kBob = "11111111-0000-4000-8000-000000000002";
constexpr const char* kCarol = "11111111-0000-4000-8000-000000000003";
constexpr const char* kDave = "11111111-0000-4000-8000-000000000004";
// A password credential's secret as Graph's addPassword response shows it once; it must never be
// written by import.
constexpr const char* kAppSecretText = "Xx8Q~importTestSecretText.never-written";

json graph_group(const std::string& id, const std::string& name, json extra = json::object()) {
  json group = {{"id", id},
                {"deletedDateTime", nullptr},
                {"classification", nullptr},
                {"createdDateTime", "2023-04-01T09:00:00Z"},
                {"description", nullptr},
                {"displayName", name},
                {"groupTypes", json::array()},
                {"mail", nullptr},
                {"mailEnabled", false},
                {"mailNickname", "g" + id.substr(0, 8)},
                {"onPremisesSyncEnabled", nullptr},
                {"securityEnabled", true},
                {"visibility", nullptr}};
  for (auto& [key, value] : extra.items()) group[key] = value;
  return group;
}

json user_ref(const std::string& id) {
  return {{"@odata.type", "#microsoft.graph.user"}, {"id", id}};
}

json group_ref(const std::string& id) {
  return {{"@odata.type", "#microsoft.graph.group"}, {"id", id}};
}

json assignment(const std::string& id, const std::string& group, const std::string& role, const std::string& sp) {
  return {{"id", id},
          {"appRoleId", role},
          {"createdDateTime", "2023-05-01T10:00:00Z"},
          {"principalDisplayName", "x"},
          {"principalId", group},
          {"principalType", "Group"},
          {"resourceDisplayName", "x"},
          {"resourceId", sp}};
}

void write_varied_tenant(const std::filesystem::path& seed) {
  write_json(seed, "users.json", list_of("users", standard_users()));

  // Groups: managed security groups (one nested in the other, one with an owner), two named
  // "Contractors", and four idform never changes.
  const std::string eng = "22222222-0000-4000-8000-000000000001", platform = "22222222-0000-4000-8000-000000000002",
                    dup_a = "22222222-0000-4000-8000-00000000000a", dup_b = "22222222-0000-4000-8000-00000000000b";
  json groups = json::array(
      {graph_group(eng, "Engineering", {{"description", "Everyone who ships code"}}), graph_group(platform, "Platform"),
       graph_group(dup_a, "Contractors"), graph_group(dup_b, "Contractors"),
       graph_group("22222222-0000-4000-8000-0000000000c1", "Sales (AD)",
                   {{"onPremisesSyncEnabled", true}, {"onPremisesSamAccountName", "sales"}}),
       graph_group("22222222-0000-4000-8000-0000000000c2", "All staff (dynamic)",
                   {{"groupTypes", {"DynamicMembership"}},
                    {"membershipRule", "user.accountEnabled -eq true"},
                    {"membershipRuleProcessingState", "On"}}),
       graph_group("22222222-0000-4000-8000-0000000000c3", "Marketing team",
                   {{"groupTypes", {"Unified"}}, {"mailEnabled", true}, {"mail", "marketing@acme.example"},
                    {"securityEnabled", false}, {"visibility", "Private"}}),
       graph_group("22222222-0000-4000-8000-0000000000c4", "Finance (mail)",
                   {{"mailEnabled", true}, {"mail", "finance@acme.example"}})});
  write_json(seed, "groups.json", list_of("groups", groups));
  write_json(seed, "groups/" + eng + "/members.json",
             list_of("directoryObjects", json::array({user_ref(kAlice), user_ref(kBob), group_ref(platform)})));
  write_json(seed, "groups/" + eng + "/owners.json", list_of("directoryObjects", json::array({user_ref(kCarol)})));
  write_json(seed, "groups/" + platform + "/members.json", list_of("directoryObjects", json::array({user_ref(kDave)})));
  write_json(seed, "groups/" + dup_a + "/members.json", list_of("directoryObjects", json::array({user_ref(kCarol)})));
  write_json(seed, "groups/" + dup_b + "/members.json", list_of("directoryObjects", json::array({user_ref(kDave)})));

  // Applications: a SAML app (roles on its service principal, a password credential whose secret
  // Graph showed once), an OIDC app with every redirect kind, each with group assignments.
  const std::string saml_app = "33333333-0000-4000-8000-000000000001", saml_id = "33333333-0000-4000-8000-0000000000a1",
                    saml_sp = "33333333-0000-4000-8000-0000000000b1";
  const std::string oidc_app = "33333333-0000-4000-8000-000000000002", oidc_id = "33333333-0000-4000-8000-0000000000a2",
                    oidc_sp = "33333333-0000-4000-8000-0000000000b2";
  const std::string reader_role = "44444444-0000-4000-8000-000000000001";
  json saml = {{"id", saml_id},
               {"appId", saml_app},
               {"displayName", "Expenses"},
               {"description", "Expense reports"},
               {"signInAudience", "AzureADMyOrg"},
               {"identifierUris", {"https://expenses.example"}},
               {"tags", {"WindowsAzureActiveDirectoryCustomSingleSignOnApplication"}},
               {"appRoles", json::array()},
               {"passwordCredentials",
                {{{"displayName", "sso"}, {"keyId", "55555555-0000-4000-8000-000000000001"}, {"hint", "Xx8"},
                  {"secretText", kAppSecretText}, {"endDateTime", "2027-01-01T00:00:00Z"}}}},
               {"web",
                {{"redirectUris", {"https://expenses.example/acs"}},
                 {"homePageUrl", nullptr},
                 {"logoutUrl", "https://expenses.example/logout"},
                 {"implicitGrantSettings", {{"enableIdTokenIssuance", false}, {"enableAccessTokenIssuance", false}}}}},
               {"spa", {{"redirectUris", json::array()}}},
               {"publicClient", {{"redirectUris", json::array()}}}};
  json saml_principal = {
      {"id", saml_sp},
      {"appId", saml_app},
      {"displayName", "Expenses"},
      {"accountEnabled", true},
      {"appRoleAssignmentRequired", true},
      {"preferredSingleSignOnMode", "saml"},
      {"loginUrl", "https://expenses.example/sso"},
      {"servicePrincipalType", "Application"},
      {"tags", {"WindowsAzureActiveDirectoryIntegratedApp"}},
      {"appRoles",
       {{{"allowedMemberTypes", {"User"}}, {"description", "msiam_access"}, {"displayName", "msiam_access"},
         {"id", "b9632174-c057-4f7e-951b-be3adc52bfe6"}, {"isEnabled", true}, {"origin", "Application"},
         {"value", nullptr}},
        {{"allowedMemberTypes", {"User"}}, {"description", "Read reports"}, {"displayName", "Reader"},
         {"id", reader_role}, {"isEnabled", true}, {"origin", "ServicePrincipal"}, {"value", "Reader"}}}}};
  json oidc = {{"id", oidc_id},
               {"appId", oidc_app},
               {"displayName", "Portal"},
               {"description", nullptr},
               {"signInAudience", "AzureADMyOrg"},
               {"identifierUris", json::array()},
               {"appRoles", json::array()},
               {"requiredResourceAccess",
                {{{"resourceAppId", "00000003-0000-0000-c000-000000000000"},
                  {"resourceAccess", {{{"id", "e1fe6dd8-ba31-4d61-89e7-88639da4683d"}, {"type", "Scope"}}}}}}},
               {"web",
                {{"redirectUris", {"https://portal.acme.example/callback"}},
                 {"homePageUrl", "https://portal.acme.example"},
                 {"logoutUrl", nullptr},
                 {"implicitGrantSettings", {{"enableIdTokenIssuance", true}, {"enableAccessTokenIssuance", false}}}}},
               {"spa", {{"redirectUris", {"https://portal.acme.example/spa"}}}},
               {"publicClient", {{"redirectUris", {"com.acme.portal://callback"}}}}};
  json oidc_principal = {{"id", oidc_sp},
                         {"appId", oidc_app},
                         {"displayName", "Portal"},
                         {"accountEnabled", true},
                         {"appRoleAssignmentRequired", false},
                         {"preferredSingleSignOnMode", nullptr},
                         {"servicePrincipalType", "Application"},
                         {"tags", json::array()},
                         {"appRoles", json::array()}};
  write_json(seed, "applications.json", list_of("applications", json::array({saml, oidc})));
  write_json(seed, "servicePrincipals.json", list_of("servicePrincipals", json::array({saml_principal, oidc_principal})));
  write_json(seed, "servicePrincipals/" + saml_sp + "/appRoleAssignedTo.json",
             list_of("appRoleAssignments",
                     json::array({assignment("aaaa0001", eng, reader_role, saml_sp),
                                  assignment("aaaa0002", dup_a, "b9632174-c057-4f7e-951b-be3adc52bfe6", saml_sp)})));
  write_json(seed, "servicePrincipals/" + oidc_sp + "/appRoleAssignedTo.json",
             list_of("appRoleAssignments",
                     json::array({assignment("aaaa0003", dup_b, "00000000-0000-0000-0000-000000000000", oidc_sp)})));

  // Named locations: an IP range and a country list, as Microsoft's examples have them.
  const std::string office = "66666666-0000-4000-8000-000000000001", countries = "66666666-0000-4000-8000-000000000002";
  json locations = json::array(
      {{{"@odata.type", "#microsoft.graph.ipNamedLocation"},
        {"id", office},
        {"displayName", "Office"},
        {"modifiedDateTime", "2023-06-01T00:00:00Z"},
        {"createdDateTime", "2023-06-01T00:00:00Z"},
        {"isTrusted", true},
        {"ipRanges",
         {{{"@odata.type", "#microsoft.graph.iPv4CidrRange"}, {"cidrAddress", "203.0.113.0/24"}},
          {{"@odata.type", "#microsoft.graph.iPv6CidrRange"}, {"cidrAddress", "2001:db8::/48"}}}}},
       {{"@odata.type", "#microsoft.graph.countryNamedLocation"},
        {"id", countries},
        {"displayName", "Sanctioned countries"},
        {"modifiedDateTime", "2023-06-01T00:00:00Z"},
        {"createdDateTime", "2023-06-01T00:00:00Z"},
        {"countriesAndRegions", {"KP", "IR"}},
        {"includeUnknownCountriesAndRegions", false},
        {"countryLookupMethod", "clientIpAddress"}}});
  write_json(seed, "namedLocations.json", list_of("identity/conditionalAccess/namedLocations", locations));

  // Policies: MFA for Engineering on Expenses outside the office, excluding one of the two
  // Contractors groups; a block by country in report-only; and a Microsoft-managed policy.
  auto policy = [](const std::string& id, const std::string& name, const std::string& state, json conditions,
                   json grant) {
    return json{{"id", id},
                {"templateId", nullptr},
                {"displayName", name},
                {"createdDateTime", "2023-07-01T00:00:00Z"},
                {"modifiedDateTime", nullptr},
                {"state", state},
                {"sessionControls", nullptr},
                {"conditions", conditions},
                {"grantControls", grant}};
  };
  json users_none = {{"includeUsers", json::array()}, {"excludeUsers", json::array()},
                     {"includeGroups", json::array()}, {"excludeGroups", json::array()},
                     {"includeRoles", json::array()}, {"excludeRoles", json::array()},
                     {"includeGuestsOrExternalUsers", nullptr}, {"excludeGuestsOrExternalUsers", nullptr}};
  json mfa_users = users_none;
  mfa_users["includeGroups"] = {eng};
  mfa_users["excludeGroups"] = {dup_a};
  json all_users = users_none;
  all_users["includeUsers"] = {"All"};
  all_users["excludeUsers"] = {kAlice};
  auto apps_of = [](json include) {
    return json{{"includeApplications", include}, {"excludeApplications", json::array()},
                {"includeUserActions", json::array()}, {"includeAuthenticationContextClassReferences", json::array()},
                {"applicationFilter", nullptr}};
  };
  json policies = json::array(
      {policy("77777777-0000-4000-8000-000000000001", "CA-Engineering-MFA", "enabled",
              {{"userRiskLevels", json::array()}, {"signInRiskLevels", json::array()},
               {"clientAppTypes", {"all"}}, {"platforms", nullptr}, {"devices", nullptr}, {"clientApplications", nullptr},
               {"applications", apps_of(json::array({saml_app}))},
               {"users", mfa_users},
               {"locations", {{"includeLocations", {"All"}}, {"excludeLocations", {office}}}}},
              {{"operator", "OR"}, {"builtInControls", {"mfa"}}, {"customAuthenticationFactors", json::array()},
               {"termsOfUse", json::array()}, {"authenticationStrength", nullptr}}),
       policy("77777777-0000-4000-8000-000000000002", "CA-Block-Countries", "enabledForReportingButNotEnforced",
              {{"userRiskLevels", json::array()}, {"signInRiskLevels", json::array()},
               {"clientAppTypes", {"all"}}, {"platforms", nullptr}, {"devices", nullptr}, {"clientApplications", nullptr},
               {"applications", apps_of(json::array({"All"}))},
               {"users", all_users},
               {"locations", {{"includeLocations", {countries}}, {"excludeLocations", json::array()}}}},
              {{"operator", "OR"}, {"builtInControls", {"block"}}, {"customAuthenticationFactors", json::array()},
               {"termsOfUse", json::array()}, {"authenticationStrength", nullptr}}),
       policy("77777777-0000-4000-8000-000000000003", "Microsoft-managed: Multifactor authentication for admins",
              "enabledForReportingButNotEnforced",
              {{"clientAppTypes", {"all"}}, {"applications", apps_of(json::array({"All"}))},
               {"users", all_users}},
              {{"operator", "OR"}, {"builtInControls", {"mfa"}}})});
  write_json(seed, "conditionalAccessPolicies.json", list_of("identity/conditionalAccess/policies", policies));
}

}  // namespace

TEST_CASE("entra import of a varied tenant plans to no changes and imports byte-identically twice", "[entra]") {
  TestbedOptions options;
  options.seed = write_varied_tenant;
  Testbed bed(options);
  idform::testing::TempDir out;
  std::string project = bed.project_file();
  project.replace(project.find("IDFORM_TEST_ENTRA_SECRET"), 24, kSecretVariable);
  std::ofstream(out.path() / "idform.yaml") << project;
  auto idform = [&](std::vector<std::string> args) {
    args.insert(args.begin(), IDFORM_BINARY);
    args.insert(args.end(), {"--no-color", "--config", out.path().string()});
    return idform::testing::run_process(args, {{kSecretVariable, kSimSecret}, {"IDFORM_TODAY", "2026-11-29"}});
  };

  auto first = idform({"import", "--target", "entra", "--force"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  // Not managed by idform: the synced, dynamic, Microsoft 365 and mail-enabled groups, and the
  // Microsoft-managed policy.
  CHECK(first.out.find("Skipped 5 built-in object(s)") != std::string::npos);
  CHECK(first.err.find("warning: group:Contractors (id 22222222-0000-4000-8000-00000000000a) shares its name") !=
        std::string::npos);
  CHECK(first.err.find("warning: group:Contractors (id 22222222-0000-4000-8000-00000000000b) shares its name") !=
        std::string::npos);
  auto files = idform::testing::read_config_tree(out.path());
  std::set<std::string> names;
  for (const auto& [path, text] : files) names.insert(path);
  CHECK(names == std::set<std::string>{"apps/expenses.yaml", "apps/portal.yaml", "groups/contractors.yaml",
                                       "groups/contractors-2.yaml", "groups/engineering.yaml", "groups/platform.yaml",
                                       "idform.yaml", "locations/office.yaml", "locations/sanctioned-countries.yaml",
                                       "policies/ca-block-countries.yaml", "policies/ca-engineering-mfa.yaml"});
  INFO(files["groups/engineering.yaml"] << files["apps/expenses.yaml"] << files["apps/portal.yaml"]
       << files["policies/ca-engineering-mfa.yaml"] << files["policies/ca-block-countries.yaml"]);
  // References by name (users by address), except to the two groups that share one.
  CHECK(files["groups/engineering.yaml"].find("- group: Platform") != std::string::npos);
  CHECK(files["groups/engineering.yaml"].find("alice@acme.example") != std::string::npos);
  CHECK(files["groups/engineering.yaml"].find("carol@acme.example") != std::string::npos);
  CHECK(files["apps/expenses.yaml"].find("role: Reader") != std::string::npos);
  CHECK(files["apps/expenses.yaml"].find("id:22222222-0000-4000-8000-00000000000a") != std::string::npos);
  CHECK(files["apps/portal.yaml"].find("id:22222222-0000-4000-8000-00000000000b") != std::string::npos);
  CHECK(files["policies/ca-engineering-mfa.yaml"].find("group:id:22222222-0000-4000-8000-00000000000a") !=
        std::string::npos);
  CHECK(files["policies/ca-engineering-mfa.yaml"].find("location:Office") != std::string::npos);
  CHECK(files["policies/ca-engineering-mfa.yaml"].find("app:Expenses") != std::string::npos);
  CHECK(files["policies/ca-block-countries.yaml"].find("alice@acme.example") != std::string::npos);
  // Never a secret: neither the client secret idform signed in with nor the app's password.
  for (const auto& [path, text] : files) {
    CHECK(text.find(kSimSecret) == std::string::npos);
    CHECK(text.find(kAppSecretText) == std::string::npos);
  }
  CHECK(first.out.find(kSimSecret) == std::string::npos);
  CHECK(first.err.find(kSimSecret) == std::string::npos);

  auto validate = idform({"validate"});
  INFO(validate.out << validate.err);
  CHECK(validate.exit_code == 0);
  auto plan = idform({"plan", "--detailed-exitcode"});
  INFO(plan.out << plan.err);
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.find("No changes") != std::string::npos);

  auto second = idform({"import", "--target", "entra", "--force"});
  REQUIRE(second.exit_code == 0);
  CHECK(idform::testing::read_config_tree(out.path()) == files);

  // The imported tree is a working config: a member added to an imported group is applied, and
  // the read-only groups it never wrote are left as they are.
  std::string engineering = files["groups/engineering.yaml"];
  auto at = engineering.find("alice@acme.example");
  REQUIRE(at != std::string::npos);
  std::ofstream(out.path() / "groups/engineering.yaml")
      << engineering.insert(engineering.find('\n', at) + 1,
                            engineering.substr(engineering.rfind('\n', at) + 1, at - engineering.rfind('\n', at) - 1) +
                                "dave@acme.example\n");
  auto apply = idform({"apply", "--auto-approve"});
  INFO(apply.out << apply.err);
  REQUIRE(apply.exit_code == 0);
  CHECK(apply.out.find("1 to update") != std::string::npos);
  CHECK(idform({"plan", "--detailed-exitcode"}).exit_code == 0);
}
