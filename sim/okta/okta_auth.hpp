#pragma once
// Authentication of the Okta flavor (OKTA-DOCS "Implement OAuth for Okta with a service app",
// core-okta-api "Authentication"; spec securitySchemes apiToken / oauth2):
//  - `Authorization: SSWS <api token>`: an API token acts with its admin's permissions; no scopes.
//  - `POST /oauth2/v1/token` (org authorization server), grant_type=client_credentials with a
//    private_key_jwt client assertion: signature (RS256/384/512, ES256/384/512) against the public
//    keys registered for the client_id, iss = sub = client_id, aud = the token endpoint URL,
//    exp in the future and at most one hour ahead, jti not seen before; `scope` must only name
//    scopes granted to the service app. The answer is {"token_type":"Bearer","expires_in":3600,
//    "access_token","scope"}; OAuth errors are {"error","error_description"}.
//  - `Authorization: Bearer <access token>`: signature and expiry of a token issued here; the
//    caller's scopes are then checked per endpoint by the flavor.
// Keys and grants come from the command line, from `_sim/` seed files, and from the tenant itself
// (an OPENID_CONNECT app's settings.oauthClient.jwks and OAuth2ScopeConsentGrant objects).
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/http_types.hpp"
#include "core/jwt.hpp"
#include "core/object_store.hpp"
#include "core/signing_key.hpp"
#include "okta/okta_settings.hpp"

namespace idp_sim::okta {

struct Caller {
  std::string principal;  // rate-limit identity: "ssws:<digest>" or "oauth:<client_id>"
  bool api_token = false;
  std::string client_id;
  std::set<std::string> scopes;

  bool has_scope(const std::string& scope) const { return api_token || scopes.count(scope) > 0; }
};

using KeyList = std::vector<std::pair<std::string, PublicKey>>;  // kid ("" when none) -> key

class OktaAuth {
public:
  explicit OktaAuth(const OktaSettings& settings);

  void add_api_token(const std::string& token);
  void add_client_keys(const std::string& client_id, const KeyList& keys);
  void grant_scopes(const std::string& client_id, const std::vector<std::string>& scopes);
  // A JWKS document, a single JWK, a PEM public key or a PEM certificate.
  static std::optional<KeyList> keys_from_text(const std::string& text, std::string& error);
  static std::optional<KeyList> keys_from_jwks(const Json& jwks, std::string& error);

  static bool is_token_path(const std::string& path) { return path == "/oauth2/v1/token"; }
  // The org authorization server's metadata (/.well-known/openid-configuration,
  // /.well-known/oauth-authorization-server) and keys (/oauth2/v1/keys); nullopt for other paths.
  std::optional<SimResponse> discovery(const SimRequest& request) const;
  // Serves the token endpoint; `data` (locked by the caller) supplies keys of OIDC apps.
  SimResponse token(const SimRequest& request, TenantData& data);
  // Checks the Authorization header; returns the caller or fills `failure` (401 E0000011).
  std::optional<Caller> authenticate(const SimRequest& request, SimResponse& failure) const;
  // The 403 answer for a bearer token without `scope`.
  static SimResponse insufficient_scope(const SimRequest& request, const std::string& scope);

  Json describe() const;

private:
  SimResponse oauth_error(int status, const std::string& error, const std::string& description) const;
  KeyList keys_for(const std::string& client_id, TenantData& data) const;
  bool audience_ok(const SimRequest& request, const Json& aud) const;
  std::string issuer(const SimRequest& request) const;
  // The token endpoint's checks, in the order Okta applies them; each returns the refusal or nullopt.
  std::optional<SimResponse> check_token_form(const SimRequest& request, const QueryParams& form) const;
  std::optional<SimResponse> check_assertion_client(const Jwt& jwt, const QueryParams& form,
                                                    std::string& client_id) const;
  std::optional<SimResponse> check_assertion_signature(const Jwt& jwt, const KeyList& keys) const;
  std::optional<SimResponse> check_assertion_times(const Json& claims, double now, double& exp) const;
  std::optional<SimResponse> check_replay(const Json& claims, const std::string& client_id, double now, double exp);
  SimResponse issue_token(const SimRequest& request, const std::string& client_id,
                          const std::vector<std::string>& scopes, double now) const;

  const OktaSettings& m_settings;
  SigningKey m_signing_key;
  mutable std::mutex m_mutex;
  std::set<std::string> m_api_tokens;
  std::map<std::string, KeyList> m_client_keys;
  std::map<std::string, std::set<std::string>> m_grants;
  std::map<std::string, double> m_used_jti;  // jti -> wall-clock expiry
};

}  // namespace idp_sim::okta
