// Unit tests of the Okta client against a fake transport: rate-limit buckets and pacing with a
// reserve, waiting for the reset after a 429, Link paging, error messages, API-token and
// private_key_jwt authentication (assertion claims and signature, token caching, read and
// manage scopes), and the target settings.

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>
#include <deque>
#include <mutex>

#include "fixtures/okta/okta_testbed.hpp"
#include "providers/okta/client_assertion.hpp"
#include "providers/okta/okta_client.hpp"
#include "providers/okta/policy_mapping.hpp"
#include "providers/okta/rate_pacer.hpp"
#include "reconciler/util/redact.hpp"
#include "support/fake_transport.hpp"

using namespace idform;
using namespace idform::providers::okta;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

using idform::testing::FakeTransport;
using idform::testing::json_response;

// The shared fake clock (it moves only when someone sleeps), plus what Okta's answers carry:
// the time in epoch seconds and as an HTTP date.
struct OktaTestClock : idform::util::FakeClock {
  long long epoch() { return std::chrono::duration_cast<seconds>(now().time_since_epoch()).count(); }
  std::string date() {
    std::time_t t = static_cast<std::time_t>(epoch());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return text;
  }
};

OktaSettings fake_settings() {
  OktaSettings settings;
  settings.target_name = "okta-unit";
  settings.org_url = "https://acme.okta.example";
  settings.auth.method = AuthMethod::api_token;
  settings.auth.token_env = "TOKEN";
  settings.tuning.reset_margin = milliseconds(0);
  settings.tuning.consistency_first_wait = milliseconds(1);
  settings.tuning.consistency_max_wait = milliseconds(2);
  return settings;
}

TokenSourceHooks env_with(std::map<std::string, std::string> values, OktaTestClock* clock = nullptr) {
  TokenSourceHooks hooks;
  hooks.env = [values](const std::string& name) {
    auto found = values.find(name);
    return found == values.end() ? std::string() : found->second;
  };
  if (clock) hooks.clock = clock;
  return hooks;
}

// One per-minute bucket the way Okta counts it: Limit, what is left, and the reset time.
struct FakeBucket {
  int limit = 10;
  int remaining = 10;
  long long reset = 0;
  int throttled = 0;
  int lowest_remaining = 10;

  http::Response answer(OktaTestClock& clock, const json& body) {
    if (clock.epoch() >= reset) {
      remaining = limit;
      reset = clock.epoch() + 60;
    }
    http::Headers headers{{"X-Rate-Limit-Limit", std::to_string(limit)}, {"Date", clock.date()}};
    if (remaining == 0) {
      ++throttled;
      headers["X-Rate-Limit-Remaining"] = "0";
      headers["X-Rate-Limit-Reset"] = std::to_string(reset);
      return json_response(429, {{"errorCode", "E0000047"}, {"errorSummary", "API call exceeded rate limit"}}, headers);
    }
    --remaining;
    lowest_remaining = std::min(lowest_remaining, remaining);
    headers["X-Rate-Limit-Remaining"] = std::to_string(remaining);
    headers["X-Rate-Limit-Reset"] = std::to_string(reset);
    return json_response(200, body, headers);
  }
};

}  // namespace

TEST_CASE("okta rate-limit buckets follow Okta's published table", "[okta-provider]") {
  struct Row {
    const char* method;
    const char* url;
    const char* bucket;
  };
  const Row rows[] = {
      {"GET", "https://o.example/api/v1/apps?limit=200", "/api/v1/apps*"},
      {"GET", "https://o.example/api/v1/apps/0oa1/groups?limit=200", "/api/v1/apps*"},
      {"PUT", "https://o.example/api/v1/apps/0oa1/groups/00g1", "/api/v1/apps*"},
      {"GET", "https://o.example/api/v1/apps/0oa1", "/api/v1/apps/{id}"},
      {"PUT", "https://o.example/api/v1/apps/0oa1", "/api/v1/apps/{id}"},
      {"GET", "https://o.example/api/v1/groups?limit=10000", "/api/v1/groups"},
      {"POST", "https://o.example/api/v1/groups", "/api/v1/groups"},
      {"GET", "https://o.example/api/v1/groups/00g1", "/api/v1/groups/{id}"},
      {"GET", "https://o.example/api/v1/groups/00g1/users?limit=1000", "/api/v1"},
      {"GET", "https://o.example/api/v1/users?search=x", "/api/v1/users"},
      {"GET", "https://o.example/api/v1/users/00u1", "/api/v1/users/{id}"},
      {"GET", "https://o.example/api/v1/policies?type=ACCESS_POLICY", "/api/v1"},
      {"GET", "https://o.example/api/v1/zones", "/api/v1"},
      {"POST", "https://o.example/oauth2/v1/token", "/oauth2/v1/token"},
  };
  for (const Row& row : rows) {
    INFO(row.method << " " << row.url);
    CHECK(rate_limit_bucket(row.method, row.url) == row.bucket);
  }
}

