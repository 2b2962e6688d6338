// idp-sim, Okta flavor: per-endpoint rate-limit buckets with X-Rate-Limit-* headers on every
// response, 429 E0000047, the per-client share, window reset on the (virtual) clock and the
// concurrent-request limit. No test sleeps through a window: the clock is advanced instead.
#include <catch2/catch.hpp>

#include "okta_sim_harness.hpp"

using namespace idform::testing::okta_sim;

namespace {

const char* kRateLimitToken = "00rate-token";

long long header_number(const OktaResponse& response, const std::string& name) {
  std::string value = response.header(name);
  REQUIRE_FALSE(value.empty());
  return std::stoll(value);
}

}  // namespace

TEST_CASE("okta sim puts each endpoint in its documented bucket and reports it on every response", "[sim][okta]") {
  OktaSim sim({"--seed", vendor_examples_dir(), "--api-token", kRateLimitToken, "--client-share", "100"});
  OktaClient okta(sim, std::string("SSWS ") + kRateLimitToken);
  // Workforce identity column of developer.okta.com/docs/reference/rl-global-mgmt/.
  struct Case {
    std::string path;
    long long limit;
  };
  std::vector<Case> cases = {
      {"/api/v1/apps", 100},
      {"/api/v1/apps/0oa1gjh63g214q0Hq0g4", 500},
      {"/api/v1/apps/0oa1gjh63g214q0Hq0g4/groups", 100},
      {"/api/v1/groups", 500},
      {"/api/v1/groups/00g1emaKYZTWRYYRRTSK", 1000},
      {"/api/v1/groups/00g1emaKYZTWRYYRRTSK/users", 1200},
      {"/api/v1/users", 600},
      {"/api/v1/users/00u118oQYT4TBTemp0g4", 2000},
      {"/api/v1/policies?type=ACCESS_POLICY", 1200},
      {"/api/v1/zones", 1200},
      {"/api/v1/groups/does-not-exist", 1000},  // errors carry the headers too
  };
  long long now = now_seconds();
  for (const auto& c : cases) {
    INFO(c.path);
    sim.reset();  // several paths share a bucket (all of /api/v1/apps/{id}/*, most of /api/v1)
    auto response = okta.get(c.path);
    CHECK(header_number(response, "x-rate-limit-limit") == c.limit);
    CHECK(header_number(response, "x-rate-limit-remaining") == c.limit - 1);
    long long reset = header_number(response, "x-rate-limit-reset");
    CHECK(reset >= now);
    CHECK(reset <= now + 62);
    CHECK_FALSE(response.header("x-okta-request-id").empty());
  }
  auto unauthenticated = http("GET", sim.url("/api/v1/groups"));
  CHECK(unauthenticated.status == 401);
  CHECK_FALSE(unauthenticated.header("x-rate-limit-remaining").empty());
}

TEST_CASE("okta sim refuses a request when its bucket is empty, until the window resets", "[sim][okta]") {
  OktaSim sim({"--seed", vendor_examples_dir(), "--api-token", kRateLimitToken, "--plan", "integrator-free", "--client-share",
               "100"});
  OktaClient okta(sim, std::string("SSWS ") + kRateLimitToken);
  for (int i = 0; i < 20; ++i) {
    auto response = okta.get("/api/v1/apps");
    REQUIRE(response.status == 200);
    CHECK(header_number(response, "x-rate-limit-limit") == 20);
    CHECK(header_number(response, "x-rate-limit-remaining") == 19 - i);
  }
  auto refused = okta.get("/api/v1/apps");
  CHECK(refused.status == 429);
  CHECK(refused.json()["errorCode"] == "E0000047");
  CHECK(refused.json()["errorSummary"] == "API call exceeded rate limit due to too many requests.");
  CHECK(header_number(refused, "x-rate-limit-remaining") == 0);
  CHECK(okta.get("/api/v1/apps?q=Example").status == 429);  // same bucket, whatever the query
  CHECK(okta.get("/api/v1/groups").status == 200);          // another bucket is untouched

  sim.advance(61);
  auto again = okta.get("/api/v1/apps");
  CHECK(again.status == 200);
  CHECK(header_number(again, "x-rate-limit-remaining") == 19);
  CHECK(sim.stats()["throttled"] == 2);
}

TEST_CASE("okta sim lets one token use only its share of a bucket", "[sim][okta]") {
  OktaSim sim({"--seed", vendor_examples_dir(), "--api-token", "token-a", "--api-token", "token-b", "--plan",
               "integrator-free"});
  OktaClient a(sim, "SSWS token-a");
  OktaClient b(sim, "SSWS token-b");
  for (int i = 0; i < 10; ++i) REQUIRE(a.get("/api/v1/apps").status == 200);
  auto refused = a.get("/api/v1/apps");
  CHECK(refused.status == 429);
  CHECK(header_number(refused, "x-rate-limit-limit") == 10);  // 50 % of 20
  auto other = b.get("/api/v1/apps");
  CHECK(other.status == 200);
  CHECK(header_number(other, "x-rate-limit-remaining") == 9);
  for (int i = 0; i < 9; ++i) REQUIRE(b.get("/api/v1/apps").status == 200);
  CHECK(b.get("/api/v1/apps").status == 429);
}

TEST_CASE("okta sim runs rate-limit windows on the scaled clock", "[sim][okta]") {
  OktaSim sim({"--api-token", kRateLimitToken, "--time-scale", "0.01", "--client-share", "100"});
  OktaClient okta(sim, std::string("SSWS ") + kRateLimitToken);
  auto response = okta.get("/api/v1/groups");
  // A 60 s vendor window lasts 0.6 s here; the reset epoch is translated to wall-clock time.
  CHECK(header_number(response, "x-rate-limit-reset") <= now_seconds() + 2);
}

TEST_CASE("okta sim answers 429 over the concurrent-request limit", "[sim][okta]") {
  OktaSim sim({"--api-token", kRateLimitToken, "--concurrency-limit", "2", "--request-ms", "400"});
  OktaClient okta(sim, std::string("SSWS ") + kRateLimitToken);
  std::vector<OktaResponse> responses(6);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    threads.emplace_back([&, i] { responses[i] = okta.get("/api/v1/groups"); });
  }
  for (auto& thread : threads) thread.join();
  int ok = 0, refused = 0;
  for (const auto& response : responses) {
    if (response.status == 200) ++ok;
    if (response.status == 429) {
      ++refused;
      CHECK(response.json()["errorCode"] == "E0000047");
      CHECK(response.header("x-rate-limit-limit") == "0");
      CHECK(response.header("x-rate-limit-remaining") == "0");
      CHECK_FALSE(response.header("x-rate-limit-reset").empty());
    }
  }
  CHECK(ok >= 1);
  CHECK(ok <= 2 * 2);  // at most two at a time, each holding its slot for 400 ms
  CHECK(refused >= 2);
  CHECK(ok + refused == 6);
  CHECK(sim.stats()["peak_concurrency"].get<int>() >= 3);
}

TEST_CASE("okta sim with --throttle off counts but never refuses", "[sim][okta]") {
  OktaSim sim({"--api-token", kRateLimitToken, "--plan", "integrator-free", "--throttle", "off"});
  OktaClient okta(sim, std::string("SSWS ") + kRateLimitToken);
  for (int i = 0; i < 25; ++i) REQUIRE(okta.get("/api/v1/apps").status == 200);
  CHECK(okta.get("/api/v1/apps").header("x-rate-limit-remaining") == "0");
}
