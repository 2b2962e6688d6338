// The mapping between idform specs and Graph objects, without HTTP: Microsoft's own example
// payloads read into the expected specs, and every config field written to Graph properties
// reads back as the same spec (the mapping half of "the next plan is empty").

#include <catch2/catch.hpp>
#include <fstream>

#include "providers/entra/application_mapping.hpp"
#include "providers/entra/capabilities.hpp"
#include "providers/entra/group_mapping.hpp"
#include "providers/entra/incremental_read.hpp"
#include "providers/entra/location_mapping.hpp"
#include "providers/entra/policy_mapping.hpp"
#include "providers/entra/policy_mapping_conditions.hpp"
#include "reconciler/model/normalize.hpp"
#include "reconciler/model/spec_path.hpp"

using namespace idform::providers::entra;
using nlohmann::json;

namespace {

json fixture(const std::string& name) {
  std::ifstream in(std::string(IDFORM_SOURCE_DIR) + "/tests/fixtures/entra/" + name);
  return json::parse(in);
}

// A tenant with one object of each kind the policy below refers to.
TenantSnapshot small_tenant() {
  TenantSnapshot snapshot;
  snapshot.groups = {{{"id", "g-1"}, {"displayName", "break-glass"}}, {{"id", "g-2"}, {"displayName", "admins"}}};
  snapshot.users["u-1"] = {"u-1", "Alice@Acme.example", "Alice"};
  snapshot.applications = {{{"id", "o-1"}, {"appId", "a-1"}, {"displayName", "Salesforce"}}};
  snapshot.locations = {{{"id", "l-1"}, {"displayName", "hq"}}};
  return snapshot;
}

std::map<std::string, std::string> tenant_ids() {
  return {{"group:break-glass", "g-1"}, {"group:admins", "g-2"}, {"user:alice@acme.example", "u-1"},
          {"app:Salesforce", "a-1"}, {"location:hq", "l-1"}};
}

std::vector<std::string> every_field(idform::model::Kind kind, const json& spec) {
  std::vector<std::string> paths;
  for (const auto& field : idform::model::fields_of(kind))
    if (idform::model::find_path(spec, field.path)) paths.emplace_back(field.path);
  return paths;
}

// The stated fields of `want` equal those of `have`, compared the way the differ compares.
void check_converges(idform::model::Kind kind, const json& want, const json& have) {
  json a = idform::model::normalize_spec(kind, want), b = idform::model::normalize_spec(kind, have);
  for (const auto& field : idform::model::fields_of(kind)) {
    const json* wanted = idform::model::find_path(a, field.path);
    if (!wanted) continue;
    const json* got = idform::model::find_path(b, field.path);
    INFO(field.path);
    REQUIRE(got);
    CHECK(*got == *wanted);
  }
}

}  // namespace

TEST_CASE("Microsoft's example policy reads as a spec with references by name", "[entra]") {
  TenantSnapshot snapshot;
  snapshot.users["a702a13d-a437-4a07-8a7e-8c052de62dfd"] = {"a702a13d-a437-4a07-8a7e-8c052de62dfd", "alice@contoso.com", ""};
  NameIndex names(snapshot);
  auto resource = policy_resource(fixture("conditionalAccessPolicy-get.json"), names);
  json spec = idform::model::normalize_spec(idform::model::Kind::conditional_access_policy, resource.spec);
  CHECK(resource.name == "Demo app for documentation");
  CHECK(spec["state"] == "disabled");
  CHECK(spec["users"]["include"] == json({"role:Application Administrator", "role:Application Developer",
                                          "role:Authentication Administrator", "user:alice@contoso.com"}));
  CHECK(spec["users"]["exclude"] == json({"guests", "role:Billing Administrator",
                                          "user:id:124c5b6a-ffa5-483a-9b88-04c3fce5574a"}));
  CHECK(spec["applications"]["include"] == json({"all"}));
  CHECK(spec["applications"]["exclude"].size() == 7);
  INFO(spec["applications"]["exclude"].dump());
  // Apps with no application object in the tenant are named by the first-party table or by appId.
  for (const auto& app : spec["applications"]["exclude"]) {
    const auto text = app.get<std::string>();
    CHECK((text.starts_with("app:microsoft:") || text.starts_with("app:appid:")));
  }
  CHECK(spec["platforms"]["include"] == json({"all"}));
  CHECK(spec["platforms"]["exclude"] == json({"ios", "windows_phone"}));
  CHECK(spec["locations"]["include"] == json({"all_trusted"}));
  CHECK(spec["locations"]["exclude"] == json({"location:id:00000000-0000-0000-0000-000000000000",
                                              "location:id:d2136c9c-b049-47ae-b9cf-316e04ef7198"}));
  CHECK(spec["client_app_types"] == json({"exchange_active_sync", "mobile_and_desktop", "other"}));
  CHECK(spec["sign_in_risk"] == json({"low", "medium"}));
  CHECK(spec["grant"]["operator"] == "or");
  CHECK(spec["grant"]["controls"] == json({"approved_app", "compliant_app", "compliant_device", "domain_joined_device", "mfa"}));
  CHECK(spec["session"]["sign_in_frequency"] == "4h");
  CHECK(spec["session"]["app_enforced_restrictions"] == false);
  CHECK(spec["session"]["cloud_app_security"] == "block_downloads");  // the example enables it
}

