// Fault injection (seeded, repeatable), dropped connections, slow responses, and /_sim/stats,
// /_sim/reset, /_sim/state.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <thread>

#include "graph_sim_fixture.hpp"

using namespace idform::testing;
using nlohmann::json;

namespace {
std::vector<long> statuses(const GraphSim& graph, int count) {
  std::vector<long> out;
  for (int i = 0; i < count; ++i) {
    auto response = graph.get("/groups");
    out.push_back(response.ok() ? response.status : -1);
  }
  return out;
}
}  // namespace

TEST_CASE("graph fault injection is repeatable for a seed", "[sim][graph][faults]") {
  std::vector<std::string> args = {"--fault-rate", "0.3", "--fault-seed", "42"};
  GraphSim first(args);
  GraphSim second(args);
  auto a = statuses(first, 40);
  auto b = statuses(second, 40);
  CHECK(a == b);
  int errors = 0;
  for (auto status : a) errors += status >= 500 ? 1 : 0;
  CHECK(errors > 3);
  CHECK(errors < 25);
  // Another seed gives another sequence; a reset rewinds the sequence.
  GraphSim other({"--fault-rate", "0.3", "--fault-seed", "7"});
  CHECK(statuses(other, 40) != a);
  first.sim.reset();
  CHECK(statuses(first, 40) == a);
  CHECK(first.sim.stats()["faults"]["error"] == errors);
}

TEST_CASE("graph injected 5xx carry Graph error bodies", "[sim][graph][faults]") {
  GraphSim graph({"--fault-rate", "1", "--fault-statuses", "503"});
  auto response = graph.get("/groups");
  CHECK(response.status == 503);
  CHECK(response.json()["error"]["code"] == "serviceNotAvailable");
  CHECK(response.has_header("Retry-After"));
  // The token endpoint is not subject to faults (GraphSim got its token).
  CHECK(graph.fetch_token().size() > 10);
  GraphSim internal({"--fault-rate", "1", "--fault-statuses", "500"});
  CHECK(internal.get("/users").json()["error"]["code"] == "generalException");
}

TEST_CASE("graph dropped connections close the socket without a response", "[sim][graph][faults]") {
  SECTION("before the request is processed") {
    GraphSim graph({"--drop-rate", "1"});
    auto response = graph.post("/groups", {{"displayName", "lost"},
                                           {"mailEnabled", false},
                                           {"mailNickname", "lost"},
                                           {"securityEnabled", true}});
    CHECK_FALSE(response.ok());
    CHECK(response.error == CURLE_GOT_NOTHING);
    CHECK(graph.sim.stats()["faults"]["dropped"] == 1);
    CHECK(graph.sim.state()["collections"]["groups"].empty());
  }
  SECTION("after the write was applied") {
    GraphSim graph({"--drop-rate", "1", "--drop-phase", "after"});
    auto response = graph.post("/groups", {{"displayName", "applied"},
                                           {"mailEnabled", false},
                                           {"mailNickname", "applied"},
                                           {"securityEnabled", true}});
    CHECK(response.error == CURLE_GOT_NOTHING);
    CHECK(graph.sim.state()["collections"]["groups"].size() == 1);
  }
}

TEST_CASE("graph slow responses follow --slow-ms on the virtual clock", "[sim][graph][faults]") {
  // 20 000 vendor ms at time scale 0.01 = 200 ms real.
  GraphSim graph({"--slow-ms", "20000", "--time-scale", "0.01"});
  auto start = std::chrono::steady_clock::now();
  CHECK(graph.get("/groups").status == 200);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  CHECK(elapsed.count() >= 190);
  CHECK(graph.sim.stats()["faults"]["slow"] == 1);
}

TEST_CASE("graph /_sim/stats counts routes, statuses, throttling, units and concurrency", "[sim][graph][stats]") {
  GraphSim graph({"--slow-ms", "150"});
  std::string group;
  {
    // Concurrent slow requests overlap: peak concurrency above 1.
    std::vector<std::future<HttpResponse>> calls;
    for (int i = 0; i < 4; ++i) calls.push_back(std::async(std::launch::async, [&graph] { return graph.get("/users"); }));
    for (auto& call : calls) CHECK(call.get().status == 200);
  }
  auto created = graph.post("/groups", {{"displayName", "s"}, {"mailEnabled", false}, {"mailNickname", "s"},
                                        {"securityEnabled", true}});
  group = created.json()["id"];
  graph.get("/groups/" + group);
  graph.get("/groups/" + group + "/members");
  graph.get("/groups/0badc0de-0000-4000-8000-000000000000");
  auto stats = graph.sim.stats();
  CHECK(stats["requests"]["GET /users"] == 4);
  CHECK(stats["requests"]["POST /groups"] == 1);
  CHECK(stats["requests"]["GET /groups/{id}"] == 2);
  CHECK(stats["requests"]["GET /groups/{id}/members"] == 1);
  CHECK(stats["requests"]["POST /{tenant}/oauth2/v2.0/token"] == 1);
  CHECK(stats["status"]["200"] == 7);
  CHECK(stats["status"]["201"] == 1);
  CHECK(stats["status"]["404"] == 1);
  CHECK(stats["resource_units"] == 4 * 2 + 1 + 1 + 3 + 1);
  CHECK(stats["peak_concurrency"].get<int>() >= 2);
  CHECK(stats["in_flight"] == 0);

  // reset clears the counters; reset with state=true also restores the seed (here: empty).
  graph.sim.reset();
  CHECK(graph.sim.stats()["requests_total"] == 0);
  CHECK(graph.get("/groups/" + group).status == 200);
  graph.sim.reset(true);
  CHECK(graph.get("/groups/" + group).status == 404);
  auto state = graph.sim.state();
  CHECK(state["tenant"]["id"] == kGraphTenant);
  CHECK(state["collections"]["groups"].empty());
}
