// The idform executable: registers the built-in providers and hands over to the CLI.

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "providers/entra/capabilities.hpp"
#include "providers/entra/entra_provider.hpp"
#include "providers/local/local_provider.hpp"
#include "providers/okta/capabilities.hpp"
#include "providers/okta/okta_provider.hpp"
#include "reconciler/cli/cli.hpp"
#include "reconciler/util/interrupt.hpp"
#include "reconciler/util/strings.hpp"

int main(int argc, char** argv) {
  idform::provider::Registry registry;
  registry.add("local", idform::providers::make_local_provider, {}, idform::providers::local_plugin_info());
  // What the cloud providers say of themselves (in `idform provider serve`'s handshake too): every
  // kind and field (their checks say what they cannot express), that they read incrementally, and
  // the schema of their settings (providers/NAME/settings.schema.json).
  auto cloud_info = [](std::string name, nlohmann::json settings_schema) {
    idform::provider::protocol::PluginInfo info;
    info.name = std::move(name);
    info.capabilities = idform::provider::protocol::full_capabilities(
        {std::begin(idform::model::kAllKinds), std::end(idform::model::kAllKinds)});
    info.capabilities.checks = true;
    info.capabilities.incremental_read = true;
    info.settings_schema = std::move(settings_schema);
    return info;
  };
  registry.add("entra", idform::providers::entra::make_entra_provider, idform::providers::entra::check_expressible,
               cloud_info("entra", idform::providers::entra::settings_schema()));
  registry.add("okta", idform::providers::okta::make_okta_provider, idform::providers::okta::check_expressible,
               cloud_info("okta", idform::providers::okta::settings_schema()));

  idform::util::install_interrupt_handlers();
  idform::cli::Io io{std::cout, std::cerr, std::cin, isatty(0) == 1, isatty(1) == 1, isatty(2) == 1,
                     idform::util::environment_variable, true};
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return idform::cli::run(args, registry, io);
  } catch (const std::exception& error) {
    // Third-party code may throw; the user gets a message and exit code 1, never a crash.
    std::cerr << "error: internal error: " << error.what() << "\n";
    return 1;
  }
}
