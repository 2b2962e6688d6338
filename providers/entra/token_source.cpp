// Graph access tokens, one source per `auth.method` (client secret, certificate, GitHub OIDC, access token).
#include "providers/entra/token_source.hpp"

#include <fstream>
#include <mutex>
#include <sstream>

#include "providers/common/key_material.hpp"
#include "providers/entra/client_assertion.hpp"
#include "providers/entra/json_fields.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

constexpr const char* kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

Result<std::string> read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read the " + what + " " + path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [key, value] : fields) {
    if (!body.empty()) body += '&';
    body += http::url_encode(key) + "=" + http::url_encode(value);
  }
  return body;
}

// The first line of an AADSTS error_description: the rest is trace ids and a timestamp.
std::string first_line(const std::string& text) {
  auto end = text.find_first_of("\r\n");
  return end == std::string::npos ? text : text.substr(0, end);
}

// Produces the client-authentication fields of a token request (client_secret=..., or
// client_assertion_type + client_assertion), fresh for every request.
using CredentialFields = std::function<Result<std::vector<std::pair<std::string, std::string>>>()>;

class ClientCredentialsSource final : public TokenSource {
 public:
  ClientCredentialsSource(const EntraSettings& settings, http::Client& client, TokenSourceHooks hooks,
                          CredentialFields credential)
      : m_settings(settings), m_client(client), m_hooks(std::move(hooks)), m_credential(std::move(credential)) {}

  Result<std::string> token(bool refresh) override {
    std::lock_guard lock(m_mutex);
    if (!refresh && !m_token.empty() && m_hooks.clock->now() < m_refresh_at) return m_token;
    m_token.clear();
    std::vector<std::pair<std::string, std::string>> fields = {{"client_id", m_settings.client_id},
                                                               {"scope", m_settings.token_scope()},
                                                               {"grant_type", "client_credentials"}};
    auto credential = m_credential();
    if (!credential) return fail(prefixed(credential.error()));
    for (auto& field : *credential) fields.push_back(std::move(field));

    http::Request request{"POST", m_settings.token_url(), {}, form_encode(fields)};
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
    request.headers["Accept"] = "application/json";
    auto response = m_client.send(request);
    if (!response) return fail(prefixed(response.error()));
    nlohmann::json body = nlohmann::json::parse(response->body, nullptr, false);
    std::string token = text(body, "access_token");
    if (response->status != 200 || token.empty()) {
      std::string reason = "HTTP " + std::to_string(response->status);
      if (std::string error = text(body, "error"); !error.empty()) {
        reason += " " + error;
        if (std::string description = text(body, "error_description"); !description.empty())
          reason += ": " + first_line(description);
        if (std::string trace = text(body, "trace_id"); !trace.empty()) reason += " (trace id " + trace + ")";
      }
      // A throttled or failing token endpoint is worth another try later; a refusal is not.
      ErrorCategory category = response->status == 429 || response->status >= 500
                                   ? http::category_of_status(response->status)
                                   : ErrorCategory::auth;
      return fail(category,
                  util::redact("authentication failed for target \"" + m_settings.target_name + "\" (" +
                               std::string(auth_method_name(m_settings.auth.method)) + ", client " +
                               m_settings.client_id + "): " + reason),
                  hint(body));
    }
    m_token = std::move(token);
    util::register_secret(m_token);
    long long lifetime = integer(body, "expires_in", 3599);
    long long margin = std::min(300LL, lifetime / 2);
    m_refresh_at = m_hooks.clock->now() + std::chrono::seconds(lifetime - margin);
    return m_token;
  }

 private:
  // A failure to get a token is an authentication failure, unless it may pass (throttling, a
  // dropped connection), which keeps its category.
  Error prefixed(Error error) const {
    error.summary = "authentication failed for target \"" + m_settings.target_name + "\" (" +
                    std::string(auth_method_name(m_settings.auth.method)) + "): " + error.summary;
    return error.retryable ? std::move(error) : std::move(error).with_category(ErrorCategory::auth);
  }

  std::string hint(const nlohmann::json& body) const {
    std::string error = text(body, "error");
    switch (m_settings.auth.method) {
      case AuthMethod::client_secret:
        return "check the secret in $" + m_settings.auth.secret_env + " (the secret's value, not its id)";
      case AuthMethod::certificate:
        return "check that " + m_settings.auth.certificate_file + " is registered on app " + m_settings.client_id +
               " and matches the private key";
      case AuthMethod::github_oidc:
        return "check the app's federated credential: issuer https://token.actions.githubusercontent.com, the "
               "job's subject, audience api://AzureADTokenExchange";
      default:
        return error;
    }
  }

  const EntraSettings& m_settings;
  http::Client& m_client;
  TokenSourceHooks m_hooks;
  CredentialFields m_credential;
  std::mutex m_mutex;
  std::string m_token;
  std::chrono::system_clock::time_point m_refresh_at;
};

