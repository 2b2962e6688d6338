// The resource-unit pacer against a model of Graph's identity and access bucket (refilled over
// 10 s, rejected requests charged): a large read finishes within a fifth of the floor the budget
// sets, with a few dozen 429s at most instead of thousands, whether or not Graph sends
// x-ms-throttle-limit-percentage.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "providers/entra/entra_settings.hpp"
#include "providers/entra/resource_unit_pacer.hpp"

using idform::providers::entra::ResourceUnitPacer;
using idform::util::FakeClock;
using std::chrono::milliseconds;

namespace {

// Graph's bucket as documented: `budget` RU refilled over 10 s; a rejected request is charged too.
struct GraphBucket {
  double budget;
  double tokens;
  double rate;
  double last = 0;
  bool percentage_header = true;
  int rejected = 0;
  double charged = 0;

  explicit GraphBucket(double b) : budget(b), tokens(b), rate(b / 10.0) {}

  ResourceUnitPacer::Answer serve(double now, const std::string& url, double cost, double reserved) {
    tokens = std::min(budget, tokens + (now - last) * rate);
    last = now;
    ResourceUnitPacer::Answer answer;
    answer.url = url;
    answer.reserved = reserved;
    answer.charged = cost;
    charged += cost;
    if (tokens >= cost) {
      tokens -= cost;
    } else {
      tokens = std::max(-budget, tokens - cost);
      answer.throttled = true;
      answer.retry_after = std::chrono::milliseconds(static_cast<long long>(std::ceil((cost - tokens) / rate * 1000)));
      ++rejected;
    }
    double used = (budget - tokens) / budget;
    if (percentage_header && used > 0.8) answer.used_fraction = std::round(std::min(1.8, used) * 10) / 10;
    return answer;
  }
};

struct Run {
  double seconds = 0;
  int rejected = 0;
  double charged = 0;
};

// Reads `lists` member lists (2 RU each) and as many owner lists (1 RU), 20 per envelope, one
// envelope at a time taking `envelope_seconds`; throttled items are sent again.
Run read_tenant(GraphBucket& graph, int lists, double envelope_seconds) {
  FakeClock clock;
  auto now = [&] { return std::chrono::duration<double>(clock.steady_now().time_since_epoch()).count(); };
  ResourceUnitPacer pacer(clock);
  std::vector<std::pair<std::string, double>> pending;
  for (int i = 0; i < lists; ++i) {
    pending.push_back({"/groups/" + std::to_string(1000 + i) + "/members?$select=id", 2});
    pending.push_back({"/groups/" + std::to_string(1000 + i) + "/owners?$select=id", 1});
  }
  for (int round = 0; !pending.empty() && round < 50; ++round) {
    std::vector<std::pair<std::string, double>> retry;
    for (size_t start = 0; start < pending.size(); start += 20) {
      size_t end = std::min(pending.size(), start + 20);
      std::vector<double> reserved;
      double units = 0;
      for (size_t i = start; i < end; ++i) units += reserved.emplace_back(pacer.estimate(pending[i].first));
      clock.advance(pacer.reserve(units));
      clock.advance(milliseconds(std::lround(envelope_seconds * 1000)));
      for (size_t i = start; i < end; ++i) {
        auto answer = graph.serve(now(), pending[i].first, pending[i].second, reserved[i - start]);
        pacer.observe(answer);
        if (answer.throttled) retry.push_back(pending[i]);
      }
    }
    pending = std::move(retry);
  }
  REQUIRE(pending.empty());
  return {now(), graph.rejected, graph.charged};
}

}  // namespace

TEST_CASE("route shapes replace ids and drop the query", "[entra]") {
  CHECK(ResourceUnitPacer::shape_of("/groups/0b3e5c1a-7d4f-4e2b-9a61-5c0d8e7f9a10/members?$select=id") ==
        "/groups/{id}/members");
  CHECK(ResourceUnitPacer::shape_of("https://graph.microsoft.com/v1.0/groups/42/owners") == "/v1.0/groups/{id}/owners");
  CHECK(ResourceUnitPacer::shape_of("/servicePrincipals?$filter=appId in ('a')") == "/servicePrincipals");
}

TEST_CASE("nothing waits before Graph shows pressure, and costs are learned per route", "[entra]") {
  FakeClock clock;
  ResourceUnitPacer pacer(clock);
  CHECK(pacer.estimate("/groups/1/members") == 1.0);
  CHECK(pacer.reserve(1000).count() == 0);
  pacer.observe({"/groups/1/members?$select=id", 1, 2.0, false, std::nullopt, std::nullopt});
  CHECK(pacer.estimate("/groups/2/members?$select=id") == 2.0);
  CHECK(pacer.estimate("/groups/2/owners") == 1.0);
  CHECK_FALSE(pacer.pacing());
  CHECK(pacer.reserve(100000).count() == 0);
}

