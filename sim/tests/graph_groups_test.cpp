// Groups, members and owners in the Graph flavor, over real HTTP.
#include <catch2/catch.hpp>

#include "graph_sim_fixture.hpp"

using namespace idform::testing;
using nlohmann::json;

namespace {
std::string object_ref(const std::string& id) { return "https://graph.microsoft.com/v1.0/directoryObjects/" + id; }

std::vector<std::string> ids_of(const HttpResponse& response) {
  std::vector<std::string> ids;
  for (const auto& item : value_of(response.json())) ids.push_back(item["id"].get<std::string>());
  return ids;
}
}  // namespace

TEST_CASE("graph groups: create, get, update, delete", "[sim][graph][groups]") {
  GraphSim graph;
  auto created = graph.post("/groups", {{"displayName", "payments-admins"},
                                        {"description", "Can approve payouts"},
                                        {"mailEnabled", false},
                                        {"mailNickname", "payments-admins"},
                                        {"securityEnabled", true}});
  REQUIRE(created.status == 201);
  auto group = created.json();
  CHECK(group["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#groups/$entity");
  CHECK(group["displayName"] == "payments-admins");
  CHECK(group["groupTypes"] == json::array());
  CHECK(group["mail"].is_null());
  CHECK(group["securityIdentifier"].get<std::string>().rfind("S-1-12-1-", 0) == 0);
  CHECK(created.has_header("request-id"));
  std::string id = group["id"];

  auto fetched = graph.get("/groups/" + id);
  REQUIRE(fetched.status == 200);
  CHECK(fetched.json()["description"] == "Can approve payouts");

  auto updated = graph.patch("/groups/" + id, {{"description", "Approves payouts"}});
  CHECK(updated.status == 204);
  CHECK(updated.body.empty());
  CHECK(graph.get("/groups/" + id).json()["description"] == "Approves payouts");

  CHECK(graph.del("/groups/" + id).status == 204);
  auto gone = graph.get("/groups/" + id);
  CHECK(gone.status == 404);
  CHECK(gone.json()["error"]["code"] == "Request_ResourceNotFound");
  CHECK(gone.json()["error"]["message"] ==
        "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.");
}

TEST_CASE("graph groups: Microsoft 365 group gets a mail address", "[sim][graph][groups]") {
  GraphSim graph;
  auto created = graph.post("/groups", {{"displayName", "Library Assist"},
                                        {"groupTypes", {"Unified"}},
                                        {"mailEnabled", true},
                                        {"mailNickname", "library"},
                                        {"securityEnabled", false}});
  REQUIRE(created.status == 201);
  CHECK(created.json()["mail"] == "library@contoso.onmicrosoft.com");
  CHECK(created.json()["visibility"] == "Public");
  // The same mail nickname again collides on proxyAddresses.
  auto again = graph.post("/groups", {{"displayName", "Library 2"},
                                      {"groupTypes", {"Unified"}},
                                      {"mailEnabled", true},
                                      {"mailNickname", "library"},
                                      {"securityEnabled", false}});
  CHECK(again.status == 400);
}

// A security group has "mail": null; the duplicate-address check of a later Microsoft 365 group
// read that null as a string and answered 500 with an empty body.
TEST_CASE("graph groups: Microsoft 365 and role-assignable groups beside groups without mail", "[sim][graph][groups]") {
  GraphSim graph;
  std::string security = graph.create_group("plain-security");
  REQUIRE(graph.get("/groups/" + security).json()["mail"].is_null());
  auto unified = graph.post("/groups", {{"displayName", "Team Site"},
                                        {"groupTypes", {"Unified"}},
                                        {"mailEnabled", true},
                                        {"mailNickname", "team-site"},
                                        {"securityEnabled", false}});
  CHECK(unified.status == 201);
  auto role_assignable = graph.post("/groups", {{"displayName", "Helpdesk admins"},
                                                {"groupTypes", {"Unified"}},
                                                {"isAssignableToRole", true},
                                                {"mailEnabled", true},
                                                {"mailNickname", "helpdesk-admins"},
                                                {"securityEnabled", true}});
  REQUIRE(role_assignable.status == 201);
  CHECK(role_assignable.json()["isAssignableToRole"] == true);
  CHECK(role_assignable.json()["mail"] == "helpdesk-admins@contoso.onmicrosoft.com");
  auto security_role_assignable = graph.post("/groups", {{"displayName", "Tier0 admins"},
                                                         {"isAssignableToRole", true},
                                                         {"mailEnabled", false},
                                                         {"mailNickname", "tier0-admins"},
                                                         {"securityEnabled", true}});
  CHECK(security_role_assignable.status == 201);
}

TEST_CASE("graph groups: members and owners by $ref", "[sim][graph][groups]") {
  GraphSim graph;
  std::string group = graph.create_group("engineering");
  std::string alice = graph.create_user("alice");
  std::string bob = graph.create_user("bob");

  CHECK(graph.post("/groups/" + group + "/members/$ref", {{"@odata.id", object_ref(alice)}}).status == 204);
  CHECK(graph.post("/groups/" + group + "/members/$ref",
                   {{"@odata.id", "https://graph.microsoft.com/v1.0/users/" + bob}})
            .status == 204);

  SECTION("adding an existing member is 400") {
    auto again = graph.post("/groups/" + group + "/members/$ref", {{"@odata.id", object_ref(alice)}});
    CHECK(again.status == 400);
    CHECK(again.json()["error"]["code"] == "Request_BadRequest");
    CHECK(again.json()["error"]["message"] ==
          "One or more added object references already exist for the following modified properties: 'members'.");
  }
  SECTION("adding an object that does not exist is 404") {
    auto missing = graph.post("/groups/" + group + "/members/$ref",
                              {{"@odata.id", object_ref("0badc0de-0000-4000-8000-000000000000")}});
    CHECK(missing.status == 404);
    CHECK(missing.json()["error"]["code"] == "Request_ResourceNotFound");
  }
  SECTION("members are listed as directory objects with @odata.type") {
    auto members = graph.get("/groups/" + group + "/members");
    REQUIRE(members.status == 200);
    auto body = members.json();
    CHECK(body["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
    REQUIRE(body["value"].size() == 2);
    CHECK(body["value"][0]["@odata.type"] == "#microsoft.graph.user");
    CHECK(body["value"][0]["id"] == alice);
    // OData cast segment
    auto users = graph.get("/groups/" + group + "/members/microsoft.graph.user");
    CHECK(users.json()["value"].size() == 2);
    CHECK(graph.get("/groups/" + group + "/members/microsoft.graph.group").json()["value"].empty());
  }
  SECTION("removing with /$ref removes the membership only") {
    CHECK(graph.del("/groups/" + group + "/members/" + alice + "/$ref").status == 204);
    CHECK(ids_of(graph.get("/groups/" + group + "/members")) == std::vector<std::string>{bob});
    CHECK(graph.get("/users/" + alice).status == 200);
    CHECK(graph.del("/groups/" + group + "/members/" + alice + "/$ref").status == 404);
  }
  SECTION("DELETE members/{id} without /$ref deletes the directory object itself") {
    CHECK(graph.del("/groups/" + group + "/members/" + alice).status == 204);
    auto user = graph.get("/users/" + alice);
    CHECK(user.status == 404);
    CHECK(user.json()["error"]["code"] == "Request_ResourceNotFound");
    CHECK(ids_of(graph.get("/groups/" + group + "/members")) == std::vector<std::string>{bob});
  }
  SECTION("owners") {
    CHECK(graph.post("/groups/" + group + "/owners/$ref", {{"@odata.id", "https://graph.microsoft.com/v1.0/users/" + bob}})
              .status == 204);
    auto owners = graph.get("/groups/" + group + "/owners");
    CHECK(ids_of(owners) == std::vector<std::string>{bob});
    auto twice = graph.post("/groups/" + group + "/owners/$ref", {{"@odata.id", object_ref(bob)}});
    CHECK(twice.json()["error"]["message"] ==
          "One or more added object references already exist for the following modified properties: 'owners'.");
    CHECK(graph.del("/groups/" + group + "/owners/" + bob + "/$ref").status == 204);
    CHECK(graph.get("/groups/" + group + "/owners").json()["value"].empty());
  }
  SECTION("POST to members without $ref is not allowed") {
    auto wrong = graph.post("/groups/" + group + "/members", {{"@odata.id", object_ref(alice)}});
    CHECK(wrong.status == 405);
  }
}

TEST_CASE("graph groups: members@odata.bind on create and update", "[sim][graph][groups]") {
  GraphSim graph;
  std::vector<std::string> users;
  for (int i = 0; i < 21; ++i) users.push_back(graph.create_user("member" + std::to_string(i)));
  json binds = json::array();
  for (int i = 0; i < 3; ++i) binds.push_back(object_ref(users[static_cast<std::size_t>(i)]));
  auto created = graph.post("/groups", {{"displayName", "bound"},
                                        {"mailEnabled", false},
                                        {"mailNickname", "bound"},
                                        {"securityEnabled", true},
                                        {"members@odata.bind", binds},
                                        {"owners@odata.bind", {object_ref(users[20])}}});
  REQUIRE(created.status == 201);
  std::string group = created.json()["id"];
  CHECK(graph.get("/groups/" + group + "/members").json()["value"].size() == 3);
  CHECK(graph.get("/groups/" + group + "/owners").json()["value"].size() == 1);

  json too_many = json::array();
  for (const auto& user : users) too_many.push_back(object_ref(user));
  auto refused = graph.post("/groups", {{"displayName", "too-many"},
                                        {"mailEnabled", false},
                                        {"mailNickname", "too-many"},
                                        {"securityEnabled", true},
                                        {"members@odata.bind", too_many}});
  CHECK(refused.status == 400);

  // PATCH adds up to 20 at once, all or nothing.
  json more = {object_ref(users[3]), object_ref(users[4]), object_ref("0badc0de-0000-4000-8000-000000000000")};
  CHECK(graph.patch("/groups/" + group, {{"members@odata.bind", more}}).status == 404);
  CHECK(graph.get("/groups/" + group + "/members").json()["value"].size() == 3);
  CHECK(graph.patch("/groups/" + group, {{"members@odata.bind", {object_ref(users[3]), object_ref(users[4])}}}).status == 204);
  CHECK(graph.get("/groups/" + group + "/members").json()["value"].size() == 5);
}

TEST_CASE("graph groups: transitive members", "[sim][graph][groups]") {
  GraphSim graph;
  std::string outer = graph.create_group("outer");
  std::string inner = graph.create_group("inner");
  std::string carol = graph.create_user("carol");
  CHECK(graph.post("/groups/" + outer + "/members/$ref", {{"@odata.id", object_ref(inner)}}).status == 204);
  CHECK(graph.post("/groups/" + inner + "/members/$ref", {{"@odata.id", object_ref(carol)}}).status == 204);
  CHECK(graph.get("/groups/" + outer + "/members").json()["value"].size() == 1);
  auto transitive = graph.get("/groups/" + outer + "/transitiveMembers").json()["value"];
  CHECK(transitive.size() == 2);
}

TEST_CASE("graph request validation follows the CSDL", "[sim][graph][validation]") {
  GraphSim graph;
  auto error_of = [](const HttpResponse& response) {
    INFO(response.body);
    CHECK(response.status == 400);
    return response.json()["error"];
  };
  json valid = {{"displayName", "g"}, {"mailEnabled", false}, {"mailNickname", "g"}, {"securityEnabled", true}};

  SECTION("a missing required property") {
    json body = valid;
    body.erase("mailNickname");
    auto error = error_of(graph.post("/groups", body));
    CHECK(error["code"] == "Request_BadRequest");
    CHECK(error["message"] == "A value is required for property 'mailNickname' of resource 'Group'.");
  }
  SECTION("an unknown property") {
    json body = valid;
    body["colour"] = "blue";
    auto error = error_of(graph.post("/groups", body));
    CHECK(error["code"] == "Request_BadRequest");
    CHECK(error["message"] == "Invalid property 'colour'.");
  }
  SECTION("a wrong type") {
    json body = valid;
    body["mailEnabled"] = "no";
    auto error = error_of(graph.post("/groups", body));
    CHECK(error["message"] == "Invalid value specified for property 'mailEnabled' of resource 'Group'.");
    body = valid;
    body["groupTypes"] = "Unified";
    CHECK(error_of(graph.post("/groups", body))["code"] == "Request_BadRequest");
  }
  SECTION("null for a non-nullable collection") {
    json body = valid;
    body["groupTypes"] = nullptr;
    CHECK(error_of(graph.post("/groups", body))["code"] == "Request_BadRequest");
  }
  SECTION("a read-only property") {
    json body = valid;
    body["securityIdentifier"] = "S-1-12-1-1-2-3-4";
    auto error = error_of(graph.post("/groups", body));
    CHECK(error["message"] == "Property 'securityIdentifier' is read-only and cannot be set.");
    std::string id = graph.create_group("patched");
    CHECK(error_of(graph.patch("/groups/" + id, {{"createdDateTime", "2020-01-01T00:00:00Z"}}))["code"] ==
          "Request_BadRequest");
  }
  SECTION("an invalid mailNickname") {
    json body = valid;
    body["mailNickname"] = "has space";
    CHECK(error_of(graph.post("/groups", body))["message"] ==
          "Invalid value specified for property 'mailNickname' of resource 'Group'.");
  }
  SECTION("a property settable only after creation") {
    json body = valid;
    body["allowExternalSenders"] = true;
    CHECK(error_of(graph.post("/groups", body))["code"] == "Request_BadRequest");
  }
  SECTION("a body that is not JSON") {
    auto response = graph.call("POST", "/groups", "{\"displayName\": ");
    auto error = error_of(response);
    CHECK(error["code"] == "BadRequest");
    CHECK(error["message"] ==
          "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON "
          "format.");
  }
  SECTION("conditional access answers with its own 1007 error") {
    // Conditional access allows one request per second per tenant: advance the clock in between.
    auto bad_enum = graph.post("/identity/conditionalAccess/policies",
                               {{"displayName", "p"}, {"state", "on"}, {"conditions", json::object()}});
    auto error = error_of(bad_enum);
    CHECK(error["code"] == "BadRequest");
    CHECK(error["message"].get<std::string>().rfind(
              "1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of "
              "ConditionalAccessPolicy type.",
              0) == 0);
    graph.sim.advance_clock(1);
    auto unknown = graph.post("/identity/conditionalAccess/policies",
                              {{"displayName", "p"},
                               {"state", "enabled"},
                               {"conditions", {{"users", {{"includeUsers", {"All"}}, {"includeEveryone", true}}}}}});
    CHECK(error_of(unknown)["code"] == "BadRequest");
    graph.sim.advance_clock(1);
    auto missing = graph.post("/identity/conditionalAccess/policies", {{"displayName", "p"}, {"state", "enabled"}});
    CHECK(error_of(missing)["code"] == "BadRequest");
  }
  SECTION("named locations need @odata.type and valid ranges") {
    auto untyped = graph.post("/identity/conditionalAccess/namedLocations",
                              {{"displayName", "hq"}, {"ipRanges", {{{"cidrAddress", "203.0.113.0/24"}}}}});
    CHECK(error_of(untyped)["code"] == "BadRequest");
    graph.sim.advance_clock(1);
    auto range_untyped =
        graph.post("/identity/conditionalAccess/namedLocations",
                   {{"@odata.type", "#microsoft.graph.ipNamedLocation"},
                    {"displayName", "hq"},
                    {"ipRanges", {{{"cidrAddress", "203.0.113.0/24"}}}}});
    CHECK(error_of(range_untyped)["code"] == "BadRequest");
    graph.sim.advance_clock(1);
    auto bad_cidr = graph.post("/identity/conditionalAccess/namedLocations",
                               {{"@odata.type", "#microsoft.graph.ipNamedLocation"},
                                {"displayName", "hq"},
                                {"ipRanges", {{{"@odata.type", "#microsoft.graph.iPv4CidrRange"},
                                               {"cidrAddress", "203.0.113.0/33"}}}}});
    CHECK(error_of(bad_cidr)["code"] == "BadRequest");
  }
}

TEST_CASE("graph errors for unknown routes and methods", "[sim][graph]") {
  GraphSim graph;
  auto unknown = graph.get("/groupz");
  CHECK(unknown.status == 400);
  CHECK(unknown.json()["error"]["code"] == "BadRequest");
  CHECK(unknown.json()["error"]["message"] == "Resource not found for the segment 'groupz'.");
  auto method = graph.call("PUT", "/groups", "{}");
  CHECK(method.status == 405);
  auto version = http_get(graph.sim.base_url() + "/beta/groups", {{"Authorization", "Bearer " + graph.token}});
  CHECK(version.status == 400);
}
