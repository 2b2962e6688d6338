// Graph access tokens, one source per `auth.method` (client secret, certificate, GitHub OIDC, access token).
#include "providers/entra/token_source.hpp"

#include <fstream>
#include <mutex>
#include <sstream>

#include "providers/common/key_material.hpp"
#include "providers/entra/client_assertion.hpp"
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
    if (!refresh && !m_token.empty() && m_hooks.now() < m_refresh_at) return m_token;
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
    if (response->status != 200 || !body.is_object() || !body.contains("access_token")) {
      std::string reason = "HTTP " + std::to_string(response->status);
      if (body.is_object() && body.contains("error")) {
        reason += " " + body.value("error", "");
        if (body.contains("error_description")) reason += ": " + first_line(body.value("error_description", ""));
        if (body.contains("trace_id")) reason += " (trace id " + body.value("trace_id", "") + ")";
      }
      return fail(util::redact("authentication failed for target \"" + m_settings.target_name + "\" (" +
                               std::string(auth_method_name(m_settings.auth.method)) + ", client " +
                               m_settings.client_id + "): " + reason),
                  hint(body));
    }
    m_token = body["access_token"].get<std::string>();
    util::register_secret(m_token);
    long long lifetime = body.value("expires_in", 3599LL);
    long long margin = std::min(300LL, lifetime / 2);
    m_refresh_at = m_hooks.now() + std::chrono::seconds(lifetime - margin);
    return m_token;
  }

 private:
  Error prefixed(Error error) const {
    error.summary = "authentication failed for target \"" + m_settings.target_name + "\" (" +
                    std::string(auth_method_name(m_settings.auth.method)) + "): " + error.summary;
    return error;
  }

  std::string hint(const nlohmann::json& body) const {
    std::string error = body.is_object() ? body.value("error", "") : "";
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
      return fail("the access token in $" + m_variable + " was rejected by Microsoft Graph",
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
    return fail("ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set",
                "github_oidc works inside GitHub Actions jobs with `permissions: id-token: write`");
  util::register_secret(request_token);
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "audience=" + http::url_encode(kFederationAudience);
  http::Request request{"GET", url, {}, {}};
  request.headers["Authorization"] = "bearer " + request_token;
  request.headers["Accept"] = "application/json";
  auto response = client.send(request);
  if (!response) return fail("cannot get the GitHub Actions ID token", response.error().summary);
  nlohmann::json body = nlohmann::json::parse(response->body, nullptr, false);
  if (response->status != 200 || !body.is_object() || !body.contains("value") || !body["value"].is_string())
    return fail("cannot get the GitHub Actions ID token: HTTP " + std::to_string(response->status));
  std::string token = body["value"].get<std::string>();
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
      if (token.empty()) return fail(where + ": $" + auth.token_env + " is empty", "it must hold a Graph access token");
      util::register_secret(token);
      return std::unique_ptr<TokenSource>(std::make_unique<EnvironmentTokenSource>(token, auth.token_env));
    }
    case AuthMethod::client_secret: {
      std::string secret = hooks.env(auth.secret_env);
      if (secret.empty()) return fail(where + ": $" + auth.secret_env + " is empty", "it must hold the client secret");
      util::register_secret(secret);
      CredentialFields fields = [secret]() -> Result<std::vector<std::pair<std::string, std::string>>> {
        return std::vector<std::pair<std::string, std::string>>{{"client_secret", secret}};
      };
      return std::unique_ptr<TokenSource>(std::make_unique<ClientCredentialsSource>(settings, client, hooks, fields));
    }
    case AuthMethod::certificate: {
      auto credential = load_certificate(auth, hooks.env);
      if (!credential) return fail(where + ": " + credential.error().summary, credential.error().detail);
      CredentialFields fields = [credential = *credential, &settings,
                                 hooks]() -> Result<std::vector<std::pair<std::string, std::string>>> {
        AssertionClaims claims{settings.client_id, settings.token_url(), hooks.now(), std::chrono::seconds(600), {}};
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
