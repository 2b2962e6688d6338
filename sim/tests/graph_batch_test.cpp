// JSON batching in the Graph flavor.
#include <catch2/catch.hpp>

#include "graph_sim_fixture.hpp"

using namespace idform::testing;
using nlohmann::json;

namespace {
json by_id(const json& responses, const std::string& id) {
  for (const auto& response : responses) {
    if (response["id"] == id) return response;
  }
  return json();
}
}  // namespace

TEST_CASE("graph $batch runs requests and answers each with its own status", "[sim][graph][batch]") {
  GraphSim graph;
  std::string group = graph.create_group("batch-target");
  json batch = {{"requests",
                 {{{"id", "1"}, {"method", "GET"}, {"url", "/groups/" + group + "?$select=displayName"}},
                  {{"id", "2"},
                   {"method", "POST"},
                   {"url", "/users"},
                   {"headers", {{"Content-Type", "application/json"}}},
                   {"body",
                    {{"accountEnabled", true},
                     {"displayName", "dana"},
                     {"mailNickname", "dana"},
                     {"userPrincipalName", "dana@contoso.onmicrosoft.com"},
                     {"passwordProfile", {{"password", "Xy!12345678"}}}}}},
                  {{"id", "3"}, {"method", "GET"}, {"url", "/groups/0badc0de-0000-4000-8000-000000000000"}},
                  {{"id", "4"}, {"method", "GET"}, {"url", "users/dana@contoso.onmicrosoft.com"}, {"dependsOn", {"2"}}},
                  {{"id", "5"}, {"method", "GET"}, {"url", "/groups/x"}, {"dependsOn", {"3"}}}}}};
  auto response = graph.post("/$batch", batch);
  REQUIRE(response.status == 200);
  auto responses = response.json()["responses"];
  REQUIRE(responses.size() == 5);
  CHECK(by_id(responses, "1")["status"] == 200);
  CHECK(by_id(responses, "1")["body"]["displayName"] == "batch-target");
  CHECK(by_id(responses, "2")["status"] == 201);
  CHECK(by_id(responses, "3")["status"] == 404);
  CHECK(by_id(responses, "3")["body"]["error"]["code"] == "Request_ResourceNotFound");
  CHECK(by_id(responses, "4")["status"] == 200);
  CHECK(by_id(responses, "4")["body"]["displayName"] == "dana");
  CHECK(by_id(responses, "5")["status"] == 424);
  // Items are counted by their own route; the envelope once.
  auto stats = graph.sim.stats();
  CHECK(stats["requests"]["POST /$batch"] == 1);
  CHECK(stats["batch_items"]["GET /groups/{id}"] == 2);
  CHECK(stats["batch_items"]["POST /users"] == 1);
}

TEST_CASE("graph $batch limits and format errors", "[sim][graph][batch]") {
  GraphSim graph;
  json requests = json::array();
  for (int i = 0; i < 21; ++i) {
    requests.push_back({{"id", std::to_string(i)}, {"method", "GET"}, {"url", "/groups"}});
  }
  auto too_many = graph.post("/$batch", {{"requests", requests}});
  CHECK(too_many.status == 400);
  CHECK(too_many.json()["error"]["code"] == "BadRequest");
  requests.erase(requests.end() - 1);
  CHECK(graph.post("/$batch", {{"requests", requests}}).status == 200);

  auto duplicate = graph.post("/$batch", {{"requests",
                                           {{{"id", "a"}, {"method", "GET"}, {"url", "/groups"}},
                                            {{"id", "a"}, {"method", "GET"}, {"url", "/users"}}}}});
  CHECK(duplicate.status == 400);

  auto no_content_type = graph.post(
      "/$batch", {{"requests", {{{"id", "1"}, {"method", "POST"}, {"url", "/groups"}, {"body", {{"displayName", "x"}}}}}}});
  REQUIRE(no_content_type.status == 200);
  CHECK(no_content_type.json()["responses"][0]["status"] == 400);

  CHECK(graph.call("POST", "/$batch", "not json").status == 400);
}

TEST_CASE("graph $batch: a throttled item is a 429 inside a 200", "[sim][graph][batch][throttle]") {
  GraphSim graph({"--resource-unit-budget", "6"});
  json requests = json::array();
  for (int i = 0; i < 5; ++i) requests.push_back({{"id", std::to_string(i)}, {"method", "GET"}, {"url", "/users"}});
  auto response = graph.post("/$batch", {{"requests", requests}});
  REQUIRE(response.status == 200);
  auto responses = response.json()["responses"];
  // GET /users costs 2 resource units: three fit into a budget of 6.
  int ok = 0, throttled = 0;
  for (const auto& item : responses) {
    if (item["status"] == 200) ++ok;
    if (item["status"] == 429) {
      ++throttled;
      CHECK(item["headers"].contains("Retry-After"));
      CHECK(item["body"]["error"]["code"] == "TooManyRequests");
    }
  }
  CHECK(ok == 3);
  CHECK(throttled == 2);
  CHECK(graph.sim.stats()["throttled"] == 2);
}

// Item URLs are relative to the version root. Graph fails an item that repeats the version
// ("Resource not found for the segment 'v1.0'.") and refuses an envelope with an absolute URL.
TEST_CASE("graph $batch: item urls with the version segment or absolute urls are refused", "[sim][graph][batch]") {
  GraphSim graph;
  auto versioned = graph.post("/$batch", {{"requests",
                                           {{{"id", "1"}, {"method", "GET"}, {"url", "/v1.0/groups"}},
                                            {{"id", "2"}, {"method", "GET"}, {"url", "/groups"}},
                                            {{"id", "3"}, {"method", "GET"}, {"url", "beta/users?$top=1"}}}}});
  REQUIRE(versioned.status == 200);
  auto responses = versioned.json()["responses"];
  CHECK(by_id(responses, "1")["status"] == 400);
  CHECK(by_id(responses, "1")["body"]["error"]["code"] == "BadRequest");
  CHECK(by_id(responses, "1")["body"]["error"]["message"] == "Resource not found for the segment 'v1.0'.");
  CHECK(by_id(responses, "2")["status"] == 200);
  CHECK(by_id(responses, "3")["status"] == 400);

  for (const std::string& absolute : std::vector<std::string>{"https://graph.microsoft.com/v1.0/groups",
                                                               "https://graph.microsoft.com/groups", graph.url("/groups")}) {
    auto response = graph.post("/$batch", {{"requests", {{{"id", "1"}, {"method", "GET"}, {"url", absolute}}}}});
    INFO(absolute);
    CHECK(response.status == 400);
    CHECK(response.json()["error"]["message"] == "Invalid batch payload format.");
  }
}
