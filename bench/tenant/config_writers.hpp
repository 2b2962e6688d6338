#pragma once
// Writers of the idform side: a config tree (idform.yaml plus groups/, apps/, policies/,
// locations/) describing the tenant exactly, and for the sandbox provider the tenant file itself.

#include <filesystem>
#include <string>

#include "bench/tenant/tenant_model.hpp"

namespace bench {

enum class Dialect { local, entra, okta };

struct ConfigOptions {
  Dialect dialect = Dialect::local;
  // entra / okta: the simulator's base URL; run.sh rewrites this placeholder with the real port.
  std::string sim_url = "http://127.0.0.1:1";
  // Deliberate differences from the tenant, for the apply benchmark: groups only in the config
  // (creates, with members) and groups whose description differs (updates).
  int new_groups = 0;
  int changed_descriptions = 0;
};

// The secret / token environment variables the generated idform.yaml names.
inline constexpr const char* kSecretEnv = "IDFORM_BENCH_CLIENT_SECRET";
inline constexpr const char* kOktaTokenEnv = "IDFORM_BENCH_OKTA_TOKEN";

void write_config(const Tenant& tenant, const ConfigOptions& options, const std::filesystem::path& directory);

// The sandbox file (format idform-sandbox/1) holding the tenant, references by id.
void write_sandbox(const Tenant& tenant, const std::filesystem::path& file);

}  // namespace bench