TEST_CASE("every policy field written to Graph reads back as the same spec", "[entra]") {
  TenantSnapshot snapshot = small_tenant();
  NameIndex names(snapshot);
  auto ids = tenant_ids();
  IdResolver resolver(ids);
  auto frequency = GENERATE(as<std::string>{}, "8h", "1d", "every_time");
  json spec = {
      {"state", "report-only"},
      {"users", {{"include", {"all", "guests", "group:admins", "role:Global Administrator", "user:alice@acme.example"}},
                 {"exclude", {"group:break-glass"}}}},
      {"applications", {{"include", {"app:Salesforce", "office365"}}, {"exclude", json::array()}}},
      {"locations", {{"include", {"any"}}, {"exclude", {"all_trusted", "location:hq"}}}},
      {"platforms", {{"include", {"all"}}, {"exclude", {"ios", "macos", "windows_phone"}}}},
      {"client_app_types", {"browser", "mobile_and_desktop", "exchange_active_sync", "other"}},
      {"sign_in_risk", {"medium", "high"}},
      {"user_risk", {"high"}},
      {"grant", {{"operator", "and"}, {"controls", {"mfa", "compliant_device", "approved_app", "compliant_app",
                                                   "domain_joined_device", "password_change"}}}},
      {"session", {{"sign_in_frequency", frequency}, {"persistent_browser", "never"}, {"app_enforced_restrictions", true}}},
  };
  auto body = policy_properties(spec, every_field(idform::model::Kind::conditional_access_policy, spec), resolver);
  REQUIRE(body);
  CHECK((*body)["state"] == "enabledForReportingButNotEnforced");
  CHECK((*body)["conditions"]["users"]["includeRoles"] == json({"62e90394-69f5-4237-9190-012177145e10"}));
  CHECK((*body)["conditions"]["applications"]["includeApplications"] == json({"a-1", "Office365"}));
  CHECK((*body)["conditions"]["locations"]["includeLocations"] == json({"All"}));
  CHECK((*body)["conditions"]["clientAppTypes"] == json({"browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"}));
  CHECK((*body)["grantControls"]["operator"] == "AND");
  (*body)["id"] = "p-1";
  (*body)["displayName"] = "CA-test";
  check_converges(idform::model::Kind::conditional_access_policy, spec, policy_resource(*body, names).spec);
}

TEST_CASE("a policy update sends only the sections whose fields changed", "[entra]") {
  auto ids = tenant_ids();
  IdResolver resolver(ids);
  json spec = {{"state", "enabled"}, {"users", {{"include", {"all"}}, {"exclude", {"group:break-glass"}}}},
               {"session", {{"sign_in_frequency", "12h"}}}};
  auto body = policy_properties(spec, {"users.exclude"}, resolver);
  REQUIRE(body);
  CHECK(*body == json({{"conditions", {{"users", {{"excludeUsers", json::array()}, {"excludeGroups", {"g-1"}},
                                                  {"excludeRoles", json::array()}}}}}}));
  CHECK(policy_properties(spec, {"session.sign_in_frequency"}, resolver)->at("sessionControls") ==
        json({{"signInFrequency", {{"isEnabled", true}, {"authenticationType", "primaryAndSecondaryAuthentication"},
                                   {"frequencyInterval", "timeBased"}, {"value", 12}, {"type", "hours"}}}}));
}

