// Microsoft's own example payloads (copied into tests/fixtures/vendor/graph) load unchanged as a seed and
// are served back unchanged; the documented create/update requests succeed.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "graph_sim_fixture.hpp"

using namespace idform::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path vendor_examples() {
  if (const char* dir = std::getenv("IDP_SIM_VENDOR_EXAMPLES")) return fs::path(dir) / "graph";
  return fs::path(IDFORM_SOURCE_DIR) / "tests" / "fixtures" / "vendor" / "graph";
}

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

json without_context(json value) {
  value.erase("@odata.context");
  return value;
}

std::string select_of(const json& item) {
  std::string fields;
  for (const auto& [key, value] : item.items()) {
    if (key[0] == '@' || key == "id") continue;
    fields += (fields.empty() ? "" : ",") + key;
  }
  return fields;
}

}  // namespace

TEST_CASE("graph vendor examples load unchanged and are served back", "[sim][graph][vendor]") {
  fs::path dir = vendor_examples();
  if (!fs::exists(dir)) {
    WARN("vendor examples not found at " << dir << " (set IDP_SIM_VENDOR_EXAMPLES); skipped");
    return;
  }
  GraphSim graph({"--throttle", "off"}, {dir.string()});
  auto log = graph.sim.log();
  CHECK(log.find("loaded") != std::string::npos);

  SECTION("single-object GET examples come back exactly (default view)") {
    struct Case {
      std::string file;
      std::string path;
    };
    for (const auto& c : std::vector<Case>{
             {"group-get.json", "/groups/"},
             {"application-get.json", "/applications/"},
             {"servicePrincipal-get.json", "/servicePrincipals/"},
             {"conditionalAccessPolicy-get.json", "/identity/conditionalAccess/policies/"},
             {"namedLocation-get.json", "/identity/conditionalAccess/namedLocations/"},
             {"namedLocation-ip-get.json", "/identity/conditionalAccess/namedLocations/"},
             {"namedLocation-country-get.json", "/identity/conditionalAccess/namedLocations/"},
         }) {
      json expected = read_json(dir / c.file);
      auto response = graph.get(c.path + expected["id"].get<std::string>());
      INFO(c.file << ": " << response.body);
      REQUIRE(response.status == 200);
      CHECK(without_context(response.json()) == without_context(expected));
      if (expected.contains("@odata.context")) CHECK(response.json()["@odata.context"] == expected["@odata.context"]);
    }
  }
  SECTION("a $select example comes back with the same $select") {
    json expected = read_json(dir / "group-get-select.json");
    auto response = graph.get("/groups/" + expected["id"].get<std::string>() +
                              "?$select=allowExternalSenders,autoSubscribeNewMembers,isSubscribedByMail,unseenCount");
    REQUIRE(response.status == 200);
    CHECK(response.json() == expected);
  }
  SECTION("every item of the list examples is served back with a $select of its properties") {
    struct Case {
      std::string file;
      std::string path;
    };
    for (const auto& c : std::vector<Case>{
             {"group-list-page.json", "/groups/"},
             {"group-list-count-select.json", "/groups/"},
             {"group-owners-list.json", "/users/"},
             {"group-members-list-search-count.json", "/users/"},
             {"conditionalAccessPolicy-list.json", "/identity/conditionalAccess/policies/"},
             {"namedLocation-list-all.json", "/identity/conditionalAccess/namedLocations/"},
             {"namedLocation-list-filter-country-CA.json", "/identity/conditionalAccess/namedLocations/"},
             {"namedLocation-list-filter-createdDateTime.json", "/identity/conditionalAccess/namedLocations/"},
             {"namedLocation-list-filter-isof-ip.json", "/identity/conditionalAccess/namedLocations/"},
         }) {
      for (const auto& item : value_of(read_json(dir / c.file))) {
        json expected = item;
        expected.erase("@odata.type");
        bool polymorphic = c.path.find("namedLocations") != std::string::npos;
        if (polymorphic) expected["@odata.type"] = item["@odata.type"];
        auto response = graph.get(c.path + item["id"].get<std::string>() + "?$select=" + select_of(item));
        INFO(c.file << " " << item["id"] << ": " << response.body);
        REQUIRE(response.status == 200);
        CHECK(without_context(response.json()) == expected);
      }
    }
  }
  SECTION("the list endpoint returns the list examples' items in one page") {
    auto listed = graph.get("/identity/conditionalAccess/namedLocations").json()["value"];
    for (const auto& item : value_of(read_json(dir / "namedLocation-list-all.json"))) {
      bool found = false;
      for (const auto& candidate : listed) found = found || candidate == item;
      CHECK(found);
    }
  }
  SECTION("examples the filter examples were taken from match those filters") {
    auto country = graph.get("/identity/conditionalAccess/namedLocations?$filter=" +
                             url_encode("microsoft.graph.countryNamedLocation/countriesAndRegions/any(c: c eq 'CA')"));
    REQUIRE(country.status == 200);
    CHECK(without_context(country.json())["value"] ==
          read_json(dir / "namedLocation-list-filter-country-CA.json")["value"]);
    auto ip = graph.get("/identity/conditionalAccess/namedLocations?$filter=" +
                        url_encode("isof('microsoft.graph.ipNamedLocation')"));
    REQUIRE(ip.status == 200);
    std::set<std::string> ip_ids;
    for (const auto& item : value_of(ip.json())) ip_ids.insert(item["id"]);
    for (const auto& item : value_of(read_json(dir / "namedLocation-list-filter-isof-ip.json"))) {
      CHECK(ip_ids.count(item["id"]));
    }
  }
  SECTION("app role assignments whose parents are not in the examples are stored unchanged") {
    auto state = graph.sim.state();
    auto stored = state["collections"]["appRoleAssignments"];
    for (const auto* file : {"appRoleAssignedTo-list.json", "group-appRoleAssignments-list.json"}) {
      for (const auto& item : value_of(read_json(dir / file))) {
        bool found = false;
        for (const auto& candidate : stored) found = found || candidate == item;
        CHECK(found);
      }
    }
  }
  SECTION("list items without an id are stored unchanged with a generated id") {
    auto state = graph.sim.state();
    auto item = read_json(dir / "application-list.json")["value"][0];
    bool found = false;
    for (auto candidate : state["collections"]["applications"]) {
      if (candidate.value("displayName", "") != item["displayName"]) continue;
      candidate.erase("id");
      found = candidate == item;
    }
    CHECK(found);
  }
}