TEST_CASE("okta pacing keeps the reserve of a bucket and never meets a 429", "[okta-provider]") {
  OktaTestClock clock;
  FakeBucket bucket;
  auto transport = std::make_shared<FakeTransport>([&](const http::Request&) {
    return bucket.answer(clock, json::array());
  });
  OktaSettings settings = fake_settings();
  settings.tuning.rate_limit_reserve = 0.2;
  OktaClient client(settings, transport, clock);
  REQUIRE(client.authenticate(env_with({{"TOKEN", "00tok"}})));
  auto start = clock.now();
  for (int i = 0; i < 30; ++i) {
    auto response = client.call("GET", "/api/v1/groups/00g1");
    REQUIRE(response);
    CHECK(response->status == 200);
  }
  CHECK(bucket.throttled == 0);
  CHECK(bucket.lowest_remaining >= 2);  // 20 % of 10 left for others
  auto counters = client.counters();
  CHECK(counters.throttled == 0);
  CHECK(counters.requests == 30);
  CHECK(counters.paced >= 3);
  // 8 requests per window (10 minus the reserve of 2): 30 requests need four windows.
  CHECK(clock.now() - start >= seconds(180));
  CHECK(clock.now() - start < seconds(245));
}

TEST_CASE("okta after a 429 the client waits for the bucket's reset, and for a concurrency 429 a second",
          "[okta-provider]") {
  OktaTestClock clock;
  std::deque<http::Response> answers;
  auto transport = std::make_shared<FakeTransport>([&](const http::Request&) {
    if (answers.empty()) return json_response(200, json::object(), {{"Date", clock.date()}});
    http::Response next = answers.front();
    answers.pop_front();
    return next;
  });
  OktaClient client(fake_settings(), transport, clock);
  REQUIRE(client.authenticate(env_with({{"TOKEN", "00tok"}})));
  answers.push_back(json_response(429, {{"errorCode", "E0000047"}},
                                  {{"X-Rate-Limit-Limit", "100"}, {"X-Rate-Limit-Remaining", "0"},
                                   {"X-Rate-Limit-Reset", std::to_string(clock.epoch() + 42)}, {"Date", clock.date()}}));
  auto start = clock.now();
  auto response = client.call("GET", "/api/v1/apps?limit=200");
  if (!response) FAIL(response.error().to_string());
  CHECK(response->status == 200);
  CHECK(clock.now() - start >= seconds(42));
  CHECK(clock.now() - start < seconds(45));
  CHECK(client.counters().throttled == 1);

  answers.push_back(json_response(429, {{"errorCode", "E0000047"}},
                                  {{"X-Rate-Limit-Limit", "0"}, {"X-Rate-Limit-Remaining", "0"},
                                   {"X-Rate-Limit-Reset", std::to_string(clock.epoch() + 1)}, {"Date", clock.date()}}));
  start = clock.now();
  response = client.call("GET", "/api/v1/groups/00g1");
  if (!response) FAIL(response.error().to_string());
  CHECK(response->status == 200);
  CHECK(clock.now() - start >= seconds(1));
  CHECK(clock.now() - start < seconds(3));
  CHECK(transport->requests().size() == 4);
}

