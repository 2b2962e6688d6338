// The Graph client against a fake transport: tokens cached and refreshed, pages followed,
// $batch envelopes of at most 20 with throttled items re-sent, conditional access calls paced,
// and error messages that carry what an operator needs (status, code, request-id) but no secret.

#include <catch2/catch.hpp>

#include <thread>

#include "providers/entra/graph_client.hpp"
#include "providers/entra_test_support.hpp"
#include "reconciler/util/redact.hpp"

using namespace idform::providers::entra;
using idform::testing::entra::FakeTransport;
using idform::testing::entra::json_response;

namespace {

constexpr const char* kBase = "https://graph.example";
constexpr const char* kSecret = "s3cr3t-value-for-tests";

struct Harness {
  EntraSettings settings = idform::testing::entra::test_settings(kBase, "tenant-1", "client-1");
  std::shared_ptr<FakeTransport> transport;
  idform::util::FakeClock clock;  // thread-safe: the HTTP client may sleep on an envelope's worker thread
  std::unique_ptr<GraphClient> graph;
  int token_requests = 0;

  explicit Harness(std::function<idform::http::Response(const idform::http::Request&)> graph_handler,
                   std::function<idform::http::Response(const idform::http::Request&)> token_handler = {}) {
    transport = std::make_shared<FakeTransport>([this, graph_handler, token_handler](const idform::http::Request& request)
                                                    -> std::expected<idform::http::Response, idform::http::TransportError> {
      if (request.url.find("/oauth2/v2.0/token") != std::string::npos) {
        ++token_requests;
        if (token_handler) return token_handler(request);
        return json_response(200, {{"token_type", "Bearer"}, {"expires_in", 3599},
                                   {"access_token", "token-" + std::to_string(token_requests)}});
      }
      return graph_handler(request);
    });
    connect(settings.tuning.policy_interval);
  }

  // A new client, signed in, whose conditional access calls are spaced `policy_interval`.
  void connect(std::chrono::milliseconds policy_interval) {
    settings.tuning.policy_interval = policy_interval;
    graph = std::make_unique<GraphClient>(settings, transport, clock);
    TokenSourceHooks hooks;
    hooks.env = [](const std::string& name) { return name == "IDFORM_TEST_ENTRA_SECRET" ? kSecret : ""; };
    REQUIRE(graph->authenticate(hooks));
  }
};

}  // namespace

TEST_CASE("tokens are fetched once, sent as bearer, and refreshed after a 401", "[entra]") {
  int graph_calls = 0;
  Harness harness([&](const idform::http::Request& request) {
    ++graph_calls;
    if (graph_calls == 3) return json_response(401, {{"error", {{"code", "InvalidAuthenticationToken"}}}});
    CHECK(request.headers.at("Authorization").starts_with("Bearer token-"));
    return json_response(200, {{"value", nlohmann::json::array()}});
  });
  REQUIRE(harness.graph->call("GET", "/groups"));
  REQUIRE(harness.graph->call("GET", "/groups"));
  CHECK(harness.token_requests == 1);
  auto third = harness.graph->call("GET", "/groups");  // 401, refresh, retry
  REQUIRE(third);
  CHECK(third->status == 200);
  CHECK(harness.token_requests == 2);
  auto requests = harness.transport->requests();
  CHECK(requests.back().headers.at("Authorization") == "Bearer token-2");
  // The token request is a client-credentials form for Graph's .default scope.
  CHECK(requests.front().body.find("grant_type=client_credentials") != std::string::npos);
  CHECK(requests.front().body.find("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default") != std::string::npos);
}

TEST_CASE("a list follows @odata.nextLink to the last page", "[entra]") {
  Harness harness([&](const idform::http::Request& request) {
    if (request.url.find("skiptoken") == std::string::npos)
      return json_response(200, {{"value", {{{"id", "1"}}, {{"id", "2"}}}},
                                 {"@odata.nextLink", std::string(kBase) + "/v1.0/groups?$skiptoken=abc"}});
    return json_response(200, {{"value", {{{"id", "3"}}}}});
  });
  auto items = harness.graph->list("/groups?$top=999");
  REQUIRE(items);
  CHECK(items->size() == 3);
}

TEST_CASE("$batch sends at most 20 requests per envelope and re-sends throttled items", "[entra]") {
  std::map<std::string, int> attempts;  // inner url -> times seen
  int envelopes = 0;
  Harness harness([&](const idform::http::Request& request) {
    REQUIRE(request.url == std::string(kBase) + "/v1.0/$batch");
    CHECK(request.idempotent());  // reads only: may be repeated, and keeps its pooled connection
    ++envelopes;
    nlohmann::json body = nlohmann::json::parse(request.body);
    CHECK(body["requests"].size() <= 20);
    nlohmann::json responses = nlohmann::json::array();
    for (const auto& inner : body["requests"]) {
      std::string url = inner["url"];
      int seen = ++attempts[url];
      if (url == "/groups/7/members" && seen == 1)  // throttled once, with Retry-After
        responses.push_back({{"id", inner["id"]}, {"status", 429}, {"headers", {{"Retry-After", "3"}}},
                             {"body", {{"error", {{"code", "TooManyRequests"}}}}}});
      else
        responses.push_back({{"id", inner["id"]}, {"status", 200}, {"body", {{"value", {{{"id", url}}}}}}});
    }
    return json_response(200, {{"responses", responses}});
  });
  std::map<std::string, std::string> paths;
  for (int i = 0; i < 45; ++i) paths["g" + std::to_string(i)] = "/groups/" + std::to_string(i) + "/members";
  auto lists = harness.graph->batch_list(paths);
  REQUIRE(lists);
  CHECK(lists->size() == 45);
  CHECK(lists->at("g7").front()["id"] == "/groups/7/members");
  CHECK(envelopes == 4);  // 20 + 20 + 5, then the one throttled item
  REQUIRE_FALSE(harness.clock.sleeps().empty());
  CHECK(harness.clock.sleeps().back() >= std::chrono::milliseconds(3000));
}

