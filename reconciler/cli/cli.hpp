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
  // The process ends as soon as run() returns (the executable; not tests driving the CLI
  // in-process): a command may then leave what it loaded to the operating system rather than
  // free it piece by piece.
  bool process_ends_after = false;
};

// Exit codes: 0 ok, 1 error, 2 changes present (plan --detailed-exitcode) or drift (drift).
int run(const std::vector<std::string>& args, const provider::Registry& registry, Io& io);

}  // namespace idform::cli
