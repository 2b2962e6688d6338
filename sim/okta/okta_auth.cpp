// Authentication of the Okta flavor: API tokens, OAuth service apps, DPoP.
#include "okta/okta_auth.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cmath>

#include "core/crypto.hpp"
#include "core/sim_clock.hpp"
#include "okta/okta_errors.hpp"

namespace idp_sim::okta {

namespace {

constexpr const char* kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr double kMaxAssertionLifetime = 3600;  // Okta: exp at most one hour ahead
constexpr double kClockSkew = 60;

std::optional<PublicKey> public_key_from_pem(const std::string& text, std::string& error) {
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) {
    error = "invalid PEM public key";
    return std::nullopt;
  }
  PublicKey result;
  result.key = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
  int id = EVP_PKEY_get_base_id(key);
  result.key_type = id == EVP_PKEY_EC ? "EC" : (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) ? "RSA" : "other";
  return result;
}

// NumericDate claims; Okta's own example sends exp as a string of digits, accepted here too.
std::optional<double> numeric_claim(const Json& claims, const std::string& name) {
  if (!claims.contains(name)) return std::nullopt;
  const auto& value = claims[name];
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    char* end = nullptr;
    double parsed = std::strtod(text.c_str(), &end);
    if (!text.empty() && *end == '\0') return parsed;
  }
  return std::nullopt;
}

std::string form_field(const QueryParams& form, const std::string& name) {
  for (const auto& [key, value] : form) {
    if (key == name) return value;
  }
  return {};
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string text;
  for (const auto& scope : scopes) text += (text.empty() ? "" : " ") + scope;
  return text;
}

std::vector<std::string> split_scopes(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& part : split(text, ' ')) {
    if (!trim(part).empty()) out.push_back(trim(part));
  }
  return out;
}

}  // namespace

OktaAuth::OktaAuth(const OktaSettings& settings) : m_settings(settings) {}

void OktaAuth::add_api_token(const std::string& token) {
  std::lock_guard lock(m_mutex);
  m_api_tokens.insert(token);
}

void OktaAuth::add_client_keys(const std::string& client_id, const KeyList& keys) {
  std::lock_guard lock(m_mutex);
  auto& list = m_client_keys[client_id];
  list.insert(list.end(), keys.begin(), keys.end());
}

void OktaAuth::grant_scopes(const std::string& client_id, const std::vector<std::string>& scopes) {
  std::lock_guard lock(m_mutex);
  m_grants[client_id].insert(scopes.begin(), scopes.end());
}

std::optional<KeyList> OktaAuth::keys_from_jwks(const Json& jwks, std::string& error) {
  KeyList keys;
  std::vector<Json> entries;
  if (jwks.is_object() && jwks.contains("keys") && jwks["keys"].is_array()) {
    for (const auto& key : jwks["keys"]) entries.push_back(key);
  } else if (jwks.is_object() && jwks.contains("kty")) {
    entries.push_back(jwks);
  } else {
    error = "expected a JWKS ({\"keys\": [...]}) or a JWK";
    return std::nullopt;
  }
  for (const auto& entry : entries) {
    auto key = public_key_from_jwk(entry, error);
    if (!key) return std::nullopt;
    keys.emplace_back(entry.value("kid", ""), *key);
  }
  return keys;
}

std::optional<KeyList> OktaAuth::keys_from_text(const std::string& text, std::string& error) {
  if (text.find("-----BEGIN PUBLIC KEY-----") != std::string::npos) {
    auto key = public_key_from_pem(text, error);
    if (!key) return std::nullopt;
    return KeyList{{"", *key}};
  }
  if (text.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    auto certificate = certificate_from_text(text, error);
    if (!certificate) return std::nullopt;
    return KeyList{{"", certificate->public_key}};
  }
  Json parsed;
  try {
    parsed = Json::parse(text);
  } catch (const std::exception&) {
    error = "not a JWKS, JWK, PEM public key or PEM certificate";
    return std::nullopt;
  }
  return keys_from_jwks(parsed, error);
}

SimResponse OktaAuth::oauth_error(int status, const std::string& error, const std::string& description) const {
  SimResponse response = SimResponse::json(status, Json{{"error", error}, {"error_description", description}});
  response.headers["Cache-Control"] = "no-cache, no-store";
  response.headers["Pragma"] = "no-cache";
  return response;
}

