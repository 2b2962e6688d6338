// `cli::run`: parses the command line and dispatches to the command.
#include "reconciler/cli/cli.hpp"

#include <ostream>

#include "reconciler/cli/build_info.hpp"
#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/help.hpp"
#include "reconciler/util/interrupt.hpp"

namespace idform::cli {

bool use_color(const Options& options, const Io& io) {
  if (options.no_color) return false;
  if (io.env && !io.env("NO_COLOR").empty()) return false;
  return io.out_tty;
}

namespace {

int dispatch(const Options& options, const provider::Registry& registry, Io& io) {
  if (options.command == "validate") return run_validate(options, registry, io);
  if (options.command == "plan") return run_plan(options, registry, io);
  if (options.command == "apply") return run_apply(options, registry, io);
  if (options.command == "drift") return run_drift(options, registry, io);
  if (options.command == "import") return run_import(options, registry, io);
  if (options.command == "whatif") return run_whatif(options, io);
  if (options.command == "show") return run_show(options, io);
  if (options.command == "provider") return run_provider(options, registry, io);
  return 1;
}

}  // namespace

int run(const std::vector<std::string>& args, const provider::Registry& registry, Io& io) {
  Result<Options> parsed = parse_options(args);
  if (!parsed) {
    io.err << "error: " << parsed.error().to_string() << "\n";
    return 1;
  }
  const Options& options = *parsed;
  if (options.version || (options.command == "version" && !options.help)) {
    io.out << (options.json ? version_info().dump(2) + "\n" : version_text());
    return 0;
  }
  std::string_view help = help_text(options.command);
  if (options.help || options.command.empty() || options.command == "help") {
    std::string_view topic = options.command == "help" && !options.positional.empty()
                                 ? help_text(options.positional.front())
                                 : help;
    io.out << (topic.empty() ? help_text("") : topic);
    return options.command.empty() && !options.help ? 1 : 0;
  }
  if (help.empty()) {
    io.err << "error: unknown command \"" << options.command << "\"\n\n" << help_text("");
    return 1;
  }
  int code = dispatch(options, registry, io);
  // Interrupted (Ctrl-C, SIGTERM): whatever the command got to, it stopped early; say so, with
  // the exit code that tells a script (util/interrupt.hpp).
  if (util::interrupted()) {
    if (code != util::kInterruptedExitCode)
      io.err << "error: interrupted; idform stopped before " << options.command << " finished\n";
    return util::kInterruptedExitCode;
  }
  return code;
}

}  // namespace idform::cli