class EnvironmentTokenSource final : public TokenSource {
 public:
  EnvironmentTokenSource(std::string token, std::string variable)
      : m_token(std::move(token)), m_variable(std::move(variable)) {}
  Result<std::string> token(bool refresh) override {
    if (refresh)
      return fail(ErrorCategory::auth, "the access token in $" + m_variable + " was rejected by Microsoft Graph",
                  "it may have expired or be meant for another resource; idform cannot renew it");
    return m_token;
  }

 private:
  std::string m_token;
  std::string m_variable;
};

Result<SigningCredential> load_certificate(const AuthSettings& auth, const EnvLookup& env) {
  std::string certificate = IDFORM_TRY(read_text_file(auth.certificate_file, "certificate"));
  std::string value = auth.key_file.empty() ? env(auth.key_file_env) : std::string();
  std::string key = IDFORM_TRY(common::read_key_material(auth.key_file, auth.key_file_env, value));
  return SigningCredential::from_pem(certificate, key);
}

// GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange with the request token.
Result<std::string> github_id_token(http::Client& client, const EnvLookup& env) {
  std::string url = env("ACTIONS_ID_TOKEN_REQUEST_URL");
  std::string request_token = env("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  if (url.empty() || request_token.empty())
    return fail(ErrorCategory::auth, "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set",
                "github_oidc works inside GitHub Actions jobs with `permissions: id-token: write`");
  util::register_secret(request_token);
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "audience=" + http::url_encode(kFederationAudience);
  http::Request request{"GET", url, {}, {}};
  request.headers["Authorization"] = "bearer " + request_token;
  request.headers["Accept"] = "application/json";
  auto response = client.send(request);
  if (!response) {
    Error error = response.error();
    error.detail = std::move(error.summary);
    error.summary = "cannot get the GitHub Actions ID token";
    return fail(std::move(error));
  }
  nlohmann::json body = nlohmann::json::parse(response->body, nullptr, false);
  std::string token = text(body, "value");
  if (response->status != 200 || token.empty())
    return fail(ErrorCategory::auth,
                "cannot get the GitHub Actions ID token: HTTP " + std::to_string(response->status));
  util::register_secret(token);
  return token;
}

}  // namespace

Result<std::unique_ptr<TokenSource>> make_token_source(const EntraSettings& settings, http::Client& client,
                                                       const TokenSourceHooks& hooks) {
  const AuthSettings& auth = settings.auth;
  const std::string where = "target \"" + settings.target_name + "\"";
  switch (auth.method) {
    case AuthMethod::access_token: {
      std::string token = hooks.env(auth.token_env);
      if (token.empty())
        return fail(ErrorCategory::auth, where + ": $" + auth.token_env + " is empty",
                    "it must hold a Graph access token");
      util::register_secret(token);
      return std::unique_ptr<TokenSource>(std::make_unique<EnvironmentTokenSource>(token, auth.token_env));
    }
    case AuthMethod::client_secret: {
      std::string secret = hooks.env(auth.secret_env);
      if (secret.empty())
        return fail(ErrorCategory::auth, where + ": $" + auth.secret_env + " is empty",
                    "it must hold the client secret");
      util::register_secret(secret);
      CredentialFields fields = [secret]() -> Result<std::vector<std::pair<std::string, std::string>>> {
        return std::vector<std::pair<std::string, std::string>>{{"client_secret", secret}};
      };
      return std::unique_ptr<TokenSource>(std::make_unique<ClientCredentialsSource>(settings, client, hooks, fields));
    }
    case AuthMethod::certificate: {
      auto credential = load_certificate(auth, hooks.env);
      if (!credential)
        return fail(ErrorCategory::auth, where + ": " + credential.error().summary, credential.error().detail);
      CredentialFields fields = [credential = *credential, &settings,
                                 hooks]() -> Result<std::vector<std::pair<std::string, std::string>>> {
        AssertionClaims claims{
            settings.client_id, settings.token_url(), hooks.clock->now(), std::chrono::seconds(600), {}};
        std::string assertion = IDFORM_TRY(build_client_assertion(credential, claims));
        util::register_secret(assertion);
        return std::vector<std::pair<std::string, std::string>>{{"client_assertion_type", kJwtBearer},
                                                                {"client_assertion", assertion}};
      };
      return std::unique_ptr<TokenSource>(std::make_unique<ClientCredentialsSource>(settings, client, hooks, fields));
    }
    case AuthMethod::github_oidc: {
      // The job's ID token lives a few minutes: fetch a fresh one for every token request.
      CredentialFields fields = [&client, hooks]() -> Result<std::vector<std::pair<std::string, std::string>>> {
        std::string assertion = IDFORM_TRY(github_id_token(client, hooks.env));
        return std::vector<std::pair<std::string, std::string>>{{"client_assertion_type", kJwtBearer},
                                                                {"client_assertion", assertion}};
      };
      return std::unique_ptr<TokenSource>(std::make_unique<ClientCredentialsSource>(settings, client, hooks, fields));
    }
  }
  return fail(where + ": unsupported auth method");
}

}  // namespace idform::providers::entra