TEST_CASE("conditional access calls are spaced by the pacing interval", "[entra]") {
  Harness harness([&](const idform::http::Request&) { return json_response(200, {{"value", nlohmann::json::array()}}); });
  harness.connect(std::chrono::milliseconds(1000));
  for (int i = 0; i < 3; ++i) REQUIRE(harness.graph->call("GET", "/identity/conditionalAccess/policies"));
  REQUIRE(harness.graph->call("GET", "/groups"));  // not paced
  // Each call waits the interval after the one before: the third leaves two intervals after the first.
  CHECK(harness.clock.sleeps() == std::vector<std::chrono::milliseconds>(2, std::chrono::milliseconds(1000)));
}

TEST_CASE("a conditional access call waits the interval after the previous answer", "[entra]") {
  // Graph counts these calls when they arrive: spacing them only by when they leave lets a slow
  // request arrive right behind the next one.
  idform::util::FakeClock* harness_clock = nullptr;
  Harness harness([&](const idform::http::Request& request) {
    if (request.url.find("conditionalAccess") != std::string::npos)
      harness_clock->advance(std::chrono::milliseconds(300));  // a slow answer
    return json_response(200, {{"value", nlohmann::json::array()}});
  });
  harness_clock = &harness.clock;
  harness.connect(std::chrono::milliseconds(1000));
  REQUIRE(harness.graph->call("GET", "/identity/conditionalAccess/policies"));
  REQUIRE(harness.graph->call("GET", "/identity/conditionalAccess/namedLocations"));
  // Measured from the answer, 300 ms after the first call left; from the send it would be 700 ms.
  CHECK(harness.clock.sleeps() == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(1000)});
}

TEST_CASE("a Graph failure names method, path, status, error code and request-id", "[entra]") {
  GraphResponse response;
  response.status = 403;
  response.body = nlohmann::json::parse(R"({"error": {"code": "Authorization_RequestDenied",
      "message": "Insufficient privileges to complete the operation.",
      "innerError": {"date": "2025-02-13T10:17:06", "request-id": "7f3e0000-aaaa", "client-request-id": "x"}}})");
  CHECK(describe_failure("PATCH", "https://graph.microsoft.com/v1.0/groups/1b2c", response) ==
        "PATCH /v1.0/groups/1b2c: HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the "
        "operation. (request-id 7f3e0000-aaaa)");
}

TEST_CASE("a wrong client secret is a clear authentication error without the secret", "[entra]") {
  Harness harness([&](const idform::http::Request&) { return json_response(200, nlohmann::json::object()); },
                  [&](const idform::http::Request&) {
                    return json_response(401, {{"error", "invalid_client"},
                                               {"error_description", "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c"},
                                               {"error_codes", {7000215}},
                                               {"trace_id", "trace-1"}});
                  });
  auto result = harness.graph->call("GET", "/groups");
  REQUIRE_FALSE(result);
  std::string text = result.error().to_string();
  CHECK(text.find("authentication failed for target \"entra-test\" (client_secret, client client-1)") != std::string::npos);
  CHECK(text.find("invalid_client: AADSTS7000215: Invalid client secret provided.") != std::string::npos);
  CHECK(text.find("IDFORM_TEST_ENTRA_SECRET") != std::string::npos);  // where to look
  CHECK(text.find(kSecret) == std::string::npos);
  CHECK(idform::util::redact(std::string("x ") + kSecret) == "x (redacted)");
}

TEST_CASE("a $batch that writes is not repeatable, one of reads only is", "[entra]") {
  std::vector<bool> repeatable;
  Harness harness([&](const idform::http::Request& request) {
    repeatable.push_back(request.idempotent());
    nlohmann::json responses = nlohmann::json::array();
    const nlohmann::json body = nlohmann::json::parse(request.body);
    for (const auto& inner : body["requests"])
      responses.push_back({{"id", inner["id"]}, {"status", 204}, {"body", nullptr}});
    return json_response(200, {{"responses", responses}});
  });
  using idform::providers::entra::BatchItem;
  REQUIRE(harness.graph->batch({BatchItem{"GET", "/groups/1", nullptr}, BatchItem{"GET", "/groups/2", nullptr}}));
  REQUIRE(harness.graph->batch(
      {BatchItem{"GET", "/groups/1", nullptr}, BatchItem{"PATCH", "/groups/2", {{"description", "x"}}}}));
  CHECK(repeatable == std::vector<bool>{true, false});
}
