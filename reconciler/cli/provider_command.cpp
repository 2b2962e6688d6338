// `idform provider serve NAME`: a built-in provider out of process, speaking the plugin protocol
// on stdin and stdout (docs/plugin-protocol.md); `idform provider test`: the conformance kit
// (conformance.cpp).

#include <ostream>

#include "reconciler/cli/commands.hpp"
#include "reconciler/provider/plugin_serve.hpp"

namespace idform::cli {

int run_provider(const Options& options, const provider::Registry& registry, Io& io) {
  const std::string action = options.positional.empty() ? "" : options.positional.front();
  if (action == "serve") {
    if (options.positional.size() != 2) {
      io.err << "error: idform provider serve needs the name of a built-in provider\n";
      return 1;
    }
    auto built_in = registry.built_in(options.positional[1]);
    if (!built_in) {
      io.err << "error: " << built_in.error().to_string() << "\n";
      return 1;
    }
    plugin::PluginDefinition definition{built_in->info, built_in->factory, built_in->check};
    return plugin::serve(definition, io.in, io.out);
  }
  if (action == "test" && options.positional.size() == 1) return run_provider_test(options, registry, io);
  io.err << "error: idform provider needs serve NAME, or test [--target T]\n";
  return 1;
}

}  // namespace idform::cli
