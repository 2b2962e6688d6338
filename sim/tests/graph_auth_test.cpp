// The Graph flavor's token endpoint and bearer checks, over real HTTP to a real idp-sim.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "graph_sim_fixture.hpp"
#include "support/test_keys.hpp"

using namespace idform::testing;
using nlohmann::json;

namespace {

constexpr const char* kCertApp = "11112222-3333-4444-5555-666677778888";
constexpr const char* kCertAppObject = "aaaa0000-0000-4000-8000-000000000001";

std::string form_secret(const std::string& client, const std::string& secret) {
  return "grant_type=client_credentials&client_id=" + client + "&client_secret=" + url_encode(secret) +
         "&scope=" + url_encode("https://graph.microsoft.com/.default");
}

std::string form_assertion(const std::string& client, const std::string& assertion) {
  return "grant_type=client_credentials&client_id=" + client +
         "&client_assertion_type=" + url_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
         "&client_assertion=" + assertion + "&scope=" + url_encode("https://graph.microsoft.com/.default");
}

json assertion_claims(const std::string& client, const std::string& audience) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return {{"aud", audience}, {"iss", client}, {"sub", client}, {"jti", "4e0d0c3c-8a0a-4b7e-9d1e-000000000001"},
          {"nbf", now - 10}, {"iat", now - 10}, {"exp", now + 600}};
}

// A seed with one application whose keyCredentials carry `certificate` (Graph's own shape).
void write_cert_app_seed(const TempDir& dir, const TestKey& key) {
  dir.write_json("applications.json",
                 {{"value",
                   {{{"id", kCertAppObject},
                     {"appId", kCertApp},
                     {"displayName", "idform automation"},
                     {"keyCredentials",
                      {{{"customKeyIdentifier", key.x5t},
                        {"displayName", "CN=idform"},
                        {"keyId", "8f5b2b3c-0000-4000-8000-000000000001"},
                        {"type", "AsymmetricX509Cert"},
                        {"usage", "Verify"},
                        {"key", key.certificate_base64}}}}}}}});
}

void check_aadsts(const HttpResponse& response, long status, const std::string& error, int code) {
  INFO(response.body);
  CHECK(response.status == status);
  auto body = response.json();
  CHECK(body["error"] == error);
  CHECK(body["error_codes"] == json::array({code}));
  CHECK(body["error_description"].get<std::string>().rfind("AADSTS" + std::to_string(code) + ":", 0) == 0);
  CHECK(body.contains("trace_id"));
  CHECK(body.contains("correlation_id"));
  CHECK(body.contains("timestamp"));
}

}  // namespace

TEST_CASE("graph token endpoint: client secret", "[sim][graph][auth]") {
  GraphSim graph;
  SECTION("the right secret gets a bearer token that Graph accepts") {
    auto response = graph.token_request(form_secret(kGraphClient, kGraphSecret));
    REQUIRE(response.status == 200);
    auto body = response.json();
    CHECK(body["token_type"] == "Bearer");
    CHECK(body["expires_in"] == 3599);
    CHECK(graph.get("/groups").status == 200);
  }
  SECTION("HTTP Basic client authentication is accepted too") {
    auto response = http_post(graph.token_url(),
                              "grant_type=client_credentials&scope=" + url_encode("https://graph.microsoft.com/.default"),
                              {{"Content-Type", "application/x-www-form-urlencoded"},
                               {"Authorization", "Basic " + base64_encode(std::string(kGraphClient) + ":" + kGraphSecret)}});
    CHECK(response.status == 200);
  }
  SECTION("a wrong secret is 401 invalid_client AADSTS7000215") {
    check_aadsts(graph.token_request(form_secret(kGraphClient, "not-the-secret")), 401, "invalid_client", 7000215);
  }
  SECTION("an unknown client is 400 unauthorized_client AADSTS700016") {
    check_aadsts(graph.token_request(form_secret("99999999-0000-0000-0000-000000000000", "x")), 400,
                 "unauthorized_client", 700016);
  }
  SECTION("an unknown tenant is AADSTS90002") {
    check_aadsts(graph.token_request(form_secret(kGraphClient, kGraphSecret), "11111111-2222-3333-4444-000000000000"),
                 400, "invalid_request", 90002);
  }
  SECTION("the tenant domain is an alias of the tenant id") {
    CHECK(graph.token_request(form_secret(kGraphClient, kGraphSecret), "contoso.onmicrosoft.com").status == 200);
  }
  SECTION("client credentials need a /.default scope") {
    check_aadsts(graph.token_request("grant_type=client_credentials&client_id=" + std::string(kGraphClient) +
                                     "&client_secret=" + url_encode(kGraphSecret) + "&scope=User.Read"),
                 400, "invalid_scope", 1002012);
  }
  SECTION("other grant types are refused") {
    check_aadsts(graph.token_request("grant_type=password&client_id=x&scope=y"), 400, "unsupported_grant_type", 70003);
  }
}

