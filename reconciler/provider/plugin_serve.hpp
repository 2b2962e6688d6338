#pragma once
// The plugin side of the provider protocol (docs/plugin-protocol.md), for any Provider.
//
// A plugin executable's main describes itself and how to make its provider, then hands its
// stdin and stdout to serve(), which answers the handshake, creates the provider on `configure`
// (secrets arrive only there) and answers check, read and apply until `shutdown` or end of input.
// Anything the provider writes to stderr reaches the user through the host's redaction.
//
//   int main() {
//     idform::plugin::PluginDefinition plugin{info, make_my_provider, {}};
//     return idform::plugin::serve(plugin, std::cin, std::cout);
//   }

#include <iosfwd>

#include "reconciler/provider/protocol.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::plugin {

struct PluginDefinition {
  provider::protocol::PluginInfo info;
  provider::ProviderFactory factory;
  // Answers `check` before `configure` (no settings, secrets or network); when empty, `check`
  // is answered by the configured provider's check(), or with no diagnostics before configure.
  provider::CapabilityCheck check;
};

// Runs the protocol until `shutdown` or end of input. Returns the process's exit code: 0 after a
// clean shutdown or end of input, 1 when the handshake failed. `in` is read on a thread of its own
// (so that `cancel` reaches a running request), which ends with the input: serve returns once the
// host has closed it, as idform does right after `shutdown`.
int serve(const PluginDefinition& plugin, std::istream& in, std::ostream& out);

}  // namespace idform::plugin
