#pragma once
// The settings of an `provider: entra` target, read from its idform.yaml entry.
//
// Secrets are never in idform.yaml: the client secret and access token come from environment
// variables, the certificate key from a file (or an environment variable naming one or holding
// it). `Tuning` holds the knobs tests turn (pacing of the conditional access API, concurrency,
// how long to wait for replication); production uses the defaults.

#include <chrono>
#include <functional>
#include <string>

#include "reconciler/provider/provider.hpp"
#include "reconciler/util/result.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {

enum class AuthMethod { client_secret, certificate, github_oidc, access_token };

struct AuthSettings {
  AuthMethod method = AuthMethod::client_secret;
  std::string secret_env;        // client_secret
  std::string certificate_file;  // certificate (absolute)
  std::string key_file;          // certificate (absolute), or empty when key_file_env is used
  std::string key_file_env;      // certificate: a path or the PEM key itself
  std::string token_env;         // access_token
};

struct Tuning {
  // Graph allows 1 request/second per tenant for conditional access and named locations.
  std::chrono::milliseconds policy_interval{1000};
  int batches_in_flight = 4;
  // Graph refills its resource-unit budget over 10 s; the $batch pacer's model of the budget
  // uses it. A time-scaled simulator shortens it ($IDFORM_ENTRA_RU_WINDOW_MS, bench/run.sh).
  std::chrono::milliseconds resource_unit_window{10000};
  // How long a write keeps retrying "not found" right after a create (replication delay).
  std::chrono::milliseconds consistency_budget{120000};
  std::chrono::milliseconds consistency_first_wait{500};
  std::chrono::milliseconds consistency_max_wait{10000};
  // After a create whose answer was lost, how long to look for the object before creating it
  // again: long enough for a new object to replicate, or it would be created twice.
  std::chrono::milliseconds adopt_window{15000};
  // How far before the previous read an incremental read starts reading the directory audit log:
  // Entra records an entry some minutes after the change, and clocks differ. Re-reading an object
  // twice costs a request, missing a change a wrong plan. Tests with a time-scaled simulator
  // shorten it.
  std::chrono::seconds feed_margin{15 * 60};
};

struct EntraSettings {
  std::string target_name;
  std::string tenant_id;
  std::string client_id;
  std::string graph_endpoint = "https://graph.microsoft.com/v1.0";  // no trailing slash
  std::string authority = "https://login.microsoftonline.com";      // no trailing slash
  std::string ca_bundle;  // absolute path of a PEM file of authorities to trust; empty: the system's
  AuthSettings auth;
  Tuning tuning;
  bool verbose = false;

  std::string token_url() const;    // {authority}/{tenant}/oauth2/v2.0/token
  std::string token_scope() const;  // {graph resource}/.default
};

using EnvLookup = std::function<std::string(const std::string&)>;
// The process environment: util::environment_variable.
inline std::string process_env(const std::string& name) { return util::environment_variable(name); }

// Validates the target entry; relative file paths are taken from the config directory.
Result<EntraSettings> parse_settings(const provider::TargetContext& context);

std::string_view auth_method_name(AuthMethod method);

}  // namespace idform::providers::entra
