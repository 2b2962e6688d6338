// Graph throttling: resource units per app per 10 s with the documented costs and headers,
// conditional access at 1 request/second/tenant without Retry-After, and --time-scale.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "graph_sim_fixture.hpp"

using namespace idform::testing;
using nlohmann::json;

TEST_CASE("graph resource-unit budget per app and 10 seconds", "[sim][graph][throttle]") {
  GraphSim graph({"--resource-unit-budget", "10"});
  // GET /users costs 2: five calls spend the budget of 10.
  for (int i = 0; i < 5; ++i) {
    auto response = graph.get("/users");
    REQUIRE(response.status == 200);
    CHECK(response.header("x-ms-resource-unit") == "2");
    if (i >= 4) CHECK(response.has_header("x-ms-throttle-limit-percentage"));
  }
  auto throttled = graph.get("/users");
  REQUIRE(throttled.status == 429);
  // Rejected requests are charged too: the bucket is at -2, so 4 units (4 s) until 2 are free.
  CHECK(throttled.header("Retry-After") == "4");
  CHECK(throttled.header("x-ms-throttle-scope") ==
        std::string("Tenant_Application/ReadWrite/") + kGraphClient + "/" + kGraphTenant);
  CHECK(throttled.header("x-ms-throttle-information") == "ResourceUnitLimitExceeded");
  auto error = throttled.json()["error"];
  CHECK(error["code"] == "TooManyRequests");
  CHECK(error["innerError"]["status"] == "429");
  CHECK_FALSE(throttled.has_header("retry-after-ms"));  // only with --time-scale

  // Throttled requests still count, so waiting less than the whole window is not enough...
  graph.sim.advance_clock(1);
  CHECK(graph.get("/users").status == 429);
  // ...but a full window refills the bucket.
  graph.sim.advance_clock(10);
  CHECK(graph.get("/users").status == 200);

  auto stats = graph.sim.stats();
  CHECK(stats["throttled"] == 2);
  CHECK(stats["status"]["429"] == 2);
  CHECK(stats["resource_units"] == 16.0);
}

TEST_CASE("graph request costs follow the documented table", "[sim][graph][throttle]") {
  GraphSim graph;
  std::string group = graph.create_group("costs");
  struct Case {
    std::string path;
    std::string cost;
  };
  for (const auto& c : std::vector<Case>{{"/users", "2"},
                                          {"/users?$select=id", "1"},
                                          {"/users?$top=5", "1"},
                                          {"/applications", "2"},
                                          {"/groups", "1"},
                                          {"/groups/" + group + "/members", "3"},
                                          {"/groups/" + group + "/members?$select=id", "2"},
                                          {"/groups/" + group + "/transitiveMembers", "5"},
                                          {"/servicePrincipals", "1"}}) {
    auto response = graph.get(c.path);
    INFO(c.path);
    CHECK(response.header("x-ms-resource-unit") == c.cost);
  }
  auto write = graph.patch("/groups/" + group, {{"description", "d"}});
  CHECK(write.header("x-ms-resource-unit") == "1");
}

TEST_CASE("graph conditional access: 1 request per second per tenant, 429 without Retry-After",
          "[sim][graph][throttle]") {
  GraphSim graph;
  CHECK(graph.get("/identity/conditionalAccess/policies").status == 200);
  auto second = graph.get("/identity/conditionalAccess/namedLocations");
  CHECK(second.status == 429);
  CHECK_FALSE(second.has_header("Retry-After"));
  CHECK_FALSE(second.has_header("x-ms-throttle-scope"));
  CHECK(second.json()["error"]["code"] == "TooManyRequests");
  // Directory calls are not affected.
  CHECK(graph.get("/groups").status == 200);
  graph.sim.advance_clock(1.0);
  CHECK(graph.get("/identity/conditionalAccess/namedLocations").status == 200);
}

TEST_CASE("graph throttling can be switched off", "[sim][graph][throttle]") {
  GraphSim graph({"--throttle", "off", "--resource-unit-budget", "2"});
  for (int i = 0; i < 5; ++i) CHECK(graph.get("/users").status == 200);
  CHECK(graph.get("/identity/conditionalAccess/policies").status == 200);
  CHECK(graph.get("/identity/conditionalAccess/policies").status == 200);
}

TEST_CASE("graph --time-scale shortens windows and reports the real wait", "[sim][graph][throttle]") {
  // 0.01 s real per vendor second: the 10 s window lasts 100 ms.
  GraphSim graph({"--time-scale", "0.01", "--resource-unit-budget", "4"});
  CHECK(graph.get("/users").status == 200);
  CHECK(graph.get("/users").status == 200);
  auto throttled = graph.get("/users");
  REQUIRE(throttled.status == 429);
  CHECK(throttled.header("Retry-After") == "1");  // whole seconds, rounded up
  REQUIRE(throttled.has_header("retry-after-ms"));
  int wait_ms = std::stoi(throttled.header("retry-after-ms"));
  CHECK(wait_ms > 0);
  CHECK(wait_ms <= 110);
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms + 30));
  CHECK(graph.get("/users").status == 200);
}

TEST_CASE("graph resource-unit budget follows the tenant size", "[sim][graph][throttle]") {
  TempDir small, medium;
  medium.write_json("users.json", seed_users(60));
  CHECK(GraphSim({}, {small.str()}).sim.info()["resource_unit_budget_per_10s"] == 3500.0);
  CHECK(GraphSim({}, {medium.str()}).sim.info()["resource_unit_budget_per_10s"] == 5000.0);
  CHECK(GraphSim({"--tenant-size", "L"}).sim.info()["resource_unit_budget_per_10s"] == 8000.0);
}