TEST_CASE("a large read under Graph's resource-unit budget runs near its floor with few 429s", "[entra]") {
  // 5,000 member lists and 5,000 owner lists = 15,000 RU against 8,000 RU per 10 s: the floor is
  // (15,000 - 8,000) / 800 per s = 8.75 s. Envelopes take 10 ms, so unthrottled it would take 5 s.
  const double floor_seconds = (15000.0 - 8000.0) / 800.0;
  for (bool header : {true, false}) {
    DYNAMIC_SECTION((header ? "with" : "without") << " x-ms-throttle-limit-percentage") {
      GraphBucket graph(8000);
      graph.percentage_header = header;
      Run run = read_tenant(graph, 5000, 0.010);
      INFO("took " << run.seconds << " s, " << run.rejected << " rejected, " << run.charged << " RU charged");
      CHECK(run.seconds <= 1.2 * floor_seconds);
      CHECK(run.seconds >= floor_seconds);  // the model bucket cannot be beaten
      // Without pacing every envelope after the first 429 is rejected and charged: thousands.
      CHECK(run.rejected <= (header ? 5 : 40));
      CHECK(run.charged <= 15000 + (header ? 10 : 100));
    }
  }
}

TEST_CASE("a read that fits the budget is never slowed", "[entra]") {
  GraphBucket graph(8000);
  Run run = read_tenant(graph, 1000, 0.010);  // 3,000 RU
  CHECK(run.rejected == 0);
  CHECK(run.seconds == Approx(100 * 0.010).margin(1e-6));
}

TEST_CASE("a 429 makes everything after it wait for its Retry-After", "[entra]") {
  FakeClock clock;
  ResourceUnitPacer pacer(clock);
  CHECK(pacer.reserve(40).count() == 0);
  clock.advance(milliseconds(1000));
  pacer.observe({"/groups/1/members", 2, 2.0, false, std::nullopt, std::nullopt});
  pacer.observe({"/groups/2/members", 2, 2.0, true, 1.2, std::chrono::milliseconds(3000)});
  REQUIRE(pacer.pacing());
  CHECK(pacer.reserve(2).count() >= 3000);
}

TEST_CASE("the resource-unit window comes from IDFORM_ENTRA_RU_WINDOW_MS, and a malformed one is refused", "[entra]") {
  using idform::providers::entra::parse_settings;
  idform::provider::TargetContext context{
      "entra-sim", {{"tenant_id", "t"}, {"client_id", "c"}, {"auth", {{"method", "client_secret"}, {"secret_env", "S"}}}},
      ".", false};
  ::unsetenv("IDFORM_ENTRA_RU_WINDOW_MS");
  auto standard = parse_settings(context);
  REQUIRE(standard);
  CHECK(standard->tuning.resource_unit_window == std::chrono::seconds(10));
  ::setenv("IDFORM_ENTRA_RU_WINDOW_MS", "5000", 1);
  auto scaled = parse_settings(context);
  REQUIRE(scaled);
  CHECK(scaled->tuning.resource_unit_window == std::chrono::milliseconds(5000));
  ::setenv("IDFORM_ENTRA_RU_WINDOW_MS", "5 s", 1);
  auto malformed = parse_settings(context);
  ::unsetenv("IDFORM_ENTRA_RU_WINDOW_MS");
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().summary.find("IDFORM_ENTRA_RU_WINDOW_MS") != std::string::npos);
}

TEST_CASE("the conditional access spacing comes from IDFORM_ENTRA_POLICY_INTERVAL_MS, and a malformed one is refused", "[entra]") {
  using idform::providers::entra::parse_settings;
  idform::provider::TargetContext context{
      "entra-sim", {{"tenant_id", "t"}, {"client_id", "c"}, {"auth", {{"method", "client_secret"}, {"secret_env", "S"}}}},
      ".", false};
  ::unsetenv("IDFORM_ENTRA_POLICY_INTERVAL_MS");
  auto standard = parse_settings(context);
  REQUIRE(standard);
  CHECK(standard->tuning.policy_interval == std::chrono::seconds(1));
  ::setenv("IDFORM_ENTRA_POLICY_INTERVAL_MS", "15", 1);
  auto scaled = parse_settings(context);
  REQUIRE(scaled);
  CHECK(scaled->tuning.policy_interval == std::chrono::milliseconds(15));
  for (const char* bad : {"0", "1e9", "fast"}) {
    ::setenv("IDFORM_ENTRA_POLICY_INTERVAL_MS", bad, 1);
    auto malformed = parse_settings(context);
    INFO(bad);
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().summary.find("IDFORM_ENTRA_POLICY_INTERVAL_MS") != std::string::npos);
  }
  ::unsetenv("IDFORM_ENTRA_POLICY_INTERVAL_MS");
}