TEST_CASE("named locations read and write both Graph types", "[entra]") {
  auto ip = location_resource(fixture("namedLocation-ip-get.json"));
  CHECK(idform::model::normalize_spec(idform::model::Kind::named_location, ip.spec) ==
        json({{"trusted", false}, {"ip_ranges", {"12.34.220.0/22", "2001:0:9d38:90d6::/63"}}}));  // as its network
  auto country = location_resource(fixture("namedLocation-country-get.json"));
  CHECK(country.spec == json({{"countries", {"US", "GB"}}, {"include_unknown_countries", true}}));

  json ip_spec = {{"trusted", true}, {"ip_ranges", {"203.0.113.0/24", "2001:db8:10::/48"}}};
  json body = location_properties(ip_spec, {"trusted", "ip_ranges"}, nullptr);
  CHECK(body["@odata.type"] == "#microsoft.graph.ipNamedLocation");
  CHECK(body["ipRanges"][1] == json({{"@odata.type", "#microsoft.graph.iPv6CidrRange"}, {"cidrAddress", "2001:db8:10::/48"}}));
  check_converges(idform::model::Kind::named_location, ip_spec, location_resource(body).spec);

  json country_spec = {{"countries", {"DE", "NO"}}, {"include_unknown_countries", false}};
  json country_body = location_properties(country_spec, {"countries", "include_unknown_countries"}, nullptr);
  CHECK(country_body["@odata.type"] == "#microsoft.graph.countryNamedLocation");
  check_converges(idform::model::Kind::named_location, country_spec, location_resource(country_body).spec);
  // An update that changes only the trust keeps the type Graph needs.
  CHECK(location_properties({{"trusted", false}}, {"trusted"}, ip_spec) ==
        json({{"@odata.type", "#microsoft.graph.ipNamedLocation"}, {"isTrusted", false}}));
}

TEST_CASE("applications read back what was written, SAML and OIDC", "[entra]") {
  TenantSnapshot snapshot = small_tenant();
  json spec = GENERATE(
      json({{"description", "CRM"},
            {"sso", {{"protocol", "saml"},
                     {"saml", {{"entity_id", "https://acme.my.salesforce.com"}, {"acs_urls", {"https://acme.my.salesforce.com/?so=1"}},
                               {"sign_on_url", "https://acme.my.salesforce.com/sso"},
                               {"logout_url", "https://acme.my.salesforce.com/logout"}}}}}}),
      json({{"description", ""},
            {"sso", {{"protocol", "oidc"},
                     {"oidc", {{"redirect_uris", {"https://app.example/cb"}}, {"spa_redirect_uris", {"https://app.example/spa"}},
                               {"public_client_redirect_uris", {"com.example.app://cb"}},
                               {"id_token_issuance", true}, {"access_token_issuance", false}}}}}}));
  ApplicationProperties properties =
      application_properties(spec, every_field(idform::model::Kind::application, spec), nullptr);
  json application = properties.application;
  application["id"] = "o-9";
  application["appId"] = "a-9";
  application["displayName"] = "App";
  json principal = properties.service_principal;
  principal["id"] = "sp-9";
  principal["appId"] = "a-9";
  snapshot.applications.push_back(application);
  snapshot.service_principals["a-9"] = principal;
  NameIndex names(snapshot);
  check_converges(idform::model::Kind::application, spec, application_resource(application, snapshot, names).spec);
}

TEST_CASE("assignments read with role names, default access and template roles as none, unnamed principals by type", "[entra]") {
  TenantSnapshot snapshot = small_tenant();
  json application = {{"id", "o-1"}, {"appId", "a-1"}, {"displayName", "Salesforce"},
                      {"appRoles", {{{"id", "r-1"}, {"displayName", "Standard User"}, {"value", "Standard_User"}, {"isEnabled", true}},
                                    {{"id", "r-2"}, {"displayName", "Retired"}, {"value", "Retired"}, {"isEnabled", false}},
                                    {{"id", "r-3"}, {"displayName", "msiam_access"}, {"value", nullptr}, {"isEnabled", true}}}}};
  snapshot.applications = {application};
  snapshot.service_principals["a-1"] = {{"id", "sp-1"}, {"appId", "a-1"}, {"preferredSingleSignOnMode", "saml"}};
  snapshot.assignments["sp-1"] = {
      {{"id", "x1"}, {"appRoleId", "r-1"}, {"principalId", "g-2"}, {"principalType", "Group"}},
      {{"id", "x2"}, {"appRoleId", kDefaultAppRoleId}, {"principalId", "u-1"}, {"principalType", "User"}},
      {{"id", "x3"}, {"appRoleId", kDefaultAppRoleId}, {"principalId", "sp-7"}, {"principalType", "ServicePrincipal"}},
      {{"id", "x4"}, {"appRoleId", "r-3"}, {"principalId", "g-1"}, {"principalType", "Group"}}};
  NameIndex names(snapshot);
  auto resource = application_resource(application, snapshot, names);
  CHECK(resource.id == "a-1");
  CHECK(resource.spec["roles"] == json({"Standard User"}));
  CHECK(resource.spec["assignments"] ==
        json({"group:admins|role:Standard User", "user:alice@acme.example", "servicePrincipal:sp-7", "group:break-glass"}));
}

