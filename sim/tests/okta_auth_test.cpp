// idp-sim, Okta flavor: SSWS API tokens, the client-credentials token endpoint with
// private_key_jwt assertions (signature, aud, iss/sub, exp, jti replay, granted scopes), and scope
// enforcement for bearer tokens.
#include <catch2/catch.hpp>

#include "es256_verify.hpp"
#include "okta_sim_harness.hpp"

using namespace idform::testing::okta_sim;

namespace {

const SigningKey& rsa_key() {
  static const SigningKey key = SigningKey::rsa("rsa-key-1");
  return key;
}
const SigningKey& ec_key() {
  static const SigningKey key = SigningKey::ec("ec-key-1");
  return key;
}
const SigningKey& other_key() {
  static const SigningKey key = SigningKey::rsa("rsa-key-1");  // same kid, different key
  return key;
}

const char* kClient = "0oaservice0000000001";
const char* kScopes = "okta.groups.read okta.apps.read okta.apps.manage";

struct AuthSim {
  TempDir keys;
  std::unique_ptr<OktaSim> sim;

  explicit AuthSim(std::vector<std::string> extra = {}) {
    Json jwks = {{"keys", Json::array({rsa_key().public_jwk(), ec_key().public_jwk()})}};
    write_text(keys.path() / "jwks.json", jwks.dump());
    std::vector<std::string> args = {"--api-token", "00good-token", "--service-app",
                                     std::string(kClient) + "=" + (keys.path() / "jwks.json").string(), "--grant",
                                     std::string(kClient) + "=okta.groups.read,okta.apps.read,okta.apps.manage"};
    args.insert(args.end(), extra.begin(), extra.end());
    sim = std::make_unique<OktaSim>(args);
  }
};

}  // namespace

TEST_CASE("okta sim accepts SSWS API tokens and refuses others with E0000011", "[sim][okta]") {
  AuthSim env;
  auto good = OktaClient(*env.sim, "SSWS 00good-token").get("/api/v1/groups");
  CHECK(good.status == 200);
  for (const char* header : {"SSWS wrong-token", "Bearer 00good-token", "", "Basic Zm9vOmJhcg=="}) {
    INFO(header);
    auto refused = OktaClient(*env.sim, header).get("/api/v1/groups");
    CHECK(refused.status == 401);
    Json body = refused.json();
    CHECK(body["errorCode"] == "E0000011");
    CHECK(body["errorSummary"] == "Invalid token provided");
    CHECK(body["errorLink"] == "E0000011");
    CHECK(body["errorId"].get<std::string>().size() > 10);
    CHECK(body["errorCauses"].is_array());
  }
}

TEST_CASE("okta sim issues access tokens for private_key_jwt client assertions", "[sim][okta]") {
  AuthSim env;
  const OktaSim& sim = *env.sim;
  for (const SigningKey* key : {&rsa_key(), &ec_key()}) {
    INFO(key->alg());
    auto response = request_token(sim, key->sign(assertion_claims(sim, kClient)), kScopes);
    REQUIRE(response.status == 200);
    Json token = response.json();
    CHECK(token["token_type"] == "Bearer");
    CHECK(token["expires_in"] == 3600);
    CHECK(token["scope"] == kScopes);
    CHECK_FALSE(response.header("x-rate-limit-limit").empty());

    OktaClient okta(sim, "Bearer " + token["access_token"].get<std::string>());
    CHECK(okta.get("/api/v1/groups").status == 200);
    CHECK(okta.get("/api/v1/apps").status == 200);
  }
}