// Okta's org authorization server metadata (OKTA-DOCS OpenID Connect & OAuth 2.0 API,
// "/.well-known/openid-configuration" and "/.well-known/oauth-authorization-server"; keys at
// /oauth2/v1/keys). Endpoints idp-sim does not serve are listed as Okta lists them.
std::optional<SimResponse> OktaAuth::discovery(const SimRequest& request) const {
  if (request.method != "GET") return std::nullopt;
  if (request.path == "/oauth2/v1/keys") return SimResponse::json(200, m_signing_key.jwks());
  bool openid = request.path == "/.well-known/openid-configuration";
  if (!openid && request.path != "/.well-known/oauth-authorization-server") return std::nullopt;
  std::string base = issuer(request);
  Json document = {
      {"issuer", base},
      {"authorization_endpoint", base + "/oauth2/v1/authorize"},
      {"token_endpoint", base + "/oauth2/v1/token"},
      {"jwks_uri", base + "/oauth2/v1/keys"},
      {"response_types_supported", {"code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"}},
      {"response_modes_supported", {"query", "fragment", "form_post", "okta_post_message"}},
      {"grant_types_supported", {"authorization_code", "implicit", "refresh_token", "password", "client_credentials"}},
      {"scopes_supported", {"openid", "profile", "email", "address", "phone", "offline_access", "okta.groups.manage",
                            "okta.groups.read", "okta.apps.manage", "okta.apps.read", "okta.policies.manage",
                            "okta.policies.read", "okta.networkZones.manage", "okta.networkZones.read",
                            "okta.users.read"}},
      {"token_endpoint_auth_methods_supported",
       {"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"}},
      {"introspection_endpoint", base + "/oauth2/v1/introspect"},
      {"revocation_endpoint", base + "/oauth2/v1/revoke"},
      {"end_session_endpoint", base + "/oauth2/v1/logout"},
      {"code_challenge_methods_supported", {"S256"}},
      {"request_parameter_supported", true}};
  if (openid) {
    document["userinfo_endpoint"] = base + "/oauth2/v1/userinfo";
    document["subject_types_supported"] = {"public"};
    document["id_token_signing_alg_values_supported"] = {"ES256"};
  }
  SimResponse response = SimResponse::json(200, document);
  response.headers["Cache-Control"] = "max-age=86400, must-revalidate";
  return response;
}

std::string OktaAuth::issuer(const SimRequest& request) const {
  return m_settings.org_url.empty() ? request.base_url : m_settings.org_url;
}

bool OktaAuth::audience_ok(const SimRequest& request, const Json& aud) const {
  std::vector<std::string> accepted = {request.base_url + "/oauth2/v1/token"};
  if (!m_settings.org_url.empty()) accepted.push_back(m_settings.org_url + "/oauth2/v1/token");
  auto matches = [&](const Json& value) {
    if (!value.is_string()) return false;
    for (const auto& url : accepted) {
      if (value.get<std::string>() == url) return true;
    }
    return false;
  };
  if (aud.is_array()) {
    for (const auto& value : aud) {
      if (matches(value)) return true;
    }
    return false;
  }
  return matches(aud);
}

KeyList OktaAuth::keys_for(const std::string& client_id, TenantData& data) const {
  KeyList keys;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_client_keys.find(client_id);
    if (it != m_client_keys.end()) keys = it->second;
  }
  // An OIDC service app in the tenant registers its public keys in settings.oauthClient.jwks.
  for (const auto* record : data.collection("apps").ordered()) {
    if (record->deleted_at) continue;
    const Json& app = record->data;
    auto id = app.contains("credentials") && app["credentials"].is_object() &&
                      app["credentials"].contains("oauthClient") && app["credentials"]["oauthClient"].is_object()
                  ? app["credentials"]["oauthClient"].value("client_id", "")
                  : std::string();
    if (id != client_id && record->id != client_id) continue;
    if (app.value("status", "ACTIVE") != "ACTIVE") continue;
    if (!app.contains("settings") || !app["settings"].is_object()) continue;
    const Json& settings = app["settings"];
    if (!settings.contains("oauthClient") || !settings["oauthClient"].is_object()) continue;
    const Json& client = settings["oauthClient"];
    if (!client.contains("jwks")) continue;
    std::string error;
    if (auto found = keys_from_jwks(client["jwks"], error)) keys.insert(keys.end(), found->begin(), found->end());
  }
  return keys;
}

std::optional<SimResponse> OktaAuth::check_token_form(const SimRequest& request, const QueryParams& form) const {
  if (request.method != "POST") {
    return oauth_error(405, "invalid_request", "The token endpoint only supports POST.");
  }
  if (!istarts_with(request.header("Content-Type"), "application/x-www-form-urlencoded")) {
    return oauth_error(400, "invalid_request", "The request must use Content-Type application/x-www-form-urlencoded.");
  }
  std::string grant_type = form_field(form, "grant_type");
  if (grant_type.empty()) return oauth_error(400, "invalid_request", "The 'grant_type' parameter is required.");
  if (grant_type != "client_credentials") {
    return oauth_error(400, "unsupported_grant_type",
                       "The authorization grant type is not supported by the authorization server. Configured grant "
                       "types: [client_credentials].");
  }
  if (!form_field(form, "client_secret").empty() || request.header("Authorization").rfind("Basic ", 0) == 0 ||
      form_field(form, "client_assertion_type") != kAssertionType || form_field(form, "client_assertion").empty()) {
    return oauth_error(401, "invalid_client",
                       "Client Credentials requests to the Org Authorization Server must use the private_key_jwt "
                       "token_endpoint_auth_method.");
  }
  return std::nullopt;
}

