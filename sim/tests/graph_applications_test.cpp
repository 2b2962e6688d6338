// Applications, service principals, app role assignments, SAML set-up and bulk id resolution in
// the Graph flavor.
#include <catch2/catch.hpp>

#include "graph_sim_fixture.hpp"

using namespace idform::testing;
using nlohmann::json;

namespace {
constexpr const char* kRoleId = "d1c2ade8-98f8-45fd-aa4a-6d06b947c66f";

json app_with_role(const std::string& name, const std::string& uri) {
  return {{"displayName", name},
          {"identifierUris", {uri}},
          {"appRoles",
           {{{"allowedMemberTypes", {"User", "Group"}},
             {"description", "Standard User"},
             {"displayName", "Standard User"},
             {"id", kRoleId},
             {"isEnabled", true},
             {"value", "standard"}}}}};
}
}  // namespace

TEST_CASE("graph applications and service principals", "[sim][graph][apps]") {
  GraphSim graph;
  auto app = graph.post("/applications", app_with_role("Salesforce", "https://acme.my.salesforce.com"));
  REQUIRE(app.status == 201);
  std::string app_object = app.json()["id"];
  std::string app_id = app.json()["appId"];
  CHECK(app.json()["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#applications/$entity");
  CHECK(app.json()["publisherDomain"] == "contoso.onmicrosoft.com");
  CHECK(app.json()["web"]["redirectUris"] == json::array());

  SECTION("an application can be addressed by appId") {
    auto by_app_id = graph.get("/applications(appId='" + app_id + "')");
    REQUIRE(by_app_id.status == 200);
    CHECK(by_app_id.json()["id"] == app_object);
    CHECK(graph.patch("/applications(appId='" + app_id + "')", {{"notes", "managed by idform"}}).status == 204);
    CHECK(graph.get("/applications/" + app_object).json()["notes"] == "managed by idform");
  }
  SECTION("roles added to the application are reflected on its service principal and assignable") {
    auto sp = graph.post("/servicePrincipals", {{"appId", app_id}});
    REQUIRE(sp.status == 201);
    json roles = app.json()["appRoles"];
    roles.push_back({{"allowedMemberTypes", {"User"}}, {"description", "Auditor"}, {"displayName", "Auditor"},
                     {"id", "7a1c0000-0000-4000-8000-00000000a0d1"}, {"isEnabled", true}, {"value", "auditor"}});
    CHECK(graph.patch("/applications/" + app_object, {{"appRoles", roles}}).status == 204);
    json principal = graph.get("/servicePrincipals/" + sp.json()["id"].get<std::string>()).json();
    REQUIRE(principal["appRoles"].size() == 2);
    CHECK(principal["appRoles"][1]["displayName"] == "Auditor");
    std::string group = graph.post("/groups", {{"displayName", "auditors"}, {"mailEnabled", false},
                                               {"mailNickname", "auditors"}, {"securityEnabled", true}})
                            .json()["id"];
    auto assigned = graph.post("/servicePrincipals/" + principal["id"].get<std::string>() + "/appRoleAssignedTo",
                               {{"principalId", group}, {"resourceId", principal["id"]},
                                {"appRoleId", "7a1c0000-0000-4000-8000-00000000a0d1"}});
    CHECK(assigned.status == 201);
  }
  SECTION("identifierUris are unique in the tenant") {
    auto clash = graph.post("/applications", app_with_role("Other", "https://acme.my.salesforce.com"));
    CHECK(clash.status == 400);
    CHECK(clash.json()["error"]["message"] ==
          "Another object with the same value for property identifierUris already exists.");
  }
  SECTION("a service principal needs an existing application, once") {
    auto missing = graph.post("/servicePrincipals", {{"appId", "00000000-1111-2222-3333-444444444444"}});
    CHECK(missing.status == 400);
    CHECK(missing.json()["error"]["message"] ==
          "The appId '00000000-1111-2222-3333-444444444444' of the service principal does not reference a valid "
          "application object.");
    auto sp = graph.post("/servicePrincipals", {{"appId", app_id}});
    REQUIRE(sp.status == 201);
    CHECK(sp.json()["appDisplayName"] == "Salesforce");
    CHECK(sp.json()["appRoles"][0]["id"] == kRoleId);
    CHECK(graph.post("/servicePrincipals", {{"appId", app_id}}).status == 409);
    CHECK(graph.get("/servicePrincipals(appId='" + app_id + "')").json()["id"] == sp.json()["id"]);
    // Deleting the application deletes its service principal.
    CHECK(graph.del("/applications/" + app_object).status == 204);
    CHECK(graph.get("/servicePrincipals/" + sp.json()["id"].get<std::string>()).status == 404);
  }
  SECTION("app role assignments to groups") {
    std::string sp = graph.post("/servicePrincipals", {{"appId", app_id}}).json()["id"];
    std::string group = graph.create_group("sales");
    json assignment = {{"principalId", group}, {"resourceId", sp}, {"appRoleId", kRoleId}};
    auto created = graph.post("/servicePrincipals/" + sp + "/appRoleAssignedTo", assignment);
    REQUIRE(created.status == 201);
    auto body = created.json();
    CHECK(body["@odata.context"] ==
          "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('" + sp + "')/appRoleAssignedTo/$entity");
    CHECK(body["principalType"] == "Group");
    CHECK(body["principalDisplayName"] == "sales");
    CHECK(body["resourceDisplayName"] == "Salesforce");
    CHECK(body["id"].get<std::string>().size() == 43);

    CHECK(graph.post("/servicePrincipals/" + sp + "/appRoleAssignedTo", assignment).status == 400);  // duplicate
    json unknown_role = assignment;
    unknown_role["appRoleId"] = "11111111-1111-1111-1111-111111111111";
    CHECK(graph.post("/servicePrincipals/" + sp + "/appRoleAssignedTo", unknown_role).status == 400);
    json missing_principal = assignment;
    missing_principal["principalId"] = "0badc0de-0000-4000-8000-000000000000";
    CHECK(graph.post("/servicePrincipals/" + sp + "/appRoleAssignedTo", missing_principal).status == 404);

    auto listed = graph.get("/servicePrincipals/" + sp + "/appRoleAssignedTo");
    CHECK(listed.json()["value"].size() == 1);
    CHECK(graph.get("/groups/" + group + "/appRoleAssignments").json()["value"].size() == 1);
    CHECK(listed.header("x-ms-resource-unit") == "1");
    std::string id = body["id"];
    CHECK(graph.del("/servicePrincipals/" + sp + "/appRoleAssignedTo/" + id).status == 204);
    CHECK(graph.get("/servicePrincipals/" + sp + "/appRoleAssignedTo").json()["value"].empty());
    // The group-side view creates the same kind of assignment (default access role).
    auto group_side = graph.post("/groups/" + group + "/appRoleAssignments",
                                 {{"principalId", group}, {"resourceId", sp},
                                  {"appRoleId", "00000000-0000-0000-0000-000000000000"}});
    CHECK(group_side.status == 201);
    // Deleting the group removes its assignments.
    CHECK(graph.del("/groups/" + group).status == 204);
    CHECK(graph.get("/servicePrincipals/" + sp + "/appRoleAssignedTo").json()["value"].empty());
  }
}

TEST_CASE("graph SAML set-up through application templates", "[sim][graph][apps]") {
  GraphSim graph;
  auto instantiated = graph.post("/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
                                 {{"displayName", "AWS Contoso"}});
  REQUIRE(instantiated.status == 201);
  auto body = instantiated.json();
  CHECK(body["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.applicationServicePrincipal");
  std::string sp = body["servicePrincipal"]["id"];
  std::string app = body["application"]["id"];
  CHECK(body["application"]["applicationTemplateId"] == "8adf8e6e-67b2-4cf2-a259-e3dc5476c621");
  CHECK(body["servicePrincipal"]["appId"] == body["application"]["appId"]);
  CHECK(graph.get("/applications/" + app).status == 200);

  CHECK(graph.patch("/servicePrincipals/" + sp, {{"preferredSingleSignOnMode", "saml"}}).status == 204);
  auto certificate = graph.post("/servicePrincipals/" + sp + "/addTokenSigningCertificate",
                                {{"displayName", "CN=AWSContoso"}, {"endDateTime", "2030-01-25T00:00:00Z"}});
  REQUIRE(certificate.status == 200);
  std::string thumbprint = certificate.json()["thumbprint"];
  CHECK(thumbprint.size() == 40);
  CHECK(certificate.json()["type"] == "AsymmetricX509Cert");
  CHECK(graph.patch("/servicePrincipals/" + sp, {{"preferredTokenSigningKeyThumbprint", thumbprint}}).status == 204);
  CHECK(graph.get("/servicePrincipals/" + sp + "?$select=keyCredentials").json()["keyCredentials"].size() == 2);

  auto policy = graph.post("/policies/claimsMappingPolicies",
                           {{"definition", {"{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":\"true\"}}"}},
                            {"displayName", "AWS Claims Policy"},
                            {"isOrganizationDefault", false}});
  REQUIRE(policy.status == 201);
  std::string policy_id = policy.json()["id"];
  CHECK(graph.post("/servicePrincipals/" + sp + "/claimsMappingPolicies/$ref",
                   {{"@odata.id", "https://graph.microsoft.com/v1.0/policies/claimsMappingPolicies/" + policy_id}})
            .status == 204);
  CHECK(graph.get("/servicePrincipals/" + sp + "/claimsMappingPolicies").json()["value"].size() == 1);
  CHECK(graph.post("/policies/claimsMappingPolicies", {{"definition", {"not json"}}, {"displayName", "x"}}).status == 400);
}

TEST_CASE("graph getByIds resolves directory objects in bulk", "[sim][graph][apps]") {
  TempDir seed;
  seed.write_json("users.json", seed_users(5));
  GraphSim graph({}, {seed.str()});
  std::string group = graph.create_group("lookup");
  auto response = graph.post("/directoryObjects/getByIds",
                             {{"ids", {"00000000-0000-4000-8000-000000000001", group, "0badc0de-0000-4000-8000-000000000000"}}});
  REQUIRE(response.status == 200);
  auto values = response.json()["value"];
  REQUIRE(values.size() == 2);
  CHECK(values[0]["@odata.type"] == "#microsoft.graph.user");
  CHECK(values[1]["@odata.type"] == "#microsoft.graph.group");
  auto only_users = graph.post("/directoryObjects/getByIds",
                               {{"ids", {"00000000-0000-4000-8000-000000000001", group}}, {"types", {"user"}}});
  CHECK(only_users.json()["value"].size() == 1);
  auto single = graph.get("/directoryObjects/" + group);
  CHECK(single.json()["@odata.type"] == "#microsoft.graph.group");
}

TEST_CASE("graph conditional access policies and named locations lifecycle", "[sim][graph][ca]") {
  GraphSim graph({"--throttle", "off"});
  auto location = graph.post("/identity/conditionalAccess/namedLocations",
                             {{"@odata.type", "#microsoft.graph.ipNamedLocation"},
                              {"displayName", "hq"},
                              {"isTrusted", true},
                              {"ipRanges", {{{"@odata.type", "#microsoft.graph.iPv4CidrRange"},
                                             {"cidrAddress", "203.0.113.0/24"}}}}});
  REQUIRE(location.status == 201);
  std::string location_id = location.json()["id"];
  CHECK(location.json()["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#namedLocations/$entity");

  auto policy = graph.post("/identity/conditionalAccess/policies",
                           {{"displayName", "CA-001 Require MFA"},
                            {"state", "enabledForReportingButNotEnforced"},
                            {"conditions",
                             {{"users", {{"includeUsers", {"All"}}, {"excludeGroups", json::array()}}},
                              {"applications", {{"includeApplications", {"All"}}}},
                              {"locations", {{"includeLocations", {"All"}}, {"excludeLocations", {location_id}}}},
                              {"clientAppTypes", {"browser", "mobileAppsAndDesktopClients"}}}},
                            {"grantControls", {{"operator", "OR"}, {"builtInControls", {"mfa"}}}},
                            {"sessionControls",
                             {{"signInFrequency", {{"isEnabled", true}, {"value", 8}, {"type", "hours"}}}}}});
  INFO(policy.body);
  REQUIRE(policy.status == 201);
  std::string id = policy.json()["id"];
  CHECK(policy.json()["modifiedDateTime"].is_null());
  CHECK(policy.json()["conditions"]["platforms"].is_null());

  CHECK(graph.patch("/identity/conditionalAccess/policies/" + id, {{"state", "enabled"}}).status == 204);
  auto fetched = graph.get("/identity/conditionalAccess/policies/" + id).json();
  CHECK(fetched["state"] == "enabled");
  CHECK_FALSE(fetched["modifiedDateTime"].is_null());
  CHECK(fetched["sessionControls"]["signInFrequency"]["value"] == 8);

  // A named location update must carry its @odata.type, and it cannot change.
  CHECK(graph.patch("/identity/conditionalAccess/namedLocations/" + location_id, {{"displayName", "hq2"}}).status == 400);
  CHECK(graph.patch("/identity/conditionalAccess/namedLocations/" + location_id,
                    {{"@odata.type", "#microsoft.graph.countryNamedLocation"}, {"displayName", "hq2"}})
            .status == 400);
  CHECK(graph.patch("/identity/conditionalAccess/namedLocations/" + location_id,
                    {{"@odata.type", "#microsoft.graph.ipNamedLocation"}, {"displayName", "hq2"}})
            .status == 204);
  auto listed = graph.get("/identity/conditionalAccess/namedLocations?$filter=" +
                          url_encode("isof('microsoft.graph.ipNamedLocation')"));
  CHECK(listed.json()["value"][0]["displayName"] == "hq2");

  CHECK(graph.del("/identity/conditionalAccess/policies/" + id).status == 204);
  CHECK(graph.get("/identity/conditionalAccess/policies/" + id).status == 404);
  CHECK(graph.del("/identity/conditionalAccess/namedLocations/" + location_id).status == 204);
}

TEST_CASE("graph $batch carries ConsistencyLevel per item", "[sim][graph][batch]") {
  TempDir seed;
  seed.write_json("users.json", seed_users(12));
  GraphSim graph({}, {seed.str()});
  json batch = {{"requests",
                 {{{"id", "plain"}, {"method", "GET"}, {"url", "/users?$filter=displayName ne 'user001'&$count=true"}},
                  {{"id", "advanced"},
                   {"method", "GET"},
                   {"url", "/users?$filter=displayName ne 'user001'&$count=true"},
                   {"headers", {{"ConsistencyLevel", "eventual"}}}}}}};
  auto responses = graph.post("/$batch", batch).json()["responses"];
  REQUIRE(responses.size() == 2);
  CHECK(responses[0]["status"] == 400);
  CHECK(responses[1]["status"] == 200);
  CHECK(responses[1]["body"]["@odata.count"] == 11);
}