TEST_CASE("groups read owners as emails and members as typed references", "[entra]") {
  TenantSnapshot snapshot = small_tenant();
  // Members and owners are ids; users are known from `users`, every other type from object_types.
  snapshot.members["g-2"] = {"u-1", "g-1", "d-1", "u-9"};
  snapshot.object_types = {{"g-1", "group"}, {"d-1", "device"}};
  snapshot.owners["g-2"] = {"u-1"};
  NameIndex names(snapshot);
  auto resource = group_resource({{"id", "g-2"}, {"displayName", "admins"}, {"description", nullptr}}, snapshot, names);
  CHECK(resource.spec ==
        json({{"description", ""},
              {"owners", {"alice@acme.example"}},
              {"members", {"user:alice@acme.example", "group:break-glass", "device:d-1", "user:id:u-9"}}}));
}

TEST_CASE("two objects with one name are referred to by id", "[entra]") {
  TenantSnapshot snapshot;
  snapshot.groups = {{{"id", "g-1"}, {"displayName", "sales"}}, {{"id", "g-2"}, {"displayName", "sales"}}};
  NameIndex names(snapshot);
  CHECK(names.group("g-1") == "group:id:g-1");
  CHECK(names.group("g-unknown") == "group:id:g-unknown");
  std::map<std::string, std::string> none;
  CHECK(*IdResolver(none).id_of("group:id:g-2") == "g-2");
  CHECK(*IdResolver(none).id_of("servicePrincipal:sp-1") == "sp-1");
  CHECK_FALSE(IdResolver(none).id_of("group:sales"));
}

TEST_CASE("mailNickname is derived from the name within Graph's rules", "[entra]") {
  CHECK(mail_nickname("payments-admins") == "payments-admins");
  CHECK(mail_nickname("Sales (EMEA): team.leads") == "Sales-EMEA-team-leads");
  CHECK(mail_nickname("Zürich office") == "Z-rich-office");
  CHECK(mail_nickname("@@@") == "group");
  CHECK(mail_nickname(std::string(100, 'a')).size() == 64);
}

TEST_CASE("config Graph cannot express is an error naming the field and the provider", "[entra]") {
  idform::model::DesiredState desired;
  idform::model::Resource app;
  app.kind = idform::model::Kind::application;
  app.name = "Workday";
  app.spec = {{"sso", {{"protocol", "saml"}, {"saml", {{"entity_id", "x:y"}, {"name_id_format", "persistent"}}}}}};
  idform::model::Resource oidc;
  oidc.kind = idform::model::Kind::application;
  oidc.name = "Grafana";
  oidc.spec = {{"sso", {{"protocol", "oidc"}, {"oidc", {{"grant_types", {"authorization_code"}},
                                                        {"post_logout_redirect_uris", {"https://x.example/"}}}}}}};
  idform::model::Resource policy;
  policy.kind = idform::model::Kind::conditional_access_policy;
  policy.name = "CA-9";
  policy.spec = {{"users", {{"include", {"role:Chief Vibes Officer", "role:Global Administrator"}}, {"exclude", {"all"}}}},
                 {"locations", {{"exclude", {"any"}}}}};
  desired.resources = {app, oidc, policy};
  auto errors = check_expressible(desired);
  std::vector<std::string> texts;
  for (const auto& error : errors) texts.push_back(error.to_string());
  REQUIRE(texts.size() == 6);
  CHECK(texts[0].starts_with("app:Workday: sso.saml.name_id_format: provider \"entra\" cannot express this"));
  CHECK(texts[1].starts_with("app:Grafana: sso.oidc.post_logout_redirect_uris: provider \"entra\""));
  CHECK(texts[2].starts_with("app:Grafana: sso.oidc.grant_types: provider \"entra\""));
  CHECK(texts[3].starts_with("policy:CA-9: users.exclude: all: provider \"entra\" cannot express this"));
  CHECK(texts[4].starts_with("policy:CA-9: locations.exclude: any: provider \"entra\""));
  CHECK(texts[5].starts_with("policy:CA-9: users.include: \"Chief Vibes Officer\" is not a Microsoft Entra built-in role"));
}

