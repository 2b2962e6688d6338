// Reads and checks the settings of a `provider: okta` target.
#include "providers/okta/okta_settings.hpp"

#include <cstdlib>
#include <filesystem>

#include "reconciler/http/client.hpp"

namespace idform::providers::okta {
namespace {

constexpr const char* kDefaultTokenEnv = "IDFORM_OKTA_API_TOKEN";

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string absolute_path(const std::string& path, const std::string& root) {
  std::filesystem::path file(path);
  if (file.is_relative() && !root.empty()) file = std::filesystem::path(root) / file;
  return file.string();
}

std::string text_of(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

// A number from the target entry or an environment override (the override wins).
Result<double> tuning_number(const nlohmann::json& rate_limit, const char* key, const std::string& variable,
                             const EnvLookup& env, double fallback, double low, double high, const std::string& where) {
  double value = fallback;
  std::string source = std::string("rate_limit.") + key;
  if (rate_limit.is_object() && rate_limit.contains(key)) {
    if (!rate_limit[key].is_number()) return fail(where + ": " + source + " must be a number");
    value = rate_limit[key].get<double>();
  }
  if (std::string text = env ? env(variable) : ""; !text.empty()) {
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    source = "$" + variable;
    if (*end != '\0') return fail(where + ": " + source + " must be a number", "got \"" + text + "\"");
  }
  if (value < low || value > high)
    return fail(where + ": " + source + " must be between " + std::to_string(low) + " and " + std::to_string(high));
  return value;
}

}  // namespace

std::string_view auth_method_name(AuthMethod method) {
  switch (method) {
    case AuthMethod::api_token: return "api_token";
    case AuthMethod::private_key_jwt: return "private_key_jwt";
    case AuthMethod::access_token: return "access_token";
  }
  return "api_token";
}

const std::vector<std::string>& default_read_scopes() {
  static const std::vector<std::string> scopes = {"okta.groups.read", "okta.users.read", "okta.apps.read",
                                                  "okta.policies.read", "okta.networkZones.read"};
  return scopes;
}

const std::vector<std::string>& default_manage_scopes() {
  static const std::vector<std::string> scopes = {"okta.groups.manage", "okta.apps.manage", "okta.policies.manage",
                                                  "okta.networkZones.manage"};
  return scopes;
}

Result<OktaSettings> parse_settings(const provider::TargetContext& context, const EnvLookup& env) {
  const nlohmann::json& settings = context.settings;
  const std::string where = "target \"" + context.target_name + "\" (provider okta)";

  OktaSettings out;
  out.target_name = context.target_name;
  out.verbose = context.verbose;
  out.org_url = without_trailing_slash(text_of(settings, "org_url"));
  if (out.org_url.empty()) return fail(where + ": org_url is required", "such as https://acme.okta.com");
  if (!http::url_allowed(out.org_url + "/"))
    return fail(where + ": org_url must be an https:// URL", "got \"" + out.org_url + "\" (plain http only to loopback)");

  if (std::string bundle = text_of(settings, "ca_bundle"); !bundle.empty()) {
    std::filesystem::path file(bundle);
    if (file.is_relative() && !context.config_root.empty()) file = std::filesystem::path(context.config_root) / file;
    out.ca_bundle = file.string();
    if (!std::filesystem::is_regular_file(file)) return fail(where + ": ca_bundle " + out.ca_bundle + " is not a readable file");
  }

  const nlohmann::json auth = settings.is_object() ? settings.value("auth", nlohmann::json::object())
                                                   : nlohmann::json::object();
  std::string method = text_of(auth, "method");
  AuthSettings& a = out.auth;
  if (method == "api_token" || method == "access_token") {
    a.method = method == "api_token" ? AuthMethod::api_token : AuthMethod::access_token;
    a.token_env = text_of(auth, "token_env");
    if (a.token_env.empty() && a.method == AuthMethod::api_token) a.token_env = kDefaultTokenEnv;
    if (a.token_env.empty()) return fail(where + ": auth.token_env is required for access_token");
  } else if (method == "private_key_jwt") {
    a.method = AuthMethod::private_key_jwt;
    a.client_id = text_of(auth, "client_id");
    a.key_file = text_of(auth, "key_file");
    a.key_file_env = text_of(auth, "key_file_env");
    a.key_id = text_of(auth, "key_id");
    if (a.client_id.empty()) return fail(where + ": auth.client_id (the service app's client id) is required for private_key_jwt");
    if (a.key_file.empty() && a.key_file_env.empty())
      return fail(where + ": auth.key_file or auth.key_file_env is required for private_key_jwt");
    if (!a.key_file.empty()) a.key_file = absolute_path(a.key_file, context.config_root);
    if (auth.contains("scopes") && auth["scopes"].is_array())
      for (const auto& scope : auth["scopes"])
        if (scope.is_string() && !scope.get<std::string>().empty()) a.scopes.push_back(scope.get<std::string>());
  } else {
    return fail(where + ": auth.method must be api_token, private_key_jwt or access_token",
                method.empty() ? "auth.method is missing" : "got \"" + method + "\"");
  }

  const nlohmann::json rate_limit = settings.is_object() ? settings.value("rate_limit", nlohmann::json())
                                                         : nlohmann::json();
  out.tuning.rate_limit_reserve = IDFORM_TRY(tuning_number(rate_limit, "reserve", "IDFORM_OKTA_RATE_LIMIT_RESERVE", env,
                                                           out.tuning.rate_limit_reserve, 0.0, 0.9, where));
  out.tuning.max_concurrency = static_cast<int>(IDFORM_TRY(tuning_number(
      rate_limit, "max_concurrency", "IDFORM_OKTA_MAX_CONCURRENCY", env, out.tuning.max_concurrency, 1, 75, where)));
  // A time-scaled simulator shortens Okta's minute; the margin added to every reset must shrink
  // with it or it dominates the wait (bench/run.sh).
  out.tuning.reset_margin = std::chrono::milliseconds(static_cast<long long>(
      IDFORM_TRY(tuning_number(rate_limit, "reset_margin_ms", "IDFORM_OKTA_RESET_MARGIN_MS", env,
                               static_cast<double>(out.tuning.reset_margin.count()), 0, 5000, where))));
  // How long a write retries "not found" after a create; a time-scaled emulator needs far less
  // (the conformance kit's tests).
  out.tuning.consistency_budget = std::chrono::milliseconds(static_cast<long long>(
      IDFORM_TRY(tuning_number(nlohmann::json(), "", "IDFORM_OKTA_CONSISTENCY_BUDGET_MS", env,
                               static_cast<double>(out.tuning.consistency_budget.count()), 1, 600000, where))));
  out.tuning.consistency_first_wait = std::min(out.tuning.consistency_first_wait, out.tuning.consistency_budget / 10);
  out.tuning.consistency_max_wait = std::min(out.tuning.consistency_max_wait, out.tuning.consistency_budget / 4);
  return out;
}

}  // namespace idform::providers::okta