TEST_CASE("okta a rate-limit reset hours ahead or out of range holds a bucket two minutes at most",
          "[okta-provider][hardening]") {
  // Found by the http_headers fuzz target: a 429 whose X-Rate-Limit-Reset lay years ahead made
  // the pacer wait for it (and a reset near the largest number overflowed).
  for (const std::string& reset : {std::string("far"), std::string("9223372036854775807"), std::string("-9223372036854775808")}) {
    for (bool with_date : {true, false}) {
      OktaTestClock clock;
      std::string value = reset == "far" ? std::to_string(clock.epoch() + 10LL * 365 * 24 * 3600) : reset;
      INFO("X-Rate-Limit-Reset: " << value << (with_date ? ", with Date" : ", without Date"));
      std::deque<http::Response> answers;
      http::Headers throttled{{"X-Rate-Limit-Limit", "100"}, {"X-Rate-Limit-Remaining", "0"}, {"X-Rate-Limit-Reset", value}};
      if (with_date) throttled["Date"] = clock.date();
      answers.push_back(json_response(429, {{"errorCode", "E0000047"}}, throttled));
      auto transport = std::make_shared<FakeTransport>([&](const http::Request&) {
        if (answers.empty()) return json_response(200, json::object());
        http::Response next = answers.front();
        answers.pop_front();
        return next;
      });
      OktaClient client(fake_settings(), transport, clock);
      REQUIRE(client.authenticate(env_with({{"TOKEN", "00tok"}})));
      auto start = clock.now();
      auto response = client.call("GET", "/api/v1/apps?limit=200");
      if (!response) FAIL(response.error().to_string());
      CHECK(response->status == 200);
      CHECK(clock.now() - start <= seconds(125));
    }
  }
}

TEST_CASE("okta lists follow Link rel=next to the end", "[okta-provider]") {
  auto transport = std::make_shared<FakeTransport>([](const http::Request& request) {
    if (request.url.find("after=b") != std::string::npos) return json_response(200, json::array({{{"id", "c"}}}));
    http::Headers headers;
    std::string next = request.url.find("after=a") != std::string::npos ? "b" : "a";
    headers["Link"] = "<https://acme.okta.example/api/v1/groups?after=" + next + "&limit=1>; rel=\"next\"";
    return json_response(200, json::array({{{"id", next == "a" ? "a" : "b"}}}), headers);
  });
  OktaTestClock clock;
  OktaClient client(fake_settings(), transport, clock);
  REQUIRE(client.authenticate(env_with({{"TOKEN", "00tok"}})));
  auto items = client.list("/api/v1/groups?limit=1");
  if (!items) FAIL(items.error().to_string());
  REQUIRE(items->size() == 3);
  CHECK((*items)[2]["id"] == "c");
  CHECK(transport->requests()[0].headers.at("Authorization") == "SSWS 00tok");
}

TEST_CASE("okta errors name the call, status, errorCode, causes and errorId - a rejected token names its variable",
          "[okta-provider]") {
  OktaResponse response{400,
                        {{"errorCode", "E0000001"},
                         {"errorSummary", "Api validation failed: name"},
                         {"errorId", "oae123"},
                         {"errorCauses", json::array({{{"errorSummary", "name: already exists"}}})}},
                        {{"X-Okta-Request-Id", "req-9"}}};
  CHECK(describe_failure("POST", "https://acme.okta.example/api/v1/groups", response) ==
        "POST /api/v1/groups: HTTP 400 E0000001: Api validation failed: name (name: already exists) "
        "[errorId oae123, request req-9]");

  util::clear_secrets();
  auto transport = std::make_shared<FakeTransport>([](const http::Request&) {
    return json_response(401, {{"errorCode", "E0000011"}, {"errorSummary", "Invalid token provided"}, {"errorId", "oae9"}});
  });
  OktaTestClock clock;
  OktaClient client(fake_settings(), transport, clock);
  REQUIRE(client.authenticate(env_with({{"TOKEN", "00wrong-token-value"}})));
  auto answer = client.list("/api/v1/groups");
  REQUIRE(!answer);
  std::string text = answer.error().to_string();
  INFO(text);
  CHECK(text.find("authentication failed for target \"okta-unit\": Okta rejected the API token in $TOKEN") !=
        std::string::npos);
  CHECK(text.find("E0000011") != std::string::npos);
  CHECK(text.find("oae9") != std::string::npos);
  CHECK(text.find("00wrong-token-value") == std::string::npos);
  CHECK(transport->requests().size() == 1);  // an API token cannot be renewed: no second try
}