// iss = sub = the client id (the form's client_id, when sent, must agree); sets `client_id`.
std::optional<SimResponse> OktaAuth::check_assertion_client(const Jwt& jwt, const QueryParams& form,
                                                            std::string& client_id) const {
  std::string iss = string_field(jwt.claims, "iss");
  if (iss.empty() || iss != string_field(jwt.claims, "sub")) {
    return oauth_error(401, "invalid_client",
                       "The client_assertion 'iss' and 'sub' claims must both be the client_id.");
  }
  std::string form_client_id = form_field(form, "client_id");
  if (!form_client_id.empty() && form_client_id != iss) {
    return oauth_error(401, "invalid_client", "The client_assertion 'iss' claim does not match the client_id.");
  }
  client_id = iss;
  return std::nullopt;
}

std::optional<SimResponse> OktaAuth::check_assertion_signature(const Jwt& jwt, const KeyList& keys) const {
  std::string alg = string_field(jwt.header, "alg");
  static const std::set<std::string> kAlgorithms = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"};
  if (!kAlgorithms.count(alg)) {
    return oauth_error(401, "invalid_client",
                       "The client_assertion signature algorithm '" + alg + "' is not supported.");
  }
  std::string kid = string_field(jwt.header, "kid");
  for (const auto& [key_id, key] : keys) {
    if (!kid.empty() && !key_id.empty() && key_id != kid) continue;
    std::string verify_error;
    if (verify_jwt_signature(jwt, key, verify_error)) return std::nullopt;
  }
  return oauth_error(401, "invalid_client", "The client_assertion signature is invalid.");
}

// exp within the accepted lifetime and nbf passed, both give or take the clock skew; sets `exp`.
std::optional<SimResponse> OktaAuth::check_assertion_times(const Json& claims, double now, double& exp) const {
  auto expiry = numeric_claim(claims, "exp");
  if (!expiry) return oauth_error(401, "invalid_client", "The client_assertion token must contain an 'exp' claim.");
  if (*expiry <= now - kClockSkew) return oauth_error(401, "invalid_client", "The client_assertion token is expired.");
  if (*expiry > now + kMaxAssertionLifetime + kClockSkew) {
    return oauth_error(401, "invalid_client", "The client_assertion token has an expiration too far into the future.");
  }
  if (auto nbf = numeric_claim(claims, "nbf"); nbf && *nbf > now + kClockSkew) {
    return oauth_error(401, "invalid_client", "The client_assertion token is not valid yet.");
  }
  exp = *expiry;
  return std::nullopt;
}

// A jti is accepted once until its assertion expires. Caller holds m_mutex.
std::optional<SimResponse> OktaAuth::check_replay(const Json& claims, const std::string& client_id, double now,
                                                  double exp) {
  if (!claims.contains("jti") || !claims["jti"].is_string()) return std::nullopt;
  for (auto it = m_used_jti.begin(); it != m_used_jti.end();) {
    it = it->second < now - kClockSkew ? m_used_jti.erase(it) : std::next(it);
  }
  std::string jti = client_id + "/" + claims["jti"].get<std::string>();
  if (m_used_jti.count(jti)) {
    return oauth_error(401, "invalid_client", "The client_assertion token has already been used.");
  }
  m_used_jti[jti] = exp;
  return std::nullopt;
}