TEST_CASE("graph documented create and update requests succeed", "[sim][graph][vendor]") {
  fs::path dir = vendor_examples();
  if (!fs::exists(dir)) {
    WARN("vendor examples not found at " << dir << "; skipped");
    return;
  }
  // The objects the documented requests refer to.
  TempDir fixtures;
  fixtures.write_json("groups.json", {{"value",
                                       {{{"id", "33ad69f9-da99-4bed-acd0-3f24235cb296"}, {"displayName", "Parents of Contoso"}},
                                        {{"id", "7679d9a4-2323-44cd-b5c2-673ec88d8b12"}, {"displayName", "Young techmakers"}},
                                        {{"id", "ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba"}, {"displayName", "EXO users"}}}}});
  fixtures.write_json("users.json", {{"value",
                                      {{{"id", "040f9599-7c0f-4f94-aa75-8394c4c6ea9b"},
                                        {"displayName", "MyTestUser1"},
                                        {"userPrincipalName", "mytestuser1@contoso.com"}}}}});
  fixtures.write_json("applications.json", {{"value",
                                             {{{"id", "c0ffee00-0000-4000-8000-000000000001"},
                                               {"appId", "65415bb1-9267-4313-bbf5-ae259732ee12"},
                                               {"displayName", "My App"}}}}});
  auto role = [](const std::string& id) {
    return json{{"allowedMemberTypes", {"User", "Group"}}, {"description", "role"}, {"displayName", "role"},
                {"id", id}, {"isEnabled", true}, {"origin", "Application"}, {"value", nullptr}};
  };
  fixtures.write_json("servicePrincipals.json",
                      {{"value",
                        {{{"id", "9028d19c-26a9-4809-8e3f-20ff73e2d75e"},
                          {"appId", "9028d19c-0000-4000-8000-000000000000"},
                          {"displayName", "Fabrikam App"},
                          {"appRoles", {role("ef7437e6-4f94-4a0a-a110-a439eb2aa8f7")}}},
                         {{"id", "076e8b57-bac8-49d7-9396-e3449b685055"},
                          {"appId", "076e8b57-0000-4000-8000-000000000000"},
                          {"displayName", "Yammer"},
                          {"appRoles", json::array()}},
                         {{"id", "a750f6cf-2319-464a-bcc3-456926736a91"},
                          {"appId", "17cad0e7-cd2b-4e51-a75d-ba810f3e4045"},
                          {"displayName", "AWS Contoso"},
                          {"appRoles", {role("3a84e31e-bffa-470f-b9e6-754a61e4dc63")}}}}}});
  GraphSim graph({"--throttle", "off"}, {fixtures.str()});

  struct Create {
    std::string file;
    std::string path;
  };
  for (const auto& c : std::vector<Create>{
           {"application-create-request.json", "/applications"},
           {"servicePrincipal-create-request.json", "/servicePrincipals"},
           {"appRoleAssignedTo-create-request.json", "/servicePrincipals/9028d19c-26a9-4809-8e3f-20ff73e2d75e/appRoleAssignedTo"},
           {"group-appRoleAssignment-create-request.json", "/groups/7679d9a4-2323-44cd-b5c2-673ec88d8b12/appRoleAssignments"},
           {"saml-servicePrincipal-appRoleAssignment-create-request.json",
            "/servicePrincipals/a750f6cf-2319-464a-bcc3-456926736a91/appRoleAssignments"},
           {"conditionalAccessPolicy-create-all-conditions-request.json", "/identity/conditionalAccess/policies"},
           {"conditionalAccessPolicy-create-block-untrusted-location-request.json", "/identity/conditionalAccess/policies"},
           {"conditionalAccessPolicy-create-exo-mfa-group-request.json", "/identity/conditionalAccess/policies"},
           {"conditionalAccessPolicy-create-exo-mfa-request.json", "/identity/conditionalAccess/policies"},
           {"namedLocation-create-ip-request.json", "/identity/conditionalAccess/namedLocations"},
           {"namedLocation-create-country-request.json", "/identity/conditionalAccess/namedLocations"},
       }) {
    json request = read_json(dir / c.file);
    auto response = graph.post(c.path, request);
    INFO(c.file << ": " << response.body);
    CHECK(response.status == 201);
    if (response.status != 201) continue;
    json created = response.json();
    // The response echoes what was sent (and adds what the service fills in).
    for (const auto& [key, value] : request.items()) {
      if (key == "conditions" || key == "grantControls" || key == "sessionControls") continue;
      CHECK(created[key] == value);
    }
    if (c.file.rfind("namedLocation-create-ip", 0) == 0) {
      auto update = graph.patch("/identity/conditionalAccess/namedLocations/" + created["id"].get<std::string>(),
                                read_json(dir / "namedLocation-ip-update-request.json"));
      CHECK(update.status == 204);
    }
  }

  SECTION("the documented create response shapes") {
    json request = read_json(dir / "conditionalAccessPolicy-create-exo-mfa-group-request.json");
    auto created = graph.post("/identity/conditionalAccess/policies", request).json();
    // As in the documented response: unspecified collections are empty, clientAppTypes defaults to all.
    CHECK(created["conditions"]["clientAppTypes"] == json::array({"all"}));
    CHECK(created["conditions"]["users"]["includeUsers"] == json::array());
    CHECK(created["conditions"]["users"]["includeGroups"] == json::array({"ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba"}));
    CHECK(created["conditions"]["applications"]["excludeApplications"] == json::array());
    CHECK(created["grantControls"]["termsOfUse"] == json::array());
    CHECK(created["modifiedDateTime"].is_null());
    json documented = read_json(dir / "conditionalAccessPolicy-create-exo-mfa-group-response.json");
    CHECK(created["@odata.context"] == documented["@odata.context"]);
  }
  SECTION("group update and owner $ref requests") {
    auto group = graph.post("/groups", {{"displayName", "Library"},
                                        {"groupTypes", {"Unified"}},
                                        {"mailEnabled", true},
                                        {"mailNickname", "library"},
                                        {"securityEnabled", false}});
    REQUIRE(group.status == 201);
    std::string id = group.json()["id"];
    CHECK(graph.patch("/groups/" + id, read_json(dir / "group-update-request.json")).status == 204);
    CHECK(graph.get("/groups/" + id).json()["mailNickname"] == "library-help");
    // The documented body is a template with "{id}" in the URL.
    json owner = read_json(dir / "group-owners-add-ref-request.json");
    std::string url = owner["@odata.id"];
    url.replace(url.find("{id}"), 4, "040f9599-7c0f-4f94-aa75-8394c4c6ea9b");
    CHECK(graph.post("/groups/" + id + "/owners/$ref", {{"@odata.id", url}}).status == 204);
  }
  SECTION("SAML set-up requests: instantiate, signing certificate, claims mapping policy") {
    auto instantiated = graph.post("/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
                                   read_json(dir / "saml-app-instantiate-request.json"));
    REQUIRE(instantiated.status == 201);
    json documented = read_json(dir / "saml-app-instantiate-response.json");
    CHECK(instantiated.json()["@odata.context"] == documented["@odata.context"]);
    CHECK(instantiated.json()["servicePrincipal"]["displayName"] == "AWS Contoso");
    std::string sp = instantiated.json()["servicePrincipal"]["id"];
    auto certificate = graph.post("/servicePrincipals/" + sp + "/addTokenSigningCertificate",
                                  read_json(dir / "saml-addTokenSigningCertificate-request.json"));
    REQUIRE(certificate.status == 200);
    json documented_certificate = read_json(dir / "saml-addTokenSigningCertificate-response.json");
    for (const auto& [key, value] : documented_certificate.items()) CHECK(certificate.json().contains(key));
    CHECK(certificate.json()["displayName"] == "CN=AWSContoso");
    auto policy = graph.post("/policies/claimsMappingPolicies", read_json(dir / "saml-claimsMappingPolicy-create-request.json"));
    REQUIRE(policy.status == 201);
    // The documented $ref body names a policy id of Microsoft's tenant: point it at the one just created.
    json assign = read_json(dir / "saml-servicePrincipal-assign-claimsMappingPolicy-ref-request.json");
    std::string url = assign["@odata.id"];
    url = url.substr(0, url.rfind('/') + 1) + policy.json()["id"].get<std::string>();
    CHECK(graph.post("/servicePrincipals/" + sp + "/claimsMappingPolicies/$ref", {{"@odata.id", url}}).status == 204);
  }
  SECTION("SAML set-up PATCH requests") {
    CHECK(graph.patch("/servicePrincipals/a750f6cf-2319-464a-bcc3-456926736a91",
                      read_json(dir / "saml-servicePrincipal-set-sso-mode-request.json"))
              .status == 204);
    CHECK(graph.patch("/servicePrincipals/a750f6cf-2319-464a-bcc3-456926736a91",
                      read_json(dir / "saml-servicePrincipal-set-signing-thumbprint-request.json"))
              .status == 204);
    CHECK(graph.patch("/applications/c0ffee00-0000-4000-8000-000000000001",
                      read_json(dir / "saml-application-set-urls-request.json"))
              .status == 204);
  }
}