TEST_CASE("graph bearer checks on every call", "[sim][graph][auth]") {
  GraphSim graph({"--token-lifetime", "0.3"});
  auto unauthorized = [](const HttpResponse& response, const std::string& message) {
    INFO(response.body);
    CHECK(response.status == 401);
    auto error = response.json()["error"];
    CHECK(error["code"] == "InvalidAuthenticationToken");
    CHECK(error["message"] == message);
    CHECK(error["innerError"].contains("request-id"));
    CHECK(error["innerError"].contains("date"));
    CHECK(response.header("WWW-Authenticate").find("Bearer") == 0);
  };
  unauthorized(http_get(graph.url("/groups")), "Access token is empty.");
  unauthorized(http_get(graph.url("/users"), {{"Authorization", "Bearer "}}), "Access token is empty.");
  unauthorized(http_get(graph.url("/users"), {{"Authorization", "Bearer abc.def.ghi"}}),
               "Access token validation failure.");
  // A token forged with another key.
  std::string forged = graph.token.substr(0, graph.token.rfind('.')) + ".AAAA";
  unauthorized(http_get(graph.url("/users"), {{"Authorization", "Bearer " + forged}}), "Access token validation failure.");
  // Token lifetime is wall-clock (not scaled): 0.3 s here.
  CHECK(graph.get("/users").status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  unauthorized(graph.get("/users"), "Lifetime validation failed, the token is expired.");
  // Auth failures are counted like any request; /_sim endpoints need no token.
  CHECK(graph.sim.stats()["status"]["401"] == 5);
}

TEST_CASE("graph token endpoint: certificate client assertion", "[sim][graph][auth]") {
  TempDir seed;
  TestKey key = make_test_key("RSA", "CN=idform");
  write_cert_app_seed(seed, key);
  GraphSim graph({}, {seed.str()});
  std::string audience = graph.token_url();

  SECTION("RS256 with x5t and PS256 with x5t#S256 are accepted") {
    json header = {{"typ", "JWT"}, {"x5t", key.x5t}};
    auto rs256 = sign_test_jwt(header, assertion_claims(kCertApp, audience), key, "RS256");
    CHECK(graph.token_request(form_assertion(kCertApp, rs256)).status == 200);
    json header256 = {{"typ", "JWT"}, {"x5t#S256", key.x5t_s256}};
    auto ps256 = sign_test_jwt(header256, assertion_claims(kCertApp, audience), key, "PS256");
    auto response = graph.token_request(form_assertion(kCertApp, ps256));
    INFO(response.body);
    CHECK(response.status == 200);
  }
  SECTION("the production audience form is accepted as well") {
    auto jwt = sign_test_jwt({{"x5t", key.x5t}},
                             assertion_claims(kCertApp, std::string("https://login.microsoftonline.com/") +
                                                            kGraphTenant + "/oauth2/v2.0/token"),
                             key, "RS256");
    CHECK(graph.token_request(form_assertion(kCertApp, jwt)).status == 200);
  }
  SECTION("a signature by another key is AADSTS700027") {
    TestKey other = make_test_key("RSA", "CN=attacker");
    auto jwt = sign_test_jwt({{"x5t", key.x5t}}, assertion_claims(kCertApp, audience), other, "RS256");
    check_aadsts(graph.token_request(form_assertion(kCertApp, jwt)), 401, "invalid_client", 700027);
  }
  SECTION("a tampered payload fails signature validation") {
    auto jwt = sign_test_jwt({{"x5t", key.x5t}}, assertion_claims(kCertApp, audience), key, "RS256");
    auto first = jwt.find('.'), second = jwt.rfind('.');
    json claims = assertion_claims(kCertApp, audience);
    claims["exp"] = claims["exp"].get<long long>() + 1;
    std::string tampered = jwt.substr(0, first + 1) + base64url_encode(claims.dump()) + jwt.substr(second);
    check_aadsts(graph.token_request(form_assertion(kCertApp, tampered)), 401, "invalid_client", 700027);
  }
  SECTION("an unregistered certificate is AADSTS700027") {
    TestKey other = make_test_key("RSA", "CN=other");
    auto jwt = sign_test_jwt({{"x5t", other.x5t}}, assertion_claims(kCertApp, audience), other, "RS256");
    check_aadsts(graph.token_request(form_assertion(kCertApp, jwt)), 401, "invalid_client", 700027);
  }
  SECTION("a wrong audience is AADSTS700023") {
    auto jwt = sign_test_jwt({{"x5t", key.x5t}}, assertion_claims(kCertApp, "https://example.com/token"), key, "RS256");
    check_aadsts(graph.token_request(form_assertion(kCertApp, jwt)), 400, "invalid_client", 700023);
  }
  SECTION("sub must be the client id (AADSTS700021)") {
    json claims = assertion_claims(kCertApp, audience);
    claims["sub"] = "someone-else";
    auto jwt = sign_test_jwt({{"x5t", key.x5t}}, claims, key, "RS256");
    check_aadsts(graph.token_request(form_assertion(kCertApp, jwt)), 400, "invalid_client", 700021);
  }
  SECTION("an expired assertion is AADSTS700024") {
    json claims = assertion_claims(kCertApp, audience);
    claims["exp"] = claims["nbf"].get<long long>() - 3600;
    auto jwt = sign_test_jwt({{"x5t", key.x5t}}, claims, key, "RS256");
    check_aadsts(graph.token_request(form_assertion(kCertApp, jwt)), 400, "invalid_client", 700024);
  }
  SECTION("an assertion not yet valid is AADSTS700024") {
    json claims = assertion_claims(kCertApp, audience);
    claims["nbf"] = claims["exp"].get<long long>() + 3600;
    auto jwt = sign_test_jwt({{"x5t", key.x5t}}, claims, key, "RS256");
    check_aadsts(graph.token_request(form_assertion(kCertApp, jwt)), 400, "invalid_client", 700024);
  }
  SECTION("algorithms other than RS256/PS256 are refused") {
    TestKey ec = make_test_key("EC", "CN=ec");
    auto jwt = sign_test_jwt({{"x5t", ec.x5t}}, assertion_claims(kCertApp, audience), ec, "ES256");
    check_aadsts(graph.token_request(form_assertion(kCertApp, jwt)), 400, "invalid_request", 5002738);
  }
  SECTION("a malformed assertion is AADSTS50027") {
    check_aadsts(graph.token_request(form_assertion(kCertApp, "not-a-jwt")), 400, "invalid_request", 50027);
  }
}

TEST_CASE("graph token endpoint: certificate registered on the command line", "[sim][graph][auth]") {
  TempDir dir;
  TestKey key = make_test_key("RSA", "CN=cli");
  std::string pem = dir.write("cert.pem", key.certificate_pem);
  GraphSim graph({"--client-cert", std::string("77778888-0000-4000-8000-000000000000:") + pem});
  auto jwt = sign_test_jwt({{"x5t", key.x5t}}, assertion_claims("77778888-0000-4000-8000-000000000000", graph.token_url()),
                           key, "RS256");
  CHECK(graph.token_request(form_assertion("77778888-0000-4000-8000-000000000000", jwt)).status == 200);
}

TEST_CASE("graph token endpoint: GitHub Actions OIDC federated credential", "[sim][graph][auth]") {
  const std::string issuer = "https://token.actions.githubusercontent.com";
  const std::string subject = "repo:acme/identity:environment:production";
  TempDir seed;
  TestKey github = make_test_key("RSA", "CN=github", "gh-key-1");
  write_cert_app_seed(seed, make_test_key("RSA"));
  seed.write_json("applications/" + std::string(kCertAppObject) + "/federatedIdentityCredentials.json",
                  {{"@odata.context", std::string("https://graph.microsoft.com/v1.0/$metadata#applications('") +
                                          kCertAppObject + "')/federatedIdentityCredentials"},
                   {"value",
                    {{{"id", "fed00000-0000-4000-8000-000000000001"},
                      {"name", "github-production"},
                      {"issuer", issuer},
                      {"subject", subject},
                      {"description", nullptr},
                      {"audiences", {"api://AzureADTokenExchange"}}}}}});
  seed.write_json("_sim/oidc-issuers.json", json::array({{{"issuer", issuer}, {"jwks", {{"keys", {github.public_jwk}}}}}}));
  GraphSim graph({}, {seed.str()});

  auto github_token = [&](const std::string& sub, const std::string& aud, const TestKey& signer) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    json claims = {{"iss", issuer}, {"sub", sub}, {"aud", aud}, {"nbf", now - 5}, {"iat", now - 5},
                   {"exp", now + 300}, {"repository", "acme/identity"}};
    return sign_test_jwt({{"typ", "JWT"}, {"kid", "gh-key-1"}}, claims, signer, "RS256");
  };
  SECTION("a matching token from the trusted issuer gets an access token") {
    auto response = graph.token_request(form_assertion(kCertApp, github_token(subject, "api://AzureADTokenExchange", github)));
    INFO(response.body);
    CHECK(response.status == 200);
  }
  SECTION("another subject has no federated record (AADSTS70021)") {
    check_aadsts(graph.token_request(form_assertion(
                     kCertApp, github_token("repo:acme/identity:ref:refs/heads/main", "api://AzureADTokenExchange", github))),
                 400, "invalid_request", 70021);
  }
  SECTION("another audience is AADSTS700212") {
    check_aadsts(graph.token_request(form_assertion(kCertApp, github_token(subject, "api://other", github))), 400,
                 "invalid_request", 700212);
  }
  SECTION("a token not signed by the issuer's key fails (AADSTS50013)") {
    check_aadsts(graph.token_request(form_assertion(
                     kCertApp, github_token(subject, "api://AzureADTokenExchange", make_test_key("RSA", "CN=x", "gh-key-1")))),
                 400, "invalid_request", 50013);
  }
  SECTION("federated credentials can be created through Graph too") {
    auto response = graph.post(std::string("/applications/") + kCertAppObject + "/federatedIdentityCredentials",
                               {{"name", "github-main"},
                                {"issuer", issuer},
                                {"subject", "repo:acme/identity:ref:refs/heads/main"},
                                {"audiences", {"api://AzureADTokenExchange"}}});
    INFO(response.body);
    REQUIRE(response.status == 201);
    CHECK(graph.token_request(form_assertion(kCertApp, github_token("repo:acme/identity:ref:refs/heads/main",
                                                                    "api://AzureADTokenExchange", github)))
              .status == 200);
    auto listed = graph.get(std::string("/applications/") + kCertAppObject + "/federatedIdentityCredentials");
    CHECK(listed.json()["value"].size() == 2);
  }
}

