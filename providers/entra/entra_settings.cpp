// Reads and checks the settings of a `provider: entra` target.
#include "providers/entra/entra_settings.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string absolute_path(const std::string& path, const std::string& root) {
  std::filesystem::path file(path);
  if (file.is_relative() && !root.empty()) file = std::filesystem::path(root) / file;
  return file.string();
}

// The hosts of Microsoft Graph in the public and national clouds: the token scope is the host's
// own resource identifier. Any other endpoint (a proxy, a test double) still belongs to the
// public cloud's resource.
constexpr const char* kGraphHosts[] = {"graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us",
                                       "microsoftgraph.chinacloudapi.cn"};

}  // namespace

std::string_view auth_method_name(AuthMethod method) {
  switch (method) {
    case AuthMethod::client_secret: return "client_secret";
    case AuthMethod::certificate: return "certificate";
    case AuthMethod::github_oidc: return "github_oidc";
    case AuthMethod::access_token: return "access_token";
  }
  return "client_secret";
}

std::string EntraSettings::token_url() const { return authority + "/" + tenant_id + "/oauth2/v2.0/token"; }

std::string EntraSettings::token_scope() const {
  for (const char* host : kGraphHosts) {
    std::string origin = std::string("https://") + host;
    if (graph_endpoint == origin || graph_endpoint.starts_with(origin + "/")) return origin + "/.default";
  }
  return "https://graph.microsoft.com/.default";
}

namespace {

std::string text_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

// The `auth:` block: the method and what it needs.
Result<void> parse_auth(const nlohmann::json& auth, const std::string& where, const std::string& config_root,
                        AuthSettings& a) {
  std::string method = text_at(auth, "method");
  if (method == "client_secret") {
    a.method = AuthMethod::client_secret;
    a.secret_env = text_at(auth, "secret_env");
    if (a.secret_env.empty()) return fail(where + ": auth.secret_env is required for client_secret");
  } else if (method == "certificate") {
    a.method = AuthMethod::certificate;
    a.certificate_file = text_at(auth, "certificate_file");
    a.key_file = text_at(auth, "key_file");
    a.key_file_env = text_at(auth, "key_file_env");
    if (a.certificate_file.empty()) return fail(where + ": auth.certificate_file is required for certificate");
    if (a.key_file.empty() && a.key_file_env.empty())
      return fail(where + ": auth.key_file or auth.key_file_env is required for certificate");
    a.certificate_file = absolute_path(a.certificate_file, config_root);
    if (!a.key_file.empty()) a.key_file = absolute_path(a.key_file, config_root);
  } else if (method == "github_oidc") {
    a.method = AuthMethod::github_oidc;
  } else if (method == "access_token") {
    a.method = AuthMethod::access_token;
    a.token_env = text_at(auth, "token_env");
    if (a.token_env.empty()) return fail(where + ": auth.token_env is required for access_token");
  } else {
    return fail(where + ": auth.method must be client_secret, certificate, github_oidc or access_token",
                method.empty() ? "auth.method is missing" : "got \"" + method + "\"");
  }
  return {};
}

// $NAME as a number of milliseconds from 1 to `most`; nullopt when unset.
Result<std::optional<std::chrono::milliseconds>> milliseconds_from_env(const char* name, double most,
                                                                       const std::string& where) {
  std::string value = util::environment_variable(name);
  if (value.empty()) return std::nullopt;
  char* end = nullptr;
  double milliseconds = std::strtod(value.c_str(), &end);
  if (*end != '\0' || milliseconds < 1 || milliseconds > most)
    return fail(where + ": $" + name + " must be a number of milliseconds from 1 to " +
                    std::to_string(static_cast<long long>(most)),
                "got \"" + value + "\"");
  return std::chrono::milliseconds(static_cast<long long>(milliseconds));
}

// Timings an emulator whose clock runs faster than Graph's needs shorter: the resource-unit
// window, the spacing of conditional access calls (Graph allows one a second), and how long a
// write retries "not found" after a create (Graph's two minutes; the conformance kit's tests).
Result<void> read_tuning_overrides(const std::string& where, Tuning& tuning) {
  if (auto window = IDFORM_TRY(milliseconds_from_env("IDFORM_ENTRA_RU_WINDOW_MS", 600000, where)))
    tuning.resource_unit_window = *window;
  if (auto interval = IDFORM_TRY(milliseconds_from_env("IDFORM_ENTRA_POLICY_INTERVAL_MS", 60000, where)))
    tuning.policy_interval = *interval;
  if (auto budget = IDFORM_TRY(milliseconds_from_env("IDFORM_ENTRA_CONSISTENCY_BUDGET_MS", 600000, where))) {
    tuning.consistency_budget = *budget;
    tuning.consistency_first_wait = std::min(tuning.consistency_first_wait, tuning.consistency_budget / 10);
    tuning.consistency_max_wait = std::min(tuning.consistency_max_wait, tuning.consistency_budget / 4);
  }
  return {};
}

}  // namespace

Result<EntraSettings> parse_settings(const provider::TargetContext& context) {
  const nlohmann::json& settings = context.settings;
  const std::string where = "target \"" + context.target_name + "\" (provider entra)";
  EntraSettings out;
  out.target_name = context.target_name;
  out.verbose = context.verbose;
  out.tenant_id = text_at(settings, "tenant_id");
  out.client_id = text_at(settings, "client_id");
  if (out.tenant_id.empty()) return fail(where + ": tenant_id is required");
  if (std::string endpoint = text_at(settings, "graph_endpoint"); !endpoint.empty())
    out.graph_endpoint = without_trailing_slash(endpoint);
  if (std::string authority = text_at(settings, "authority"); !authority.empty())
    out.authority = without_trailing_slash(authority);
  if (std::string bundle = text_at(settings, "ca_bundle"); !bundle.empty()) {
    out.ca_bundle = absolute_path(bundle, context.config_root);
    if (!std::filesystem::is_regular_file(out.ca_bundle))
      return fail(where + ": ca_bundle " + out.ca_bundle + " is not a readable file");
  }
  // A bare Graph host means its v1.0 API, the only version idform speaks.
  for (const char* host : kGraphHosts)
    if (out.graph_endpoint == std::string("https://") + host) out.graph_endpoint += "/v1.0";
  const nlohmann::json auth = settings.value("auth", nlohmann::json::object());
  IDFORM_TRY(parse_auth(auth, where, context.config_root, out.auth));
  if (out.client_id.empty() && out.auth.method != AuthMethod::access_token)
    return fail(where + ": client_id is required for " + text_at(auth, "method"));
  IDFORM_TRY(read_tuning_overrides(where, out.tuning));
  return out;
}

}  // namespace idform::providers::entra