TEST_CASE("okta sim refuses bad client assertions", "[sim][okta]") {
  AuthSim env;
  const OktaSim& sim = *env.sim;
  auto refused = [&](const std::string& assertion, const std::string& error, const std::string& scope = kScopes) {
    auto response = request_token(sim, assertion, scope);
    INFO(response.body);
    CHECK(response.json()["error"] == error);
    return response;
  };
  SECTION("signed by a key that is not registered") {
    auto response = refused(other_key().sign(assertion_claims(sim, kClient)), "invalid_client");
    CHECK(response.status == 401);
    CHECK(response.json()["error_description"] == "The client_assertion signature is invalid.");
  }
  SECTION("expired") {
    Json claims = assertion_claims(sim, kClient);
    claims["exp"] = now_seconds() - 600;
    refused(rsa_key().sign(claims), "invalid_client");
  }
  SECTION("expiring more than an hour ahead") {
    refused(rsa_key().sign(assertion_claims(sim, kClient, 7200)), "invalid_client");
  }
  SECTION("addressed to another audience") {
    Json claims = assertion_claims(sim, kClient);
    claims["aud"] = "https://acme.okta.com/oauth2/default/v1/token";
    auto response = refused(rsa_key().sign(claims), "invalid_client");
    CHECK(response.json()["error_description"] ==
          "The audience claim for client_assertion must be the endpoint invoking the client_assertion.");
  }
  SECTION("iss and sub differ, or name an unknown client") {
    Json claims = assertion_claims(sim, kClient);
    claims["sub"] = "someone-else";
    refused(rsa_key().sign(claims), "invalid_client");
    refused(rsa_key().sign(assertion_claims(sim, "0oaunknown")), "invalid_client");
  }
  SECTION("replayed jti") {
    std::string assertion = rsa_key().sign(assertion_claims(sim, kClient));
    CHECK(request_token(sim, assertion, kScopes).status == 200);
    auto replay = refused(assertion, "invalid_client");
    CHECK(replay.json()["error_description"] == "The client_assertion token has already been used.");
  }
  SECTION("a scope that was not granted") {
    auto response = refused(rsa_key().sign(assertion_claims(sim, kClient)), "invalid_scope", "okta.users.manage");
    CHECK(response.status == 400);
  }
  SECTION("no scope") { refused(rsa_key().sign(assertion_claims(sim, kClient)), "invalid_scope", ""); }
  SECTION("another grant type") {
    auto response = request_token(sim, rsa_key().sign(assertion_claims(sim, kClient)), kScopes, "password");
    CHECK(response.json()["error"] == "unsupported_grant_type");
  }
  SECTION("HS256 is not accepted") {
    std::string assertion = rsa_key().sign(assertion_claims(sim, kClient), {{"alg", "HS256"}});
    refused(assertion, "invalid_client");
  }
}

TEST_CASE("okta sim accepts the public org URL as audience when configured", "[sim][okta]") {
  AuthSim env({"--org-url", "https://acme.okta.com"});
  Json claims = assertion_claims(*env.sim, kClient);
  claims["aud"] = "https://acme.okta.com/oauth2/v1/token";
  CHECK(request_token(*env.sim, rsa_key().sign(claims), kScopes).status == 200);
}

TEST_CASE("okta sim enforces scopes per endpoint for bearer tokens", "[sim][okta]") {
  AuthSim env;
  const OktaSim& sim = *env.sim;
  auto token = request_token(sim, rsa_key().sign(assertion_claims(sim, kClient)), "okta.groups.read okta.apps.read");
  REQUIRE(token.status == 200);
  OktaClient okta(sim, "Bearer " + token.json()["access_token"].get<std::string>());
  CHECK(okta.get("/api/v1/groups").status == 200);
  auto write = okta.post("/api/v1/groups", {{"profile", {{"name", "needs-manage"}}}});
  CHECK(write.status == 403);
  CHECK(write.json()["errorCode"] == "E0000006");
  CHECK(write.header("www-authenticate").find("error=\"insufficient_scope\"") != std::string::npos);
  CHECK(write.header("www-authenticate").find("scope=\"okta.groups.manage\"") != std::string::npos);
  CHECK(okta.get("/api/v1/zones").status == 403);  // okta.networkZones.read not in the token
  CHECK(okta.get("/api/v1/users").status == 403);  // okta.users.read not in the token
  CHECK(okta.get("/api/v1/policies?type=ACCESS_POLICY").status == 403);

  std::string forged = token.json()["access_token"].get<std::string>() + "x";
  auto tampered = OktaClient(sim, "Bearer " + forged).get("/api/v1/groups");
  CHECK(tampered.status == 401);
  CHECK(tampered.json()["errorCode"] == "E0000011");
}

