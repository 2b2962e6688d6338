// Eventual consistency in the Graph flavor: new objects and memberships are invisible to reads
// for --consistency-delay-ms, deleted ones stay visible for it (Entra replication).
#include <catch2/catch.hpp>

#include "graph_sim_fixture.hpp"

using namespace idform::testing;
using nlohmann::json;

TEST_CASE("graph eventual consistency hides new objects and memberships", "[sim][graph][consistency]") {
  GraphSim graph({"--consistency-delay-ms", "5000"});
  std::string user = graph.create_user("erin");
  auto created = graph.post("/groups", {{"displayName", "new-team"},
                                        {"mailEnabled", false},
                                        {"mailNickname", "new-team"},
                                        {"securityEnabled", true}});
  REQUIRE(created.status == 201);
  std::string group = created.json()["id"];

  SECTION("a new object is 404 and missing from lists until the delay has passed") {
    auto fresh = graph.get("/groups/" + group);
    CHECK(fresh.status == 404);
    CHECK(fresh.json()["error"]["code"] == "Request_ResourceNotFound");
    CHECK(graph.get("/groups").json()["value"].empty());
    graph.sim.advance_clock(5.0);
    CHECK(graph.get("/groups/" + group).status == 200);
    CHECK(graph.get("/groups").json()["value"].size() == 1);
  }
  SECTION("writes still reach a hidden object unless --consistency-writes") {
    CHECK(graph.patch("/groups/" + group, {{"description", "x"}}).status == 204);
  }
  SECTION("a new membership is not listed until the delay has passed") {
    graph.sim.advance_clock(5.0);
    CHECK(graph.post("/groups/" + group + "/members/$ref",
                     {{"@odata.id", "https://graph.microsoft.com/v1.0/directoryObjects/" + user}})
              .status == 204);
    CHECK(graph.get("/groups/" + group + "/members").json()["value"].empty());
    graph.sim.advance_clock(5.0);
    CHECK(graph.get("/groups/" + group + "/members").json()["value"].size() == 1);
    // A removed membership stays listed for the delay too.
    CHECK(graph.del("/groups/" + group + "/members/" + user + "/$ref").status == 204);
    CHECK(graph.get("/groups/" + group + "/members").json()["value"].size() == 1);
    graph.sim.advance_clock(5.0);
    CHECK(graph.get("/groups/" + group + "/members").json()["value"].empty());
  }
  SECTION("a deleted object stays readable for the delay, but is gone for writes") {
    graph.sim.advance_clock(5.0);
    CHECK(graph.del("/groups/" + group).status == 204);
    CHECK(graph.get("/groups/" + group).status == 200);
    CHECK(graph.patch("/groups/" + group, {{"description", "x"}}).status == 404);
    graph.sim.advance_clock(5.0);
    CHECK(graph.get("/groups/" + group).status == 404);
  }
}

TEST_CASE("graph --consistency-writes also hides new objects from writes", "[sim][graph][consistency]") {
  GraphSim graph({"--consistency-delay-ms", "2000", "--consistency-writes"});
  std::string group = graph.create_group("strict");
  std::string user = graph.create_user("frank");
  auto early = graph.post("/groups/" + group + "/members/$ref",
                          {{"@odata.id", "https://graph.microsoft.com/v1.0/directoryObjects/" + user}});
  CHECK(early.status == 404);
  CHECK(early.json()["error"]["code"] == "Request_ResourceNotFound");
  graph.sim.advance_clock(2.0);
  CHECK(graph.post("/groups/" + group + "/members/$ref",
                   {{"@odata.id", "https://graph.microsoft.com/v1.0/directoryObjects/" + user}})
            .status == 204);
}
