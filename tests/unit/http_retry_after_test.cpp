// How long a throttled answer asks to wait: Retry-After in whole seconds, or Azure's millisecond
// forms (retry-after-ms, x-ms-retry-after-ms) when present; anything malformed is no answer; and
// how the client announces a retry's wait.

#include <catch2/catch.hpp>

#include "reconciler/http/client.hpp"
#include "reconciler/util/backoff.hpp"
#include "support/fake_transport.hpp"

using idform::http::Headers;
using idform::http::parse_retry_after;
using idform::http::retry_after;
using std::chrono::milliseconds;

TEST_CASE("Retry-After in seconds, and dates, negatives and words are not waits", "[http]") {
  CHECK(parse_retry_after("7") == milliseconds(7000));
  CHECK(parse_retry_after(" 0 ") == milliseconds(0));
  CHECK_FALSE(parse_retry_after(""));
  CHECK_FALSE(parse_retry_after("-3"));
  CHECK_FALSE(parse_retry_after("1.5"));
  CHECK_FALSE(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"));
}

TEST_CASE("a Retry-After of hours, years or beyond any number is waited ten minutes at most", "[http][hardening]") {
  // Found by the http_headers fuzz target: "100608210060820000" seconds overflowed when turned
  // into milliseconds, and a wait of years was taken as asked.
  const milliseconds longest = std::chrono::minutes(10);
  CHECK(parse_retry_after("600") == longest);
  CHECK(parse_retry_after("86400") == longest);
  CHECK(parse_retry_after("100608210060820000") == longest);
  CHECK(parse_retry_after("9223372036854775807") == longest);
  CHECK(retry_after(Headers{{"retry-after-ms", "31536000000"}}) == longest);
  CHECK(retry_after(Headers{{"x-ms-retry-after-ms", "9223372036854775807"}}) == longest);
  CHECK(retry_after(Headers{{"Retry-After", "599"}}) == milliseconds(599000));
}

TEST_CASE("the millisecond forms win over Retry-After, whatever their case", "[http]") {
  CHECK(retry_after(Headers{{"Retry-After", "2"}}) == milliseconds(2000));
  CHECK(retry_after(Headers{{"Retry-After", "2"}, {"retry-after-ms", "350"}}) == milliseconds(350));
  CHECK(retry_after(Headers{{"Retry-After", "2"}, {"X-MS-Retry-After-Ms", "1250"}}) == milliseconds(1250));
  // A malformed millisecond header falls back to Retry-After.
  CHECK(retry_after(Headers{{"Retry-After", "2"}, {"retry-after-ms", "soon"}}) == milliseconds(2000));
  CHECK_FALSE(retry_after(Headers{{"Content-Type", "application/json"}}));
}

TEST_CASE("a retry's wait is announced before the client sleeps, with the reason and the path", "[http]") {
  int calls = 0;
  auto transport = std::make_shared<idform::testing::FakeTransport>([&](const idform::http::Request&) {
    ++calls;
    if (calls == 1) return idform::testing::json_response(429, {{"error", "slow down"}}, Headers{{"Retry-After", "3"}});
    return idform::testing::json_response(200, {{"value", nlohmann::json::array()}});
  });
  std::vector<std::string> events;
  idform::util::FakeClock clock;
  idform::http::ClientHooks hooks;
  hooks.before_retry = [&](const idform::http::Request& request, const std::string& why, milliseconds wait) {
    CHECK(clock.sleeps().empty());  // announced before the wait starts
    events.push_back("retry " + idform::http::path_of(request.url) + " " + why + " " + std::to_string(wait.count()));
  };
  idform::http::Client client(transport, {}, hooks, clock);
  idform::http::Request request;
  request.method = "GET";
  request.url = "https://graph.microsoft.com/v1.0/groups?$top=999";
  auto response = client.send(request);
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(events == std::vector<std::string>{"retry /v1.0/groups 429, Retry-After 3000"});
  CHECK(clock.sleeps() == std::vector<milliseconds>{milliseconds(3000)});
}

TEST_CASE("path_of keeps the path of a URL and drops scheme, host, query and fragment", "[http]") {
  using idform::http::path_of;
  CHECK(path_of("https://acme.okta.com/api/v1/apps?limit=200&after=x") == "/api/v1/apps");
  CHECK(path_of("http://127.0.0.1:8080/v1.0/$batch") == "/v1.0/$batch");
  CHECK(path_of("https://graph.microsoft.com") == "/");
  CHECK(path_of("https://host/a#frag") == "/a");
}

TEST_CASE("the one backoff doubles per attempt, is capped, and keeps between half and all of it", "[http]") {
  using idform::util::backoff;
  const milliseconds first(500), most(30000);
  struct Row {
    int attempt;
    double random;
    long long expected_ms;
  };
  for (Row row : {Row{0, 0.0, 250}, Row{0, 0.999, 499}, Row{1, 0.0, 500}, Row{3, 0.5, 3000}, Row{6, 0.0, 15000},
                  Row{6, 0.999, 29985}, Row{40, 0.0, 15000}, Row{-3, 0.0, 250}}) {
    INFO("attempt " << row.attempt << ", random " << row.random);
    CHECK(backoff(row.attempt, first, most, row.random).count() == row.expected_ms);
  }
}
