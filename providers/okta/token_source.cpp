// The Authorization header of Okta calls, one source per `auth.method` (API token, private_key_jwt, access token).
#include "providers/okta/token_source.hpp"

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "providers/common/key_material.hpp"
#include "providers/okta/client_assertion.hpp"
#include "providers/okta/json_fields.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

constexpr const char* kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [key, value] : fields) {
    if (!body.empty()) body += '&';
    body += http::url_encode(key) + "=" + http::url_encode(value);
  }
  return body;
}

class StaticTokenSource final : public TokenSource {
 public:
  StaticTokenSource(std::string header, std::string credential)
      : m_header(std::move(header)), m_credential(std::move(credential)) {}
  Result<std::string> authorization(Access, bool) override { return m_header; }
  bool renewable() const override { return false; }
  std::string credential() const override { return m_credential; }

 private:
  std::string m_header;
  std::string m_credential;
};

// What Okta's token endpoint said, turned into advice.
std::string hint_for(const std::string& error, const std::string& description, const OktaSettings& settings) {
  if (error == "invalid_scope")
    return "grant the scopes to the service app (Okta API Scopes tab) or list the granted ones in auth.scopes";
  if (error == "invalid_dpop_proof" || description.find("DPoP") != std::string::npos)
    return "the service app requires DPoP-bound tokens, which idform does not send; turn off \"Require Demonstrating "
           "Proof of Possession (DPoP)\" for this app";
  if (error == "invalid_client")
    return "check that the public key of the configured private key is registered on service app " +
           settings.auth.client_id + " (Public keys / JWKS), that the app uses private_key_jwt, and that org_url (" +
           settings.org_url + ") is the org the app lives in";
  return "";
}

class ServiceAppTokenSource final : public TokenSource {
 public:
  ServiceAppTokenSource(const OktaSettings& settings, http::Client& client, TokenSourceHooks hooks, SigningKey key)
      : m_settings(settings), m_client(client), m_hooks(std::move(hooks)), m_key(std::move(key)) {}

  Result<std::string> authorization(Access access, bool refresh) override {
    std::string scope = scopes_for(access);
    std::lock_guard lock(m_mutex);
    Cached& cached = m_tokens[scope];
    if (!refresh && !cached.token.empty() && m_hooks.clock->now() < cached.refresh_at) return "Bearer " + cached.token;
    cached = {};
    AssertionClaims claims{m_settings.auth.client_id, m_settings.token_url(),    m_settings.auth.key_id,
                           m_hooks.clock->now(),      std::chrono::seconds(300), {}};
    auto assertion = build_client_assertion(m_key, claims);
    if (!assertion) return fail(ErrorCategory::auth, prefix() + assertion.error().summary, assertion.error().detail);
    util::register_secret(*assertion);
    std::string body = form_encode({{"grant_type", "client_credentials"},
                                    {"scope", scope},
                                    {"client_assertion_type", kJwtBearer},
                                    {"client_assertion", *assertion}});
    http::Request request{"POST", m_settings.token_url(), {}, body};
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
    request.headers["Accept"] = "application/json";
    auto response = m_client.send(request);
    if (!response) {  // a transport failure keeps its category: it may pass
      Error error = util::redacted(response.error());
      error.summary = prefix() + error.summary;
      return fail(std::move(error));
    }
    nlohmann::json answer = nlohmann::json::parse(response->body, nullptr, false);
    if (response->status != 200 || !answer.is_object() || text(answer, "access_token").empty()) {
      std::string error = text(answer, "error");
      std::string description = text(answer, "error_description");
      std::string reason = "HTTP " + std::to_string(response->status);
      if (!error.empty()) reason += " " + error;
      if (!description.empty()) reason += ": " + description;
      if (error.empty() && answer.is_object() && answer.contains("errorCode"))
        reason += " " + text(answer, "errorCode") + ": " + text(answer, "errorSummary");
      // A throttled or failing token endpoint is worth another try later; a refusal is not.
      ErrorCategory category = response->status == 429 || response->status >= 500
                                   ? http::category_of_status(response->status)
                                   : ErrorCategory::auth;
      return fail(category, util::redact(prefix() + reason), hint_for(error, description, m_settings));
    }
    if (text(answer, "token_type") == "DPoP")
      return fail(ErrorCategory::auth, prefix() + "Okta issued a DPoP-bound token",
                  hint_for("invalid_dpop_proof", "", m_settings));
    cached.token = text(answer, "access_token");
    util::register_secret(cached.token);
    long long lifetime = common::integer(answer, "expires_in", 3600);
    long long margin = std::min(300LL, lifetime / 2);
    cached.refresh_at = m_hooks.clock->now() + std::chrono::seconds(lifetime - margin);
    return "Bearer " + cached.token;
  }

  bool renewable() const override { return true; }
  std::string credential() const override { return "service app " + m_settings.auth.client_id; }

 private:
  struct Cached {
    std::string token;
    std::chrono::system_clock::time_point refresh_at;
  };

  std::string scopes_for(Access access) const {
    if (!m_settings.auth.scopes.empty()) return util::join(m_settings.auth.scopes, " ");
    std::vector<std::string> scopes = default_read_scopes();
    if (access == Access::write)
      scopes.insert(scopes.end(), default_manage_scopes().begin(), default_manage_scopes().end());
    return util::join(scopes, " ");
  }

  std::string prefix() const {
    return "authentication failed for target \"" + m_settings.target_name + "\" (private_key_jwt, client " +
           m_settings.auth.client_id + "): ";
  }

  const OktaSettings& m_settings;
  http::Client& m_client;
  TokenSourceHooks m_hooks;
  SigningKey m_key;
  std::mutex m_mutex;
  std::map<std::string, Cached> m_tokens;  // scope list -> token
};

Result<SigningKey> load_key(const AuthSettings& auth, const EnvLookup& env) {
  std::string value = auth.key_file.empty() ? env(auth.key_file_env) : std::string();
  std::string material = IDFORM_TRY(common::read_key_material(auth.key_file, auth.key_file_env, value));
  return SigningKey::from_pem(material);
}

}  // namespace

Result<std::unique_ptr<TokenSource>> make_token_source(const OktaSettings& settings, http::Client& client,
                                                       const TokenSourceHooks& hooks) {
  const AuthSettings& auth = settings.auth;
  const std::string where = "target \"" + settings.target_name + "\"";
  switch (auth.method) {
    case AuthMethod::api_token:
    case AuthMethod::access_token: {
      std::string token = util::trim(hooks.env(auth.token_env));
      bool api = auth.method == AuthMethod::api_token;
      if (token.empty())
        return fail(
            ErrorCategory::auth, where + ": $" + auth.token_env + " is empty",
            api ? "it must hold an Okta API token (Security > API > Tokens)" : "it must hold an Okta access token");
      util::register_secret(token);
      std::string credential = std::string(api ? "the API token" : "the access token") + " in $" + auth.token_env;
      return std::unique_ptr<TokenSource>(
          std::make_unique<StaticTokenSource>((api ? "SSWS " : "Bearer ") + token, credential));
    }
    case AuthMethod::private_key_jwt: {
      auto key = load_key(auth, hooks.env);
      if (!key) return fail(ErrorCategory::auth, where + ": " + key.error().summary, key.error().detail);
      return std::unique_ptr<TokenSource>(std::make_unique<ServiceAppTokenSource>(settings, client, hooks, std::move(*key)));
    }
  }
  return fail(where + ": unsupported auth method");
}

}  // namespace idform::providers::okta
