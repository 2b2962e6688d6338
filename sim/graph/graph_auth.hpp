#pragma once
// The Microsoft identity platform side of the Graph flavor:
//  - POST {authority}/{tenant}/oauth2/v2.0/token, client credentials grant, authenticated by a
//    client secret (form field or HTTP Basic), a certificate-signed client assertion (RS256 or
//    PS256, x5t or x5t#S256 header, aud/iss/sub/exp/nbf checks), or a federated assertion from an
//    external issuer (e.g. GitHub Actions OIDC) matched against a federatedIdentityCredential and
//    verified with the issuer's JWKS; errors as AADSTS bodies (ENTRA-DOCS
//    v2-oauth2-client-creds-grant-flow.md, certificate-credentials.md, workload-identity-federation).
//  - Bearer-token checks on every Graph call (401 InvalidAuthenticationToken).
// Credentials come from the tenant (application keyCredentials / passwordCredentials /
// federatedIdentityCredentials, so the seed registers them) and from command-line options.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/http_types.hpp"
#include "core/jwt.hpp"
#include "core/object_store.hpp"
#include "core/signing_key.hpp"
#include "graph/graph_settings.hpp"

namespace idp_sim::graph {

struct Caller {
  std::string app_id;
  std::string tenant_id;
};

struct OidcIssuer {
  std::string issuer;
  std::vector<std::pair<std::string, PublicKey>> keys;  // kid -> key ("" when the JWKS has no kid)
};

class GraphAuth {
public:
  explicit GraphAuth(const GraphSettings& settings);

  void add_client_secret(const std::string& app_id, const std::string& secret);
  void add_client_certificate(const std::string& app_id, const Certificate& certificate);
  void add_issuer(OidcIssuer issuer);
  // Parses a JWKS document ({"keys": [...]}) or a PEM certificate into an issuer's keys.
  static std::optional<OidcIssuer> issuer_from_text(const std::string& issuer, const std::string& text,
                                                    std::string& error);

  // True when the path is "{prefix}/{tenant}/oauth2/v2.0/token"; sets `tenant`.
  bool is_token_path(const std::string& path, std::string& tenant) const;
  // "{prefix}/{tenant}/v2.0/.well-known/openid-configuration" and "{prefix}/{tenant}/discovery/v2.0/keys"
  // (OIDC discovery, JWKS): the document, or nullopt when the path is neither.
  std::optional<SimResponse> discovery(const SimRequest& request) const;
  // Serves the token endpoint. `data` is the tenant (caller holds the tenant lock).
  SimResponse token(const SimRequest& request, const std::string& tenant, TenantData& data);
  // Checks the Authorization header; returns the caller or a 401 response.
  std::optional<Caller> authenticate(const SimRequest& request, SimResponse& failure) const;

  Json describe() const;

private:
 // Who asks for a token: the client id, and the secret when one was sent (form or HTTP Basic).
 struct TokenClient {
   std::string id;
   std::optional<std::string> secret;
 };
 struct AppCredentials {
   bool known = false;  // an application object or a command-line registration exists
   std::vector<std::string> secrets;
   std::vector<Certificate> certificates;
   std::vector<Json> federated;  // federatedIdentityCredentials objects
 };
 // A client assertion's exp and nbf against the clock, read once per request.
 struct AssertionTimes {
   double now = 0;
   bool has_exp = false;
   bool has_nbf = false;
   double exp = 0;
   double nbf = 0;
   bool valid() const;  // within exp and nbf, give or take the accepted clock skew
 };

  SimResponse oauth_error(int status, const std::string& error, int code, const std::string& description) const;
  SimResponse issue_token(const std::string& app_id) const;
  bool audience_ok(const SimRequest& request, const std::string& tenant, const Json& aud) const;
  // The checks before any credential is looked at: method, tenant, grant type, client id, scope.
  std::optional<SimResponse> check_token_request(const SimRequest& request, const std::string& tenant,
                                                 const QueryParams& form, TokenClient& client) const;
  AppCredentials credentials_of(const std::string& client_id, TenantData& data);  // caller holds m_mutex
  SimResponse time_range_error(const AssertionTimes& times) const;
  SimResponse certificate_grant(const SimRequest& request, const std::string& tenant, const Jwt& jwt,
                                const std::string& client_id, const std::vector<Certificate>& certificates,
                                const AssertionTimes& times) const;
  SimResponse federated_grant(const Jwt& jwt, const std::string& client_id, const std::vector<Json>& federated,
                              const AssertionTimes& times) const;

  GraphSettings m_settings;
  SigningKey m_signing_key;
  mutable std::mutex m_mutex;
  std::map<std::string, std::vector<std::string>> m_secrets;           // by app id (lower case)
  std::map<std::string, std::vector<Certificate>> m_certificates;      // by app id (lower case)
  std::vector<OidcIssuer> m_issuers;
};

}  // namespace idp_sim::graph
