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
#include "reconciler/util/strings.hpp"

int main(int argc, char** argv) {
  idform::provider::Registry registry;
  registry.add("local", idform::providers::make_local_provider, {}, idform::providers::local_plugin_info());
  registry.add("entra", idform::providers::entra::make_entra_provider, idform::providers::entra::check_expressible);
  registry.add("okta", idform::providers::okta::make_okta_provider, idform::providers::okta::check_expressible);

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
