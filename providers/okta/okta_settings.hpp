#pragma once
// The settings of a `provider: okta` target, read from its idform.yaml entry.
//
// Secrets are never in idform.yaml: the API token (or a ready-made access token) comes from an
// environment variable, the service app's private key from a file or an environment variable
// naming one or holding it. `Tuning` holds the knobs of pacing, concurrency, page sizes and
// replication waits; production uses the defaults, tests turn them.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "reconciler/provider/provider.hpp"
#include "reconciler/util/result.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {

enum class AuthMethod { api_token, private_key_jwt, access_token };

struct AuthSettings {
  AuthMethod method = AuthMethod::api_token;
  std::string token_env;      // api_token, access_token
  std::string client_id;      // private_key_jwt
  std::string key_file;       // private_key_jwt (absolute), or empty when key_file_env is used
  std::string key_file_env;   // private_key_jwt: a path or the PEM key itself
  std::string key_id;         // private_key_jwt: the JWT `kid`, when the app has several keys
  std::vector<std::string> scopes;  // private_key_jwt: empty = read scopes for reads, manage for writes
};

struct Tuning {
  // Share of every rate-limit bucket left for other API users (the default: 20 %).
  double rate_limit_reserve = 0.2;
  // Requests in flight at once; Okta's org-wide concurrency limit is 75 (35 on Integrator Free).
  int max_concurrency = 8;
  // Added to every wait for a rate-limit window to reset (Okta's Reset has 1 s resolution).
  std::chrono::milliseconds reset_margin{1000};
  // Page sizes: the maximum each list endpoint documents.
  int group_page = 10000;     // listGroups: max 10000
  int member_page = 1000;     // listGroupUsers: default 1000, no documented maximum
  int app_page = 200;         // listApplications: max 200
  int assignment_page = 200;  // listApplicationGroupAssignments: 20..200
  int policy_page = 200;
  size_t user_chunk = 20;     // logins OR'ed into one users search
  // Okta is eventually consistent: how long writes retry "not found" right after a create.
  std::chrono::milliseconds consistency_budget{60000};
  std::chrono::milliseconds consistency_first_wait{500};
  std::chrono::milliseconds consistency_max_wait{5000};
  // How far before the previous read an incremental read starts reading the System Log: Okta may
  // publish an event some time after the change, and the org's clock is not ours. Re-reading an
  // object twice costs a request, missing a change a wrong plan. Tests with a time-scaled
  // simulator shorten it.
  std::chrono::seconds feed_margin{15 * 60};
};

struct OktaSettings {
  std::string target_name;
  std::string org_url;  // no trailing slash
  std::string ca_bundle;  // absolute path of a PEM file of authorities to trust; empty: the system's
  AuthSettings auth;
  Tuning tuning;
  bool verbose = false;

  std::string token_url() const { return org_url + "/oauth2/v1/token"; }
};

using EnvLookup = std::function<std::string(const std::string&)>;
// The process environment: util::environment_variable.
inline std::string process_env(const std::string& name) { return util::environment_variable(name); }

// Validates the target entry; relative key paths are taken from the config directory. `env`
// supplies the optional tuning overrides IDFORM_OKTA_RATE_LIMIT_RESERVE,
// IDFORM_OKTA_MAX_CONCURRENCY and IDFORM_OKTA_RESET_MARGIN_MS.
Result<OktaSettings> parse_settings(const provider::TargetContext& context, const EnvLookup& env = process_env);

std::string_view auth_method_name(AuthMethod method);

// The OAuth scopes idform asks for when none are configured.
const std::vector<std::string>& default_read_scopes();
const std::vector<std::string>& default_manage_scopes();

}  // namespace idform::providers::okta