TEST_CASE("graph token endpoint under a configurable authority path", "[sim][graph][auth]") {
  TempDir seed;
  TestKey key = make_test_key("RSA", "CN=idform");
  write_cert_app_seed(seed, key);
  GraphSim graph({"--authority-prefix", "/login", "--authority", "https://login.example.test"}, {seed.str()});
  std::string token_url = graph.sim.base_url() + "/login/" + kGraphTenant + "/oauth2/v2.0/token";
  CHECK(graph.sim.info()["token_path"] == std::string("/login/") + kGraphTenant + "/oauth2/v2.0/token");
  CHECK(graph.token_url() == token_url);
  // The default path is not the token endpoint any more.
  CHECK(http_post(graph.sim.base_url() + "/" + kGraphTenant + "/oauth2/v2.0/token",
                  form_secret(kGraphClient, kGraphSecret), {{"Content-Type", "application/x-www-form-urlencoded"}})
            .status == 400);
  for (const std::string& audience : {token_url, std::string("https://login.example.test/") + kGraphTenant +
                                                     "/oauth2/v2.0/token"}) {
    auto jwt = sign_test_jwt({{"x5t", key.x5t}}, assertion_claims(kCertApp, audience), key, "RS256");
    auto response = http_post(token_url, form_assertion(kCertApp, jwt),
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
    INFO(audience << ": " << response.body);
    CHECK(response.status == 200);
  }
}