TEST_CASE("the newer policy fields write Graph's shapes and read back as the same spec", "[entra]") {
  TenantSnapshot snapshot = small_tenant();
  NameIndex names(snapshot);
  auto ids = tenant_ids();
  IdResolver resolver(ids);
  json spec = {
      {"state", "enabled"},
      {"users", {{"include", {"all"}},
                 {"exclude", {"group:break-glass"}},
                 {"include_guests_or_external_users", {{"types", {"internal_guest", "service_provider"}}, {"external_tenants", {"all"}}}},
                 {"exclude_guests_or_external_users", {{"types", {"b2b_direct_connect_user"}}, {"external_tenants", {"0b2d0e9e-7d8b-4c63-9a3a-2f0f0c7a9f10"}}}}}},
      {"applications", {{"include", {"microsoft_admin_portals"}},
                        {"include_user_actions", {"register_device"}},
                        {"include_authentication_contexts", {"c3"}},
                        {"filter", {{"mode", "include"}, {"rule", "CustomSecurityAttribute.Tier -eq \"1\""}}}}},
      {"client_applications", {{"include", {"all"}}, {"exclude", {"id:5b1e0c6a-3d2f-4a8b-9c7d-1e2f3a4b5c6d"}}}},
      {"devices", {{"filter", {{"mode", "exclude"}, {"rule", "device.isCompliant -eq True"}}}}},
      {"authentication_flows", {"device_code_flow", "authentication_transfer"}},
      {"insider_risk", {"moderate", "elevated"}},
      {"service_principal_risk", {"high"}},
      {"client_app_types", {"eas_supported"}},
      {"grant", {{"operator", "or"}, {"controls", {"risk_remediation"}},
                 {"authentication_strength", "authentication_strength:Passwordless MFA"},
                 {"terms_of_use", {"6a3c1c2e-4b8f-4d1a-9d1e-5f0b7c2a9e11"}},
                 {"custom_authentication_factors", {"acme-control"}}}},
      {"session", {{"sign_in_frequency", "2h"}, {"sign_in_frequency_authentication", "secondary"},
                   {"cloud_app_security", "mcas_configured"}, {"disable_resilience_defaults", true},
                   {"secure_sign_in_session", true}}},
  };
  auto body = policy_properties(spec, every_field(idform::model::Kind::conditional_access_policy, spec), resolver);
  REQUIRE(body);
  const json& conditions = (*body)["conditions"];
  CHECK(conditions["users"]["includeGuestsOrExternalUsers"] ==
        json({{"guestOrExternalUserTypes", "internalGuest,serviceProvider"},
              {"externalTenants", {{"@odata.type", "#microsoft.graph.conditionalAccessAllExternalTenants"}, {"membershipKind", "all"}}}}));
  CHECK(conditions["users"]["excludeGuestsOrExternalUsers"]["externalTenants"]["members"] ==
        json({"0b2d0e9e-7d8b-4c63-9a3a-2f0f0c7a9f10"}));
  CHECK(conditions["applications"]["includeApplications"] == json({"MicrosoftAdminPortals"}));
  CHECK(conditions["applications"]["includeUserActions"] == json({"urn:user:registerdevice"}));
  CHECK(conditions["clientApplications"]["includeServicePrincipals"] == json({"ServicePrincipalsInMyTenant"}));
  CHECK(conditions["clientApplications"]["excludeServicePrincipals"] == json({"5b1e0c6a-3d2f-4a8b-9c7d-1e2f3a4b5c6d"}));
  CHECK(conditions["authenticationFlows"] == json({{"transferMethods", "deviceCodeFlow,authenticationTransfer"}}));
  CHECK(conditions["insiderRiskLevels"] == "moderate,elevated");
  CHECK(conditions["clientAppTypes"] == json({"easSupported"}));
  CHECK((*body)["grantControls"]["authenticationStrength"] == json({{"id", "00000000-0000-0000-0000-000000000003"}}));
  CHECK((*body)["grantControls"]["builtInControls"] == json({"riskRemediation"}));
  CHECK((*body)["sessionControls"]["signInFrequency"]["authenticationType"] == "secondaryAuthentication");
  CHECK((*body)["sessionControls"]["cloudAppSecurity"] == json({{"isEnabled", true}, {"cloudAppSecurityType", "mcasConfigured"}}));
  CHECK((*body)["sessionControls"]["secureSignInSession"] == json({{"isEnabled", true}}));
  (*body)["id"] = "p-2";
  (*body)["displayName"] = "CA-new";
  check_converges(idform::model::Kind::conditional_access_policy, spec, policy_resource(*body, names).spec);
}

