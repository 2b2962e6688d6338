// Credentials go only to the configured endpoint: URLs are read by a real URL parser (user
// information cannot disguise the host), plain http only to loopback, and paging links (Graph
// @odata.nextLink, Okta Link rel="next") to another scheme, host or port are refused before a
// token is attached.

#include <catch2/catch.hpp>

#include "providers/entra/graph_client.hpp"
#include "providers/entra_test_support.hpp"
#include "providers/okta/okta_client.hpp"
#include "reconciler/http/client.hpp"

using namespace idform;
using idform::testing::entra::FakeTransport;
using idform::testing::entra::json_response;
using nlohmann::json;

TEST_CASE("url_allowed: https anywhere, plain http only to a loopback host as a URL parser reads it", "[http][secrets]") {
  struct Case {
    const char* url;
    bool allowed;
  };
  const Case cases[] = {
      {"https://graph.microsoft.com/v1.0", true},
      {"http://127.0.0.1:8080/api", true},
      {"http://localhost:9/x", true},
      {"http://[::1]:9/x", true},
      {"HTTP://LOCALHOST:9/x", true},
      {"http://localhost:1@127.0.0.2:8080/", false},  // user "localhost", host 127.0.0.2
      {"http://127.0.0.1@evil.example/", false},
      {"https://user:pw@graph.microsoft.com/", false},  // user information is never sent
      {"http://127.0.0.1.evil.example/", false},
      {"http://localhost.evil.example:80/", false},
      {"http://evil.example/?http://127.0.0.1/", false},
      {"ftp://127.0.0.1/", false},
      {"http://", false},
      {"127.0.0.1:80", false},
      {"", false},
  };
  for (const auto& [url, allowed] : cases) {
    INFO(url);
    CHECK(http::url_allowed(url) == allowed);
  }
}

TEST_CASE("same_origin compares scheme, host and port with defaults filled in", "[http]") {
  CHECK(http::same_origin("https://graph.example/v1.0/groups?$skiptoken=x", "https://graph.example/v1.0"));
  CHECK(http::same_origin("https://graph.example:443/v1.0/groups", "https://GRAPH.example/v1.0"));
  CHECK_FALSE(http::same_origin("http://graph.example/v1.0/groups", "https://graph.example/v1.0"));
  CHECK_FALSE(http::same_origin("https://graph.example:8443/v1.0/groups", "https://graph.example/v1.0"));
  CHECK_FALSE(http::same_origin("https://evil.example/v1.0/groups", "https://graph.example/v1.0"));
  CHECK_FALSE(http::same_origin("https://graph.example@evil.example/v1.0", "https://graph.example/v1.0"));
  CHECK_FALSE(http::same_origin("not a url", "https://graph.example/v1.0"));
}

namespace {

// A transport that answers the first page with `next` as its paging link and counts any request
// sent anywhere other than the configured origin.
struct HostileServer {
  std::string configured;
  std::string next;
  bool okta = false;
  int off_origin = 0;

  std::shared_ptr<FakeTransport> transport() {
    return std::make_shared<FakeTransport>([this](const http::Request& request) -> std::expected<http::Response, http::TransportError> {
      if (!http::same_origin(request.url, configured)) {
        ++off_origin;
        return json_response(200, okta ? json::array({{{"id", "attacker"}}}) : json{{"value", {{{"id", "attacker"}}}}});
      }
      if (request.url.find("/token") != std::string::npos)
        return json_response(200, {{"token_type", "Bearer"}, {"expires_in", 3600}, {"access_token", "tok"}});
      if (request.url.ends_with("/$batch")) {
        json responses = json::array();
        const json envelope = json::parse(request.body);  // kept: the loop reads inside it
        for (const auto& inner : envelope["requests"])
          responses.push_back({{"id", inner["id"]}, {"status", 200},
                               {"body", {{"value", json::array()}, {"@odata.nextLink", next}}}});
        return json_response(200, {{"responses", responses}});
      }
      if (okta) return json_response(200, json::array({{{"id", "1"}}}), {{"Link", "<" + next + ">; rel=\"next\""}});
      return json_response(200, {{"value", {{{"id", "1"}}}}, {"@odata.nextLink", next}});
    });
  }
};

const char* kHostileLinks[] = {
    "https://evil.example/v1.0/groups?$skiptoken=1",       // another host
    "http://graph.example/v1.0/groups?$skiptoken=1",       // downgraded to plain http
    "https://graph.example:8443/v1.0/groups?$skiptoken=1",  // another port
    "https://graph.example@evil.example/v1.0/groups",      // user information hiding the host
};

}  // namespace

TEST_CASE("a Graph paging link off the configured endpoint is refused and gets no token", "[entra][secrets]") {
  for (const char* link : kHostileLinks) {
    INFO(link);
    HostileServer server{"https://graph.example", link};
    auto settings = idform::testing::entra::test_settings("https://graph.example", "tenant-1", "client-1");
    util::FakeClock fake_clock;
    providers::entra::GraphClient graph(settings, server.transport(), fake_clock);
    providers::entra::TokenSourceHooks hooks;
    hooks.env = [](const std::string&) { return std::string("s3cret-value"); };
    REQUIRE(graph.authenticate(hooks));
    auto items = graph.list("/groups");
    REQUIRE(!items);
    CHECK(items.error().summary.find("refusing") != std::string::npos);
    CHECK(server.off_origin == 0);
    // Inside $batch (member lists follow their nextLinks there) nothing goes elsewhere either.
    (void)graph.batch_list({{"g", "/groups/1/members"}});
    CHECK(server.off_origin == 0);
  }
}

TEST_CASE("an Okta Link rel=next off the configured org is refused and gets no token", "[okta-provider][secrets]") {
  const char* links[] = {"https://evil.example/api/v1/groups?after=1", "http://acme.okta.example/api/v1/groups?after=1",
                         "https://acme.okta.example:444/api/v1/groups?after=1",
                         "https://acme.okta.example@evil.example/api/v1/groups"};
  for (const char* link : links) {
    INFO(link);
    HostileServer server{"https://acme.okta.example", link, true};
    providers::okta::OktaSettings settings;
    settings.target_name = "okta-pin";
    settings.org_url = "https://acme.okta.example";
    settings.auth.method = providers::okta::AuthMethod::api_token;
    settings.auth.token_env = "TOKEN";
    util::FakeClock clock;
    providers::okta::OktaClient client(settings, server.transport(), clock);
    providers::okta::TokenSourceHooks env;
    env.env = [](const std::string&) { return std::string("00ssws-token-value"); };
    REQUIRE(client.authenticate(env));
    auto items = client.list("/api/v1/groups?limit=1");
    REQUIRE(!items);
    CHECK(items.error().summary.find("refusing") != std::string::npos);
    CHECK(server.off_origin == 0);
  }
}

TEST_CASE("the http client refuses a disguised non-loopback plain-http URL before sending", "[http][secrets]") {
  int sent = 0;
  auto transport = std::make_shared<FakeTransport>([&](const http::Request&) -> std::expected<http::Response, http::TransportError> {
    ++sent;
    return json_response(200, json::object());
  });
  http::Client client(transport);
  http::Request request{"GET", "http://localhost:1@127.0.0.2:8080/api/v1/groups", {}, {}};
  request.headers["Authorization"] = "SSWS 00secret";
  auto answer = client.send(request);
  REQUIRE(!answer);
  CHECK(sent == 0);
}