SimResponse OktaAuth::token(const SimRequest& request, TenantData& data) {
  auto form = parse_form_body(request.body);
  if (auto refusal = check_token_form(request, form)) return *refusal;
  std::string error;
  auto jwt = parse_jwt(form_field(form, "client_assertion"), error);
  if (!jwt) return oauth_error(401, "invalid_client", "The client_assertion token is malformed: " + error);
  const Json& claims = jwt->claims;
  std::string client_id;
  if (auto refusal = check_assertion_client(*jwt, form, client_id)) return *refusal;
  KeyList keys = keys_for(client_id, data);
  if (keys.empty()) return oauth_error(401, "invalid_client", "Invalid value for 'client_id' parameter.");
  if (auto refusal = check_assertion_signature(*jwt, keys)) return *refusal;
  if (!claims.contains("aud") || !audience_ok(request, claims["aud"])) {
    return oauth_error(401, "invalid_client",
                       "The audience claim for client_assertion must be the endpoint invoking the client_assertion.");
  }
  double now = SimClock::unix_seconds_precise();
  double exp = 0;
  if (auto refusal = check_assertion_times(claims, now, exp)) return *refusal;
  std::vector<std::string> requested = split_scopes(form_field(form, "scope"));
  if (requested.empty()) {
    return oauth_error(400, "invalid_scope",
                       "The authorization server resource does not have any configured default scopes, 'scope' must "
                       "be provided.");
  }
  std::lock_guard lock(m_mutex);
  if (auto refusal = check_replay(claims, client_id, now, exp)) return *refusal;
  const auto& granted = m_grants[client_id];
  std::vector<std::string> refused;
  for (const auto& scope : requested) {
    if (!granted.count(scope)) refused.push_back(scope);
  }
  if (!refused.empty())
    return oauth_error(400, "invalid_scope", "The following scopes are not allowed: " + join_scopes(refused));
  return issue_token(request, client_id, requested, now);
}

SimResponse OktaAuth::issue_token(const SimRequest& request, const std::string& client_id,
                                  const std::vector<std::string>& scopes, double now) const {
  Json access_claims = {{"ver", 1},
                        {"jti", "AT." + random_token(43)},
                        {"iss", issuer(request)},
                        {"aud", issuer(request)},
                        {"iat", static_cast<long long>(now)},
                        {"exp", now + m_settings.token_lifetime_seconds},
                        {"cid", client_id},
                        {"scp", scopes},
                        {"sub", client_id}};
  Json header = Json::object();
  Json body = {{"token_type", "Bearer"},
               {"expires_in", static_cast<long long>(std::llround(m_settings.token_lifetime_seconds))},
               {"access_token", m_signing_key.sign(header, access_claims)},
               {"scope", join_scopes(scopes)}};
  SimResponse response = SimResponse::json(200, body);
  response.headers["Cache-Control"] = "no-cache, no-store";
  response.headers["Pragma"] = "no-cache";
  return response;
}

std::optional<Caller> OktaAuth::authenticate(const SimRequest& request, SimResponse& failure) const {
  std::string header = request.header("Authorization");
  auto space = header.find(' ');
  std::string scheme = space == std::string::npos ? header : header.substr(0, space);
  std::string credential = space == std::string::npos ? std::string() : trim(header.substr(space + 1));
  if (iequals(scheme, "SSWS") && !credential.empty()) {
    std::lock_guard lock(m_mutex);
    if (m_api_tokens.count(credential)) {
      Caller caller;
      caller.api_token = true;
      caller.principal = "ssws:" + hex_upper(sha256(credential)).substr(0, 12);
      return caller;
    }
  } else if (iequals(scheme, "Bearer") && !credential.empty()) {
    std::string error;
    auto jwt = parse_jwt(credential, error);
    double now = SimClock::unix_seconds_precise();
    if (jwt && m_signing_key.verify(*jwt) && jwt->claims.contains("exp") && jwt->claims["exp"].is_number() &&
        jwt->claims["exp"].get<double>() > now) {
      Caller caller;
      caller.client_id = jwt->claims.value("cid", "");
      caller.principal = "oauth:" + caller.client_id;
      for (const auto& scope : jwt->claims.value("scp", Json::array())) {
        if (scope.is_string()) caller.scopes.insert(scope.get<std::string>());
      }
      return caller;
    }
    failure = invalid_token();
    failure.headers["WWW-Authenticate"] = "Bearer authorization_uri=\"" + issuer(request) +
                                          "/oauth2/v1/authorize\", realm=\"IDX\", error=\"invalid_token\", "
                                          "error_description=\"The token is not valid.\"";
    return std::nullopt;
  }
  failure = invalid_token();
  return std::nullopt;
}

SimResponse OktaAuth::insufficient_scope(const SimRequest& request, const std::string& scope) {
  SimResponse response = access_denied();
  response.headers["WWW-Authenticate"] =
      "Bearer authorization_uri=\"" + request.base_url + "/oauth2/v1/authorize\", realm=\"IDX\", scope=\"" + scope +
      "\", error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required "
      "scopes.\", resource=\"" + request.path + "\"";
  return response;
}

Json OktaAuth::describe() const {
  std::lock_guard lock(m_mutex);
  Json clients = Json::object();
  for (const auto& [client_id, keys] : m_client_keys) clients[client_id]["keys"] = keys.size();
  for (const auto& [client_id, scopes] : m_grants) clients[client_id]["scopes"] = scopes;
  return {{"api_tokens", m_api_tokens.size()}, {"service_apps", clients}};
}

}  // namespace idp_sim::okta