TEST_CASE("okta private_key_jwt: a signed assertion, read and manage scopes, tokens cached until near expiry",
          "[okta-provider]") {
  util::clear_secrets();
  auto key = idform::testing::okta::make_test_key();
  OktaTestClock clock;
  std::vector<std::string> scopes_asked;
  int issued = 0;
  auto transport = std::make_shared<FakeTransport>([&](const http::Request& request) {
    if (request.url.ends_with("/oauth2/v1/token")) {
      std::map<std::string, std::string> form;
      for (const std::string& pair : util::split(request.body, '&')) {
        auto equals = pair.find('=');
        std::string value = pair.substr(equals + 1);
        std::string decoded;
        for (size_t i = 0; i < value.size(); ++i) {
          if (value[i] == '%' && i + 2 < value.size()) {
            decoded += static_cast<char>(std::stoi(value.substr(i + 1, 2), nullptr, 16));
            i += 2;
          } else {
            decoded += value[i] == '+' ? ' ' : value[i];
          }
        }
        form[pair.substr(0, equals)] = decoded;
      }
      CHECK(form["grant_type"] == "client_credentials");
      CHECK(form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      scopes_asked.push_back(form["scope"]);
      // The assertion: RS256 over header.claims with the service app's key.
      auto parts = util::split(form["client_assertion"], '.');
      REQUIRE(parts.size() == 3);
      json header = json::parse(*base64url_decode(parts[0]));
      json claims = json::parse(*base64url_decode(parts[1]));
      CHECK(header["alg"] == "RS256");
      CHECK(header["kid"] == "key-1");
      CHECK(claims["aud"] == "https://acme.okta.example/oauth2/v1/token");
      CHECK(claims["iss"] == "0oaservice");
      CHECK(claims["sub"] == "0oaservice");
      CHECK(claims["exp"].get<long long>() - claims["iat"].get<long long>() <= 3600);
      CHECK(!claims["jti"].get<std::string>().empty());
      BIO* bio = BIO_new_mem_buf(key.public_pem.data(), static_cast<int>(key.public_pem.size()));
      EVP_PKEY* public_key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
      BIO_free(bio);
      std::string input = parts[0] + "." + parts[1];
      std::string signature = *base64url_decode(parts[2]);
      EVP_MD_CTX* context = EVP_MD_CTX_new();
      EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, public_key);
      CHECK(EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
      EVP_MD_CTX_free(context);
      EVP_PKEY_free(public_key);
      ++issued;
      return json_response(200, {{"token_type", "Bearer"}, {"expires_in", 3600},
                                 {"access_token", "eyJ.access-" + std::to_string(issued)}, {"scope", form["scope"]}});
    }
    return json_response(200, json::array());
  });
  OktaSettings settings = fake_settings();
  settings.auth.method = AuthMethod::private_key_jwt;
  settings.auth.client_id = "0oaservice";
  settings.auth.key_file_env = "KEY";
  settings.auth.key_id = "key-1";
  OktaClient client(settings, transport, clock);
  REQUIRE(client.authenticate(env_with({{"KEY", key.private_pem}}, &clock)));

  REQUIRE(client.call("GET", "/api/v1/groups"));
  REQUIRE(client.call("GET", "/api/v1/zones"));
  REQUIRE(client.call("PUT", "/api/v1/groups/00g1/users/00u1"));
  REQUIRE(client.call("DELETE", "/api/v1/groups/00g1/users/00u1"));
  CHECK(issued == 2);  // one read token, one manage token, each reused
  REQUIRE(scopes_asked.size() == 2);
  CHECK(scopes_asked[0] == "okta.groups.read okta.users.read okta.apps.read okta.policies.read okta.networkZones.read");
  CHECK(scopes_asked[1].find("okta.groups.manage") != std::string::npos);
  auto requests = transport->requests();
  CHECK(requests[1].headers.at("Authorization") == "Bearer eyJ.access-1");
  CHECK(requests.back().headers.at("Authorization") == "Bearer eyJ.access-2");

  clock.advance(seconds(3400));  // within five minutes of expiry: a new token
  REQUIRE(client.call("GET", "/api/v1/groups"));
  CHECK(issued == 3);
  // Every secret is redacted wherever it might surface.
  CHECK(util::redact("eyJ.access-3 " + key.private_pem).find("access-3") == std::string::npos);
}

TEST_CASE("okta private_key_jwt: a refused assertion is a clear error with advice", "[okta-provider]") {
  auto key = idform::testing::okta::make_test_key();
  auto transport = std::make_shared<FakeTransport>([](const http::Request&) {
    return json_response(401, {{"error", "invalid_client"},
                               {"error_description", "The client_assertion signature is invalid."}});
  });
  OktaSettings settings = fake_settings();
  settings.auth.method = AuthMethod::private_key_jwt;
  settings.auth.client_id = "0oaservice";
  settings.auth.key_file_env = "KEY";
  OktaTestClock clock;
  OktaClient client(settings, transport, clock);
  REQUIRE(client.authenticate(env_with({{"KEY", key.private_pem}})));
  auto answer = client.call("GET", "/api/v1/groups");
  REQUIRE(!answer);
  CHECK(answer.error().summary ==
        "authentication failed for target \"okta-unit\" (private_key_jwt, client 0oaservice): HTTP 401 invalid_client: "
        "The client_assertion signature is invalid.");
  CHECK(answer.error().detail.find("public key") != std::string::npos);
}

TEST_CASE("okta target settings: required fields, https only, tuning from the environment", "[okta-provider]") {
  auto parse = [](const json& target, std::map<std::string, std::string> env = {}) {
    provider::TargetContext context{"okta-prod", target, "/repo", false};
    return parse_settings(context, [env](const std::string& name) {
      auto found = env.find(name);
      return found == env.end() ? std::string() : found->second;
    });
  };
  auto ok = parse({{"provider", "okta"}, {"org_url", "https://acme.okta.com/"},
                   {"auth", {{"method", "private_key_jwt"}, {"client_id", "0oa1"}, {"key_file", "keys/okta.pem"}}}});
  REQUIRE(ok);
  CHECK(ok->org_url == "https://acme.okta.com");
  CHECK(ok->token_url() == "https://acme.okta.com/oauth2/v1/token");
  CHECK(ok->auth.key_file == "/repo/keys/okta.pem");
  CHECK(ok->tuning.rate_limit_reserve == Approx(0.2));

  auto token = parse({{"provider", "okta"}, {"org_url", "https://acme.okta.com"}, {"auth", {{"method", "api_token"}}}},
                     {{"IDFORM_OKTA_RATE_LIMIT_RESERVE", "0.35"}, {"IDFORM_OKTA_MAX_CONCURRENCY", "4"},
                      {"IDFORM_OKTA_RESET_MARGIN_MS", "50"}});
  REQUIRE(token);
  CHECK(token->auth.token_env == "IDFORM_OKTA_API_TOKEN");
  CHECK(token->tuning.rate_limit_reserve == Approx(0.35));
  CHECK(token->tuning.max_concurrency == 4);
  CHECK(token->tuning.reset_margin == std::chrono::milliseconds(50));
  CHECK(ok->tuning.reset_margin == std::chrono::milliseconds(1000));

  auto plain = parse({{"org_url", "http://acme.okta.com"}, {"auth", {{"method", "api_token"}}}});
  REQUIRE(!plain);
  CHECK(plain.error().summary == "target \"okta-prod\" (provider okta): org_url must be an https:// URL");
  CHECK(parse({{"org_url", "http://127.0.0.1:8080"}, {"auth", {{"method", "api_token"}}}}));
  CHECK(parse({{"auth", {{"method", "api_token"}}}}).error().summary ==
        "target \"okta-prod\" (provider okta): org_url is required");
  CHECK(parse({{"org_url", "https://a.okta.com"}, {"auth", {{"method", "private_key_jwt"}, {"client_id", "0oa1"}}}})
            .error()
            .summary == "target \"okta-prod\" (provider okta): auth.key_file or auth.key_file_env is required for private_key_jwt");
  CHECK(parse({{"org_url", "https://a.okta.com"}, {"auth", {{"method", "client_secret"}}}}).error().summary ==
        "target \"okta-prod\" (provider okta): auth.method must be api_token, private_key_jwt or access_token");
  CHECK(!parse({{"org_url", "https://a.okta.com"}, {"auth", {{"method", "api_token"}}}},
               {{"IDFORM_OKTA_RATE_LIMIT_RESERVE", "2"}}));
  CHECK(!parse({{"org_url", "https://a.okta.com"}, {"auth", {{"method", "api_token"}}}},
               {{"IDFORM_OKTA_RESET_MARGIN_MS", "-1"}}));
}

TEST_CASE("okta durations: ISO 8601 periods and config durations", "[okta-provider]") {
  CHECK(duration_from_iso("PT8H") == "8h");
  CHECK(duration_from_iso("PT0S") == "every_time");
  CHECK(duration_from_iso("P1D") == "24h");
  CHECK(duration_from_iso("PT90M") == "90m");
  CHECK(duration_from_iso("PT43800H") == "43800h");
  CHECK(duration_from_iso("nonsense").empty());
  CHECK(iso_from_duration("8h") == "PT8H");
  CHECK(iso_from_duration("1d") == "PT24H");
  CHECK(iso_from_duration("every_time") == "PT0S");
  CHECK(iso_from_duration("30m") == "PT30M");
  CHECK(iso_from_duration("x").empty());
}