TEST_CASE("authentication strengths: the built-ins by name, others by id", "[entra]") {
  CHECK(authentication_strength_id("authentication_strength:Phishing-resistant MFA") == "00000000-0000-0000-0000-000000000004");
  CHECK(authentication_strength_id("authentication_strength:Multifactor authentication") == "00000000-0000-0000-0000-000000000002");
  CHECK(authentication_strength_id("authentication_strength:id:abc") == "abc");
  CHECK_FALSE(authentication_strength_id("authentication_strength:Strong"));
  CHECK(authentication_strength_reference("00000000-0000-0000-0000-000000000003") == "authentication_strength:Passwordless MFA");
  CHECK(authentication_strength_reference("7d718ef4") == "authentication_strength:id:7d718ef4");
}

TEST_CASE("the saved Entra state keeps each member id once and comes back whole, and an older shape is refused",
          "[entra][incremental]") {
  TenantSnapshot snapshot = small_tenant();
  snapshot.members["g-2"] = {"u-1", "g-1", "d-1"};
  snapshot.owners["g-2"] = {"u-1"};
  snapshot.object_types = {{"g-1", "group"}, {"d-1", "device"}};
  const FeedCursors cursors{"https://g/delta?1", "https://a/delta?2", "https://s/delta?3", "2026-12-07T16:47:11Z"};
  json state = encode_state(snapshot, cursors);
  // Members and owners are positions in `objects`, each id once, a list one string of them.
  CHECK(state["objects"] == json({"u-1", "g-1", "d-1"}));
  CHECK(state["members"] == json({{"g-2", "0 1 2"}}));
  CHECK(state["owners"] == json({{"g-2", "0"}}));
  CHECK(state["users"] == json({{"u-1", {"Alice@Acme.example", "Alice"}}}));

  auto decoded = decode_state(json::parse(state.dump()));
  REQUIRE(decoded);
  CHECK(decoded->first.members == snapshot.members);
  CHECK(decoded->first.owners == snapshot.owners);
  CHECK(decoded->first.object_types == snapshot.object_types);
  CHECK(decoded->first.users.at("u-1").user_principal_name == "Alice@Acme.example");
  CHECK(decoded->first.groups == snapshot.groups);
  CHECK(decoded->second.groups == cursors.groups);
  CHECK(decoded->second.audits_since == cursors.audits_since);

  // A state of the first shape (members as directory objects) is not read as this one.
  json older = state;
  older["version"] = "entra-state-1";
  older["members"] = {{"g-2", {{{"@odata.type", "#microsoft.graph.user"}, {"id", "u-1"}}}}};
  older.erase("object_types");
  CHECK_FALSE(decode_state(older));
  older["version"] = state["version"];
  CHECK_FALSE(decode_state(older));  // the old member shape under the new version: refused, no throw

  // The second shape (ids in every list) and the third (positions as JSON numbers) under the
  // current version, a position outside `objects`, and lists that are not positions one space
  // apart: refused, no throw.
  json ids_in_lists = state;
  ids_in_lists["members"] = {{"g-2", {"u-1", "g-1", "d-1"}}};
  CHECK_FALSE(decode_state(ids_in_lists));
  json numbers = state;
  numbers["members"] = {{"g-2", {0, 1, 2}}};
  CHECK_FALSE(decode_state(numbers));
  for (const char* damaged : {"0 1 3", "0 1 2 ", " 0", "0  1", "0,1", "-1", "0 x", "99999999999999999999999"}) {
    INFO(damaged);
    json broken = state;
    broken["members"]["g-2"] = damaged;
    CHECK_FALSE(decode_state(broken));
  }
  json empty = state;
  empty["members"]["g-2"] = "";
  auto no_members = decode_state(empty);
  REQUIRE(no_members);
  CHECK(no_members->first.members.at("g-2").empty());
}