TEST_CASE("okta sim access tokens expire", "[sim][okta]") {
  AuthSim env({"--token-lifetime", "0.3"});
  auto token = request_token(*env.sim, rsa_key().sign(assertion_claims(*env.sim, kClient)), "okta.groups.read");
  REQUIRE(token.status == 200);
  OktaClient okta(*env.sim, "Bearer " + token.json()["access_token"].get<std::string>());
  CHECK(okta.get("/api/v1/groups").status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(okta.get("/api/v1/groups").status == 401);
}

TEST_CASE("okta sim takes service-app keys and grants from the seed", "[sim][okta]") {
  TempDir seed;
  // An OIDC service app as Okta returns it, with its public keys in settings.oauthClient.jwks,
  // and an OAuth2ScopeConsentGrant as GET /api/v1/apps/{id}/grants returns it.
  Json app = {{"id", "0oaseeded00000000001"},
              {"status", "ACTIVE"},
              {"name", "oidc_client"},
              {"label", "idform"},
              {"signOnMode", "OPENID_CONNECT"},
              {"credentials", {{"oauthClient", {{"client_id", "0oaseeded00000000001"},
                                                {"token_endpoint_auth_method", "private_key_jwt"}}}}},
              {"settings", {{"oauthClient", {{"application_type", "service"}, {"jwks", rsa_key().jwks()}}}}}};
  write_text(seed.path() / "apps/service-app.json", app.dump());
  Json grant = {{"id", "oag1"}, {"status", "ACTIVE"}, {"scopeId", "okta.networkZones.read"},
                {"clientId", "0oaseeded00000000001"}, {"issuer", "https://acme.okta.com"}, {"source", "ADMIN"}};
  write_text(seed.path() / "apps/0oaseeded00000000001/grants.json", Json::array({grant}).dump());
  write_text(seed.path() / "_sim/api-tokens.json", Json::array({"seeded-token"}).dump());
  OktaSim sim({"--seed", seed.path().string()});
  auto token = request_token(sim, rsa_key().sign(assertion_claims(sim, "0oaseeded00000000001")),
                             "okta.networkZones.read");
  REQUIRE(token.status == 200);
  OktaClient bearer(sim, "Bearer " + token.json()["access_token"].get<std::string>());
  CHECK(bearer.get("/api/v1/zones").status == 200);
  CHECK(OktaClient(sim, "SSWS seeded-token").get("/api/v1/zones").status == 200);
}

TEST_CASE("okta sim publishes its authorization server metadata and keys; access tokens verify", "[sim][okta][oidc]") {
  AuthSim env;
  const OktaSim& sim = *env.sim;
  for (const char* path : {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"}) {
    auto response = http("GET", sim.url(path));
    REQUIRE(response.status == 200);
    Json document = response.json();
    CHECK(document["issuer"] == sim.base());
    CHECK(document["token_endpoint"] == sim.base() + "/oauth2/v1/token");
    CHECK(document["jwks_uri"] == sim.base() + "/oauth2/v1/keys");
  }
  auto keys = http("GET", sim.url("/oauth2/v1/keys"));
  REQUIRE(keys.status == 200);
  auto token = request_token(sim, rsa_key().sign(assertion_claims(sim, kClient)), kScopes);
  REQUIRE(token.status == 200);
  std::string access_token = token.json()["access_token"];
  nlohmann::json jwks = nlohmann::json::parse(keys.body);
  nlohmann::json key = idform::testing::jws::key_for(jwks, access_token);
  REQUIRE(key.is_object());
  CHECK(idform::testing::jws::verify_es256(access_token, key));
  std::string tampered = access_token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(idform::testing::jws::verify_es256(tampered, key));
  CHECK(OktaClient(sim, "Bearer " + tampered).get("/api/v1/groups").status == 401);
}
