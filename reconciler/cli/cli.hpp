#pragma once
// The command-line interface. main() builds the provider registry and calls run().

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "reconciler/provider/provider.hpp"

namespace idform::cli {

// The process's terminal and environment, injected so tests can drive the CLI in-process.
struct Io {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  bool in_tty = false;
  bool out_tty = false;
  bool err_tty = false;
  std::function<std::string(const std::string&)> env;  // "" when unset
};

// Exit codes: 0 ok, 1 error, 2 changes present (plan --detailed-exitcode) or drift (drift).
int run(const std::vector<std::string>& args, const provider::Registry& registry, Io& io);

}  // namespace idform::cli
