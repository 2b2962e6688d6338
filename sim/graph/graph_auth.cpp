// The identity platform side of the Graph flavor: token endpoint, client credentials, bearer checks.
#include "graph/graph_auth.hpp"

#include <cmath>

#include "core/crypto.hpp"
#include "core/sim_clock.hpp"
#include "graph/graph_errors.hpp"

namespace idp_sim::graph {

namespace {

constexpr const char* kGraphAudience = "https://graph.microsoft.com";
constexpr const char* kGraphAppId = "00000003-0000-0000-c000-000000000000";
constexpr const char* kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr double kClockSkewSeconds = 300;

std::optional<std::string> form_value(const QueryParams& form, const std::string& name) {
  for (const auto& [key, value] : form) {
    if (key == name) return value;
  }
  return std::nullopt;
}

const Record* find_application_by_app_id(TenantData& data, const std::string& app_id) {
  for (const auto* record : data.collection("applications").ordered()) {
    if (record->deleted_at) continue;
    if (iequals(record->data.value("appId", ""), app_id)) return record;
  }
  return nullptr;
}

double claim_number(const Json& claims, const char* name, bool& present) {
  present = claims.contains(name) && claims[name].is_number();
  return present ? claims[name].get<double>() : 0;
}

// One of the credential's audiences is the assertion's aud (a string, or any element of an array).
bool federated_audience_matches(const Json& credential, const Json& claims) {
  if (!claims.contains("aud")) return false;
  const Json& aud = claims["aud"];
  for (const auto& audience : credential.value("audiences", Json::array())) {
    if (!audience.is_string()) continue;
    if (aud.is_string() && aud.get<std::string>() == audience) return true;
    if (aud.is_array()) {
      for (const auto& value : aud) {
        if (value == audience) return true;
      }
    }
  }
  return false;
}

}  // namespace

GraphAuth::GraphAuth(const GraphSettings& settings) : m_settings(settings) {}

void GraphAuth::add_client_secret(const std::string& app_id, const std::string& secret) {
  std::lock_guard lock(m_mutex);
  m_secrets[to_lower(app_id)].push_back(secret);
}

void GraphAuth::add_client_certificate(const std::string& app_id, const Certificate& certificate) {
  std::lock_guard lock(m_mutex);
  m_certificates[to_lower(app_id)].push_back(certificate);
}

void GraphAuth::add_issuer(OidcIssuer issuer) {
  std::lock_guard lock(m_mutex);
  m_issuers.push_back(std::move(issuer));
}

std::optional<OidcIssuer> GraphAuth::issuer_from_text(const std::string& issuer, const std::string& text,
                                                      std::string& error) {
  OidcIssuer result;
  result.issuer = issuer;
  if (text.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    auto certificate = certificate_from_text(text, error);
    if (!certificate) return std::nullopt;
    result.keys.emplace_back("", certificate->public_key);
    return result;
  }
  Json jwks;
  try {
    jwks = Json::parse(text);
  } catch (const std::exception& e) {
    error = std::string("JWKS is not JSON: ") + e.what();
    return std::nullopt;
  }
  Json keys = jwks.contains("keys") ? jwks["keys"] : Json::array({jwks});
  if (!keys.is_array()) {
    error = "JWKS has no 'keys' array";
    return std::nullopt;
  }
  for (const auto& jwk : keys) {
    auto key = public_key_from_jwk(jwk, error);
    if (!key) return std::nullopt;
    result.keys.emplace_back(jwk.value("kid", ""), *key);
  }
  return result;
}

// OIDC discovery of the identity platform (ENTRA-DOCS v2-protocols-oidc "Find your app's OpenID
// configuration document URI"; the fields of login.microsoftonline.com's v2.0 document). URLs use
// the origin the client addressed; the issuer keeps the tenant id, as Entra's does.
std::optional<SimResponse> GraphAuth::discovery(const SimRequest& request) const {
  std::string prefix = m_settings.authority_prefix;
  if (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (request.method != "GET" || request.path.rfind(prefix + "/", 0) != 0) return std::nullopt;
  std::string rest = request.path.substr(prefix.size() + 1);
  auto slash = rest.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string tenant = rest.substr(0, slash);
  std::string tail = rest.substr(slash);
  std::string authority = request.base_url + prefix + "/" + tenant;
  if (tail == "/discovery/v2.0/keys") return SimResponse::json(200, m_signing_key.jwks());
  if (tail != "/v2.0/.well-known/openid-configuration") return std::nullopt;
  std::string tenant_id = iequals(tenant, "common") || iequals(tenant, "organizations") ? "{tenantid}" : m_settings.tenant_id;
  Json document = {
      {"token_endpoint", authority + "/oauth2/v2.0/token"},
      {"token_endpoint_auth_methods_supported", {"client_secret_post", "private_key_jwt", "client_secret_basic"}},
      {"jwks_uri", authority + "/discovery/v2.0/keys"},
      {"response_modes_supported", {"query", "fragment", "form_post"}},
      {"subject_types_supported", {"pairwise"}},
      {"id_token_signing_alg_values_supported", {"ES256"}},
      {"response_types_supported", {"code", "id_token", "code id_token", "id_token token"}},
      {"scopes_supported", {"openid", "profile", "email", "offline_access"}},
      {"issuer", request.base_url + prefix + "/" + tenant_id + "/v2.0"},
      {"request_uri_parameter_supported", false},
      {"userinfo_endpoint", "https://graph.microsoft.com/oidc/userinfo"},
      {"authorization_endpoint", authority + "/oauth2/v2.0/authorize"},
      {"device_authorization_endpoint", authority + "/oauth2/v2.0/devicecode"},
      {"http_logout_supported", true},
      {"frontchannel_logout_supported", true},
      {"end_session_endpoint", authority + "/oauth2/v2.0/logout"},
      {"claims_supported", {"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
                            "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username",
                            "name", "tid", "ver", "at_hash", "c_hash", "email"}},
      {"tenant_region_scope", "EU"},
      {"cloud_instance_name", "microsoftonline.com"},
      {"cloud_graph_host_name", "graph.windows.net"},
      {"msgraph_host", "graph.microsoft.com"},
      {"rbac_url", "https://pas.windows.net"}};
  return SimResponse::json(200, document);
}

bool GraphAuth::is_token_path(const std::string& path, std::string& tenant) const {
  std::string prefix = m_settings.authority_prefix;
  if (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (path.rfind(prefix + "/", 0) != 0) return false;
  std::string rest = path.substr(prefix.size() + 1);
  const std::string suffix = "/oauth2/v2.0/token";
  if (rest.size() <= suffix.size() || rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  tenant = rest.substr(0, rest.size() - suffix.size());
  return tenant.find('/') == std::string::npos;
}

SimResponse GraphAuth::oauth_error(int status, const std::string& error, int code,
                                   const std::string& description) const {
  std::string trace_id = new_uuid();
  std::string correlation_id = new_uuid();
  std::string timestamp = SimClock::utc_timestamp_seconds();
  timestamp[10] = ' ';
  timestamp += "Z";
  Json body = {{"error", error},
               {"error_description", "AADSTS" + std::to_string(code) + ": " + description + "\r\nTrace ID: " + trace_id +
                                         "\r\nCorrelation ID: " + correlation_id + "\r\nTimestamp: " + timestamp},
               {"error_codes", Json::array({code})},
               {"timestamp", timestamp},
               {"trace_id", trace_id},
               {"correlation_id", correlation_id},
               {"error_uri", "https://login.microsoftonline.com/error?code=" + std::to_string(code)}};
  SimResponse response = SimResponse::json(status, body);
  response.headers["Content-Type"] = "application/json; charset=utf-8";
  response.headers["Cache-Control"] = "no-store, no-cache";
  return response;
}

SimResponse GraphAuth::issue_token(const std::string& app_id) const {
  auto now = SimClock::unix_seconds_precise();
  auto lifetime = m_settings.token_lifetime_seconds;
  Json header = {{"typ", "JWT"}};
  Json claims = {{"aud", kGraphAudience},
                 {"iss", "https://sts.windows.net/" + m_settings.tenant_id + "/"},
                 {"iat", static_cast<long long>(now)},
                 {"nbf", static_cast<long long>(now)},
                 {"exp", now + lifetime},
                 {"appid", app_id},
                 {"idtyp", "app"},
                 {"tid", m_settings.tenant_id},
                 {"uti", base64url_encode(random_bytes(16))},
                 {"ver", "1.0"}};
  Json body = {{"token_type", "Bearer"},
               {"expires_in", static_cast<long long>(std::ceil(lifetime))},
               {"ext_expires_in", static_cast<long long>(std::ceil(lifetime))},
               {"access_token", m_signing_key.sign(header, claims)}};
  SimResponse response = SimResponse::json(200, body);
  response.headers["Content-Type"] = "application/json; charset=utf-8";
  response.headers["Cache-Control"] = "no-store, no-cache";
  return response;
}

bool GraphAuth::audience_ok(const SimRequest& request, const std::string& tenant, const Json& aud) const {
  std::vector<std::string> accepted;
  std::string path_tail = "/" + tenant + "/oauth2/v2.0/token";
  std::string prefix = m_settings.authority_prefix;
  if (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  for (const auto& t : {tenant, m_settings.tenant_id, m_settings.tenant_domain}) {
    std::string tail = "/" + t + "/oauth2/v2.0/token";
    accepted.push_back(request.base_url + prefix + tail);
    accepted.push_back("https://login.microsoftonline.com" + tail);
    if (!m_settings.authority_url.empty()) {
      std::string base = m_settings.authority_url;
      if (base.back() == '/') base.pop_back();
      accepted.push_back(base + tail);
    }
  }
  auto matches = [&](const Json& value) {
    if (!value.is_string()) return false;
    for (const auto& candidate : accepted) {
      if (iequals(candidate, value.get<std::string>())) return true;
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

bool GraphAuth::AssertionTimes::valid() const {
  return has_exp && now <= exp + kClockSkewSeconds && !(has_nbf && now + kClockSkewSeconds < nbf);
}

std::optional<SimResponse> GraphAuth::check_token_request(const SimRequest& request, const std::string& tenant,
                                                          const QueryParams& form, TokenClient& client) const {
  if (request.method != "POST") {
    return oauth_error(400, "invalid_request", 900561,
                       "The endpoint only accepts POST requests. Received a " + request.method + " request.");
  }
  if (!iequals(tenant, m_settings.tenant_id) && !iequals(tenant, m_settings.tenant_domain)) {
    return oauth_error(400, "invalid_request", 90002,
                       "Tenant '" + tenant +
                           "' not found. Check to make sure you have the correct tenant ID and are signing into the "
                           "correct cloud.");
  }
  auto grant_type = form_value(form, "grant_type");
  if (!grant_type) {
    return oauth_error(400, "invalid_request", 900144,
                       "The request body must contain the following parameter: 'grant_type'.");
  }
  if (*grant_type != "client_credentials") {
    return oauth_error(400, "unsupported_grant_type", 70003,
                       "The app requested an unsupported grant type '" + *grant_type + "'.");
  }
  auto client_id = form_value(form, "client_id");
  client.secret = form_value(form, "client_secret");
  // HTTP Basic (client_secret_basic) takes precedence over the form fields.
  std::string authorization = request.header("Authorization");
  if (istarts_with(authorization, "Basic ")) {
    std::string decoded;
    if (base64_decode(authorization.substr(6), decoded)) {
      auto colon = decoded.find(':');
      if (colon != std::string::npos) {
        client_id = url_decode(decoded.substr(0, colon), true);
        client.secret = url_decode(decoded.substr(colon + 1), true);
      }
    }
  }
  if (!client_id || client_id->empty()) {
    return oauth_error(400, "invalid_request", 900144,
                       "The request body must contain the following parameter: 'client_id'.");
  }
  client.id = *client_id;
  auto scope = form_value(form, "scope");
  if (!scope) {
    return oauth_error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
  }
  if (*scope != std::string(kGraphAudience) + "/.default" && *scope != std::string(kGraphAudience) + "//.default" &&
      *scope != std::string(kGraphAppId) + "/.default") {
    return oauth_error(400, "invalid_scope", 1002012,
                       "The provided value for scope " + *scope +
                           " is not valid. Client credential flows must have a scope value with /.default suffixed to "
                           "the resource identifier (application ID URI).");
  }
  return std::nullopt;
}

// The app's credentials: the tenant's application object plus command-line registrations.
GraphAuth::AppCredentials GraphAuth::credentials_of(const std::string& client_id, TenantData& data) {
  AppCredentials out;
  const Record* application = find_application_by_app_id(data, client_id);
  out.secrets = m_secrets[to_lower(client_id)];
  out.certificates = m_certificates[to_lower(client_id)];
  if (application) {
    for (const auto& credential : application->data.value("passwordCredentials", Json::array())) {
      if (credential.is_object() && credential.contains("secretText") && credential["secretText"].is_string()) {
        out.secrets.push_back(credential["secretText"].get<std::string>());
      }
    }
    for (const auto& credential : application->data.value("keyCredentials", Json::array())) {
      if (!credential.is_object() || !credential.contains("key") || !credential["key"].is_string()) continue;
      std::string error;
      if (auto certificate = certificate_from_text(credential["key"].get<std::string>(), error)) {
        out.certificates.push_back(*certificate);
      }
    }
    auto& credentials = data.collection("federatedIdentityCredentials");
    for (const auto* link : data.relation("applications.federatedIdentityCredentials").links(application->id)) {
      if (link->deleted_at) continue;
      if (const Record* record = credentials.find(link->child_id)) out.federated.push_back(record->data);
    }
  }
  out.known = application || !out.secrets.empty() || !out.certificates.empty();
  return out;
}

SimResponse GraphAuth::token(const SimRequest& request, const std::string& tenant, TenantData& data) {
  QueryParams form = parse_form_body(request.body);
  TokenClient client;
  if (auto refusal = check_token_request(request, tenant, form, client)) return *refusal;

  std::lock_guard lock(m_mutex);
  AppCredentials credentials = credentials_of(client.id, data);
  if (!credentials.known) {
    return oauth_error(400, "unauthorized_client", 700016,
                       "Application with identifier '" + client.id + "' was not found in the directory '" + tenant +
                           "'. This can happen if the application has not been installed by the administrator of the "
                           "tenant or consented to by any user in the tenant. You may have sent your authentication "
                           "request to the wrong tenant.");
  }
  if (client.secret) {
    for (const auto& secret : credentials.secrets) {
      if (secure_equals(secret, *client.secret)) return issue_token(client.id);
    }
    return oauth_error(401, "invalid_client", 7000215,
                       "Invalid client secret provided. Ensure the secret being sent in the request is the client "
                       "secret value, not the client secret ID, for a secret added to app '" +
                           client.id + "'.");
  }

  auto assertion = form_value(form, "client_assertion");
  auto assertion_type = form_value(form, "client_assertion_type");
  if (!assertion) {
    return oauth_error(401, "invalid_client", 7000218,
                       "The request body must contain the following parameter: 'client_assertion' or "
                       "'client_secret'.");
  }
  if (!assertion_type || *assertion_type != kJwtBearer) {
    return oauth_error(400, "invalid_request", 50027,
                       "JWT token is invalid or malformed: client_assertion_type must be '" + std::string(kJwtBearer) +
                           "'.");
  }
  std::string parse_error;
  auto jwt = parse_jwt(*assertion, parse_error);
  if (!jwt) return oauth_error(400, "invalid_request", 50027, "JWT token is invalid or malformed.");

  AssertionTimes times;
  times.now = SimClock::unix_seconds_precise();
  times.exp = claim_number(jwt->claims, "exp", times.has_exp);
  times.nbf = claim_number(jwt->claims, "nbf", times.has_nbf);
  // A certificate credential signs its own assertion (iss = client_id); anything else is federated.
  if (iequals(string_field(jwt->claims, "iss"), client.id)) {
    return certificate_grant(request, tenant, *jwt, client.id, credentials.certificates, times);
  }
  return federated_grant(*jwt, client.id, credentials.federated, times);
}

SimResponse GraphAuth::time_range_error(const AssertionTimes& times) const {
  return oauth_error(
      400, "invalid_client", 700024,
      "Client assertion is not within its valid time range. Current time: " + SimClock::utc_timestamp_seconds() +
          "Z, expiry time of assertion " +
          (times.has_exp ? std::to_string(static_cast<long long>(times.exp)) : std::string("(none)")) + ".");
}

// Certificate credential: iss = sub = client_id, aud = this token endpoint, signed by a
// registered certificate named by x5t or x5t#S256.
SimResponse GraphAuth::certificate_grant(const SimRequest& request, const std::string& tenant, const Jwt& jwt,
                                         const std::string& client_id, const std::vector<Certificate>& certificates,
                                         const AssertionTimes& times) const {
  const Json& claims = jwt.claims;
  std::string alg = string_field(jwt.header, "alg");
  if (alg != "RS256" && alg != "PS256") {
    return oauth_error(400, "invalid_request", 5002738,
                       "Invalid JWT token. '" + alg +
                           "' is not a supported signature algorithm. Supported signing algorithms are: 'RS256, "
                           "PS256'");
  }
  if (!iequals(string_field(claims, "sub"), client_id)) {
    return oauth_error(400, "invalid_client", 700021,
                       "Client assertion application identifier doesn't match 'client_id' parameter. Review the "
                       "documentation at https://docs.microsoft.com/azure/active-directory/develop/"
                       "active-directory-certificate-credentials .");
  }
  if (!audience_ok(request, tenant, claims.contains("aud") ? claims["aud"] : Json())) {
    return oauth_error(400, "invalid_client", 700023,
                       "Client assertion audience claim does not match Realm issuer. Review the documentation at "
                       "https://docs.microsoft.com/azure/active-directory/develop/"
                       "active-directory-certificate-credentials .");
  }
  if (!times.valid()) return time_range_error(times);
  std::string x5t = jwt.header.value("x5t", "");
  std::string x5t_s256 = jwt.header.value("x5t#S256", "");
  if (x5t.empty() && x5t_s256.empty()) {
    return oauth_error(401, "invalid_client", 700027,
                       "Client assertion failed signature validation. [Reason - The key was not found.] The JWT header "
                       "must carry 'x5t' or 'x5t#S256'.");
  }
  for (const auto& certificate : certificates) {
    bool matches = (!x5t.empty() && x5t == certificate.x5t) || (!x5t_s256.empty() && x5t_s256 == certificate.x5t_s256);
    if (!matches) continue;
    std::string verify_error;
    if (verify_jwt_signature(jwt, certificate.public_key, verify_error)) return issue_token(client_id);
    return oauth_error(401, "invalid_client", 700027,
                       "Client assertion failed signature validation. [Reason - Key was found, but use of the key to "
                       "verify the signature failed.]");
  }
  return oauth_error(401, "invalid_client", 700027,
                     "The certificate with identifier used to sign the client assertion is not registered on "
                     "application. [Reason - The key was not found., Thumbprint of key used by client: '" +
                         (x5t.empty() ? x5t_s256 : x5t) + "']");
}

// Federated credential: an external issuer's token matched on issuer + subject + audience, and
// verified with that issuer's keys.
SimResponse GraphAuth::federated_grant(const Jwt& jwt, const std::string& client_id, const std::vector<Json>& federated,
                                       const AssertionTimes& times) const {
  const Json& claims = jwt.claims;
  std::string iss = string_field(claims, "iss");
  std::string sub = string_field(claims, "sub");
  const Json* match = nullptr;
  for (const auto& credential : federated) {
    if (credential.value("issuer", "") == iss && credential.value("subject", "") == sub) match = &credential;
  }
  std::string aud_text = claims.contains("aud") ? (claims["aud"].is_string() ? claims["aud"].get<std::string>()
                                                                               : claims["aud"].dump())
                                                : std::string();
  if (!match) {
    return oauth_error(400, "invalid_request", 70021,
                       "No matching federated identity record found for presented assertion. Assertion Issuer: '" + iss +
                           "'. Assertion Subject: '" + sub + "'. Assertion Audience: '" + aud_text + "'.");
  }
  if (!federated_audience_matches(*match, claims)) {
    return oauth_error(400, "invalid_request", 700212,
                       "No matching federated identity record found for presented assertion audience '" + aud_text + "'.");
  }
  if (!times.valid()) return time_range_error(times);
  const OidcIssuer* issuer = nullptr;
  for (const auto& candidate : m_issuers) {
    if (candidate.issuer == iss) issuer = &candidate;
  }
  if (!issuer) {
    return oauth_error(400, "invalid_request", 50013,
                       "Assertion failed signature validation. [Reason - The provided signature value did not match the "
                       "expected signature value; no signing keys are known for issuer '" + iss + "'.]");
  }
  std::string kid = string_field(jwt.header, "kid");
  for (const auto& [key_id, key] : issuer->keys) {
    if (!kid.empty() && !key_id.empty() && kid != key_id) continue;
    std::string verify_error;
    if (verify_jwt_signature(jwt, key, verify_error)) return issue_token(client_id);
  }
  return oauth_error(400, "invalid_request", 50013,
                     "Assertion failed signature validation. [Reason - The provided signature value did not match the "
                     "expected signature value.]");
}

std::optional<Caller> GraphAuth::authenticate(const SimRequest& request, SimResponse& failure) const {
  auto unauthorized = [&](const std::string& message) {
    failure = graph_error(401, "InvalidAuthenticationToken", message, request);
    failure.headers["WWW-Authenticate"] =
        "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", "
        "client_id=\"00000003-0000-0000-c000-000000000000\"";
    return std::nullopt;
  };
  std::string authorization = request.header("Authorization");
  if (authorization.empty()) return unauthorized("Access token is empty.");
  if (!istarts_with(authorization, "Bearer ")) return unauthorized("Access token is empty.");
  std::string token = trim(authorization.substr(7));
  if (token.empty()) return unauthorized("Access token is empty.");
  if (token.find('.') == std::string::npos) {
    return unauthorized("IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE "
                        "Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): "
                        "'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext."
                        "EncodedAuthenticationTag'.");
  }
  std::string error;
  auto jwt = parse_jwt(token, error);
  if (!jwt || !m_signing_key.verify(*jwt)) return unauthorized("Access token validation failure.");
  if (jwt->claims.value("aud", "") != kGraphAudience) return unauthorized("Access token validation failure. Invalid audience.");
  double exp = jwt->claims.value("exp", 0.0);
  if (SimClock::unix_seconds_precise() >= exp) return unauthorized("Lifetime validation failed, the token is expired.");
  Caller caller;
  caller.app_id = jwt->claims.value("appid", "");
  caller.tenant_id = jwt->claims.value("tid", "");
  return caller;
}

Json GraphAuth::describe() const {
  std::lock_guard lock(m_mutex);
  Json clients = Json::object();
  for (const auto& [app_id, secrets] : m_secrets) clients[app_id]["secrets"] = secrets.size();
  for (const auto& [app_id, certificates] : m_certificates) {
    for (const auto& certificate : certificates) clients[app_id]["certificates"].push_back(certificate.thumbprint);
  }
  Json issuers = Json::array();
  for (const auto& issuer : m_issuers) issuers.push_back({{"issuer", issuer.issuer}, {"keys", issuer.keys.size()}});
  return {{"cli_clients", clients}, {"oidc_issuers", issuers}};
}

}  // namespace idp_sim::graph
