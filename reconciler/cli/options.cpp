// Parses the command-line options every command shares.
#include "reconciler/cli/options.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "reconciler/config/suggest.hpp"
#include "reconciler/plan/guards.hpp"
#include "reconciler/provider/read_cache.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::cli {
namespace {

// --accept takes the name of a guard; anything else is a typo that would accept nothing.
Result<void> check_guard_name(const std::string& name) {
  std::vector<std::string> names;
  for (const plan::GuardDescription& guard : plan::guard_descriptions()) names.push_back(guard.name);
  if (std::find(names.begin(), names.end(), name) != names.end()) return {};
  return fail("--accept " + name + ": there is no guard of that name" + config::did_you_mean(name, names),
              "the guards are " + util::join(names, ", ") + " (docs/guards.md)");
}

std::map<std::string, bool*> flag_options(Options& options) {
  return {
      {"--detailed-exitcode", &options.detailed_exitcode},
      {"--auto-approve", &options.auto_approve},
      {"--no-color", &options.no_color},
      {"--verbose", &options.verbose},
      {"-v", &options.verbose},
      {"--show-unmanaged", &options.show_unmanaged},
      {"--help", &options.help},
      {"-h", &options.help},
      {"--version", &options.version},
      {"--json", &options.json},
      {"--quiet", &options.quiet},
      {"-q", &options.quiet},
      {"--include-builtin", &options.include_builtin},
      {"--force", &options.force},
      {"--skip-blocked", &options.skip_blocked},
      {"--matrix", &options.matrix},
  };
}

std::map<std::string, std::string*> text_options(Options& options) {
  return {
      {"--config", &options.config_dir},   {"--target", &options.target},
      {"--out", &options.out_file},        {"--format", &options.format},
      {"--audit-log", &options.audit_log}, {"--kinds", &options.kinds},
      {"--match", &options.match},         {"--ref", &options.ref},
      {"--base", &options.base},           {"--semantics", &options.semantics},
      {"--refresh", &options.refresh},     {"--max-cache-age", &options.max_cache_age},
      {"--cache-dir", &options.cache_dir},
  };
}

bool is_checked_option(const std::string& arg) {
  return arg == "--parallelism" || arg == "--expiring-within" || arg == "--accept";
}

// The options whose value is checked as it is read (is_checked_option).
Result<void> read_checked_option(const std::string& arg, std::string text, Options& options) {
  if (arg == "--accept") {
    IDFORM_TRY(check_guard_name(text));
    options.accept.insert(text);
    return {};
  }
  const bool days = arg == "--expiring-within";
  if (days && text.ends_with("d")) text.pop_back();
  int number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  bool whole = error == std::errc{} && end == text.data() + text.size();
  if (days) {
    if (!whole || number < 0 || number > 3660)
      return fail("--expiring-within must be a number of days from 0 to 3660 (e.g. 14 or 14d), got \"" + text + "\"");
    options.expiring_within_days = number;
    return {};
  }
  if (!whole || number < 1 || number > 64)
    return fail("--parallelism must be a whole number from 1 to 64, got \"" + text + "\"");
  options.parallelism = number;
  return {};
}

// The values of text options that must be one of a few.
Result<void> check_option_values(const Options& options) {
  if (options.refresh != "auto" && options.refresh != "full" && options.refresh != "incremental")
    return fail("--refresh must be auto, full or incremental, got \"" + options.refresh + "\"");
  if (!provider::parse_age(options.max_cache_age))
    return fail("--max-cache-age must be a duration such as 7d, 12h, 30m or 0, got \"" + options.max_cache_age + "\"");
  if (options.format != "text" && options.format != "json" && options.format != "markdown")
    return fail("--format must be text, json or markdown, got \"" + options.format + "\"");
  return {};
}

}  // namespace

Result<Options> parse_options(const std::vector<std::string>& args) {
  Options options;
  const std::map<std::string, bool*> flags = flag_options(options);
  const std::map<std::string, std::string*> values = text_options(options);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string inline_value;
    bool has_inline = false;
    if (arg.starts_with("--") && arg.find('=') != std::string::npos) {
      inline_value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
      has_inline = true;
    }
    auto take_value = [&]() -> Result<std::string> {
      if (has_inline) return inline_value;
      if (i + 1 >= args.size()) return fail("option " + arg + " needs a value");
      return args[++i];
    };
    if (auto flag = flags.find(arg); flag != flags.end()) {
      if (has_inline) return fail("option " + arg + " takes no value");
      *flag->second = true;
    } else if (auto value = values.find(arg); value != values.end()) {
      *value->second = IDFORM_TRY(take_value());
    } else if (is_checked_option(arg)) {
      IDFORM_TRY(read_checked_option(arg, IDFORM_TRY(take_value()), options));
    } else if (arg.starts_with("-") && arg != "-") {
      return fail("unknown option " + arg, "run idform --help for the options");
    } else if (options.command.empty()) {
      options.command = arg;
    } else {
      options.positional.push_back(arg);
    }
  }
  IDFORM_TRY(check_option_values(options));
  return options;
}

}  // namespace idform::cli
