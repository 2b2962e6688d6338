#pragma once
// Provider tests out of process. With IDFORM_TEST_OUT_OF_PROCESS=1 (ctest runs the lifecycle
// tests a second time so), a testbed that opts in has the engine talk to its provider through
// `idform provider serve NAME` and the plugin protocol instead of in-process: the same test, the
// same tenant, the target's own settings, its secrets sent in `configure`. Every message of the
// session is recorded and checked against schemas/plugin/ when the testbed ends.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "reconciler/config/project.hpp"
#include "reconciler/provider/plugin_provider.hpp"
#include "support/plugin_schemas.hpp"

namespace idform::testing {

inline bool out_of_process_requested() {
  const char* value = std::getenv("IDFORM_TEST_OUT_OF_PROCESS");
  return value && std::string(value) == "1";
}

// What a testbed gives its provider when it runs out of process.
struct OutOfProcessOptions {
  std::map<std::string, std::string> secrets;      // variable -> value, as configure carries them
  std::map<std::string, std::string> environment;  // the plugin's tuning variables
};

#ifdef IDFORM_BINARY
// `idform provider serve <target.provider>`, configured for `target`; the session is recorded to
// `record_file`. The test fails when it cannot be started or configured.
inline std::unique_ptr<provider::Provider> serve_out_of_process(const config::Target& target, const std::string& config_root,
                                                                const OutOfProcessOptions& options,
                                                                const std::string& record_file) {
  plugin::PluginCommand command{{IDFORM_BINARY, "provider", "serve", target.provider}, target.provider,
                                options.environment, record_file};
  auto started = plugin::start_plugin(command, plugin::secret_variables(target.settings));
  if (!started) FAIL(started.error().to_string());
  auto outside = std::make_unique<plugin::PluginProvider>(std::move(*started), plugin::PluginDeadlines{});
  provider::TargetContext context{target.name, target.settings, config_root, false};
  auto configured = outside->configure(context, options.secrets);
  if (!configured) FAIL(configured.error().to_string());
  return outside;
}
#endif

}  // namespace idform::testing
