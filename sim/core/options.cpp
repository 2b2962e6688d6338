// Parses idp-sim's command-line options, common and per flavor.
#include "core/options.hpp"

#include <cstdlib>
#include <sstream>

#include "core/http_types.hpp"

namespace idp_sim {

std::optional<std::string> SimOptions::flavor_value(const std::string& name) const {
  auto it = flavor_values.find(name);
  if (it == flavor_values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> SimOptions::flavor_values_of(const std::string& name) const {
  auto it = flavor_values.find(name);
  return it == flavor_values.end() ? std::vector<std::string>{} : it->second;
}

bool SimOptions::flavor_flag(const std::string& name) const { return flavor_values.count(name) > 0; }

namespace {

const std::vector<OptionSpec>& common_specs() {
  static const std::vector<OptionSpec> specs = {
      {"--flavor", "graph|okta", false, "API to emulate (required)"},
      {"--port", "N", false, "TCP port; 0 picks a free one (required)"},
      {"--host", "ADDR", false, "listen address, loopback only: 127.0.0.1 (default), ::1, localhost"},
      {"--seed", "DIR", true, "directory of vendor-native JSON files loaded at start (several are loaded in order)"},
      {"--time-scale", "F", false, "real seconds per vendor second (0.01 = 100x faster windows); default 1"},
      {"--consistency-delay-ms", "N", false,
       "new/deleted objects and memberships become visible to reads only after N vendor ms"},
      {"--consistency-writes", "", false, "hidden objects are also invisible to writes (404)"},
      {"--throttle", "on|off", false, "vendor rate limits (default on)"},
      {"--fault-rate", "R", false, "share 0..1 of API requests answered with a 5xx"},
      {"--fault-statuses", "LIST", false, "5xx statuses to pick from, default 500,503"},
      {"--drop-rate", "R", false, "share 0..1 of API requests whose connection is closed unanswered"},
      {"--drop-phase", "before|after|mixed", false,
       "drop before the request is processed (default), after it was applied, or either"},
      {"--slow-rate", "R", false, "share 0..1 of API requests delayed by --slow-ms (default 1 if --slow-ms given)"},
      {"--slow-ms", "N", false, "delay in vendor milliseconds for slow responses"},
      {"--fault-seed", "S", false, "seed for fault decisions; same seed + same request order = same faults"},
      {"--threads", "N", false, "worker threads (default 64; each kept-alive connection holds one until it closes or idles 5 s)"},
      {"--log-requests", "", false, "log every request to stderr"},
      {"--tls", "", false, "serve HTTPS with a certificate from an authority generated at startup"},
      {"--tls-ca-file", "FILE", false, "with --tls: write the generated authority here (default: a new file in $TMPDIR)"},
      {"--tls-cert", "FILE", false, "with --tls: serve this PEM certificate (chain) instead"},
      {"--tls-key", "FILE", false, "with --tls-cert: its PEM private key"},
      {"--help", "", false, "show this help"},
  };
  return specs;
}

double parse_double(const std::string& name, const std::string& value, double min, double max) {
  char* end = nullptr;
  double result = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || result < min || result > max) {
    std::ostringstream message;
    message << name << ": expected a number in [" << min << ", " << max << "], got '" << value << "'";
    throw OptionError(message.str());
  }
  return result;
}

long long parse_integer(const std::string& name, const std::string& value, long long min, long long max) {
  char* end = nullptr;
  long long result = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || result < min || result > max) {
    throw OptionError(name + ": expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                      "], got '" + value + "'");
  }
  return result;
}

const OptionSpec* find_spec(const std::vector<OptionSpec>& specs, const std::string& name) {
  for (const auto& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

namespace {

// Sets the common option `name` (already checked against its spec) to `v`.
void apply_common_option(const std::string& name, const std::string& v, SimOptions& options, bool& slow_rate_given) {
  if (name == "--flavor")
    options.flavor = v;
  else if (name == "--port")
    options.port = static_cast<int>(parse_integer(name, v, 0, 65535));
  else if (name == "--host")
    options.host = v;
  else if (name == "--seed") {
    options.seed_dir = v;
    options.seed_dirs.push_back(v);
  } else if (name == "--time-scale")
    options.time_scale = parse_double(name, v, 1e-6, 1e6);
  else if (name == "--consistency-delay-ms")
    options.consistency_delay_ms = parse_double(name, v, 0, 1e9);
  else if (name == "--consistency-writes")
    options.consistency_writes = true;
  else if (name == "--throttle") {
    if (v != "on" && v != "off") throw OptionError("--throttle: expected on or off, got '" + v + "'");
    options.throttle = v == "on";
  } else if (name == "--fault-rate")
    options.faults.error_rate = parse_double(name, v, 0, 1);
  else if (name == "--fault-statuses") {
    options.faults.error_statuses.clear();
    for (const auto& part : split(v, ',')) {
      options.faults.error_statuses.push_back(static_cast<int>(parse_integer(name, trim(part), 500, 599)));
    }
  } else if (name == "--drop-rate")
    options.faults.drop_rate = parse_double(name, v, 0, 1);
  else if (name == "--drop-phase") {
    if (v != "before" && v != "after" && v != "mixed") {
      throw OptionError("--drop-phase: expected before, after or mixed, got '" + v + "'");
    }
    options.faults.drop_phase = v;
  } else if (name == "--slow-rate") {
    options.faults.slow_rate = parse_double(name, v, 0, 1);
    slow_rate_given = true;
  } else if (name == "--slow-ms")
    options.faults.slow_ms = parse_double(name, v, 0, 1e9);
  else if (name == "--fault-seed") {
    options.faults.seed = static_cast<std::uint64_t>(parse_integer(name, v, 0, INT64_MAX));
  } else if (name == "--threads")
    options.threads = static_cast<int>(parse_integer(name, v, 1, 1024));
  else if (name == "--log-requests")
    options.log_requests = true;
  else if (name == "--tls")
    options.tls = true;
  else if (name == "--tls-ca-file")
    options.tls_ca_file = v;
  else if (name == "--tls-cert")
    options.tls_cert_file = v;
  else if (name == "--tls-key")
    options.tls_key_file = v;
}

// What no single option can check: required options, the flavor, loopback, TLS files, fault rates.
void check_option_combinations(SimOptions& options, const FlavorSpecLookup& flavor_specs, bool slow_rate_given) {
  if (options.flavor.empty()) throw OptionError("--flavor is required");
  if (!flavor_specs(options.flavor)) throw OptionError("unknown flavor '" + options.flavor + "'");
  if (options.port < 0) throw OptionError("--port is required (0 picks a free port)");
  if (!is_loopback_host(options.host)) {
    throw OptionError("--host " + options.host + " refused: idp-sim listens on loopback only");
  }
  bool tls_files = !options.tls_cert_file.empty() || !options.tls_key_file.empty() || !options.tls_ca_file.empty();
  if (tls_files && !options.tls) throw OptionError("--tls-cert, --tls-key and --tls-ca-file need --tls");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    throw OptionError("--tls-cert and --tls-key go together");
  }
  if (!options.tls_cert_file.empty() && !options.tls_ca_file.empty()) {
    throw OptionError("--tls-ca-file is for the generated authority; it cannot be combined with --tls-cert");
  }
  if (options.faults.slow_ms > 0 && !slow_rate_given) options.faults.slow_rate = 1.0;
  if (options.faults.error_rate + options.faults.drop_rate > 1.0) {
    throw OptionError("--fault-rate plus --drop-rate must not exceed 1");
  }
}

}  // namespace

SimOptions parse_options(int argc, const char* const* argv, FlavorSpecLookup flavor_specs, bool& help_requested) {
  help_requested = false;
  SimOptions options;
  // Pre-scan for the flavor (its options must be known before they are parsed) and --help.
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help") help_requested = true;
    if (arg == "--flavor" && i + 1 < argc) options.flavor = argv[i + 1];
    if (arg.rfind("--flavor=", 0) == 0) options.flavor = arg.substr(9);
  }
  const std::vector<OptionSpec>* flavor_option_specs =
      options.flavor.empty() ? nullptr : flavor_specs(options.flavor);
  // Main pass over argv (values may be separate arguments).
  std::map<std::string, std::string> seen;
  bool slow_rate_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg;
    std::optional<std::string> value;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const OptionSpec* spec = find_spec(common_specs(), name);
    bool is_flavor_option = false;
    if (!spec) {
      spec = flavor_option_specs ? find_spec(*flavor_option_specs, name) : nullptr;
      if (!spec) {
        if (help_requested) continue;
        throw OptionError("unknown option '" + name + "'" +
                          (options.flavor.empty() ? std::string() : " for flavor " + options.flavor));
      }
      is_flavor_option = true;
    }
    if (!spec->value_name.empty() && !value) {
      if (i + 1 >= argc) throw OptionError(name + " needs a value (" + spec->value_name + ")");
      value = argv[++i];
    }
    if (spec->value_name.empty() && value) throw OptionError(name + " takes no value");
    if (!spec->repeatable && seen.count(name)) throw OptionError(name + " given more than once");
    seen[name] = value.value_or("");
    if (is_flavor_option) {
      options.flavor_values[name].push_back(value.value_or(""));
    } else {
      apply_common_option(name, value.value_or(""), options, slow_rate_given);
    }
  }
  if (help_requested) return options;
  check_option_combinations(options, flavor_specs, slow_rate_given);
  return options;
}

std::string format_option_specs(const std::vector<OptionSpec>& specs) {
  std::ostringstream out;
  for (const auto& spec : specs) {
    std::string left = "  " + spec.name + (spec.value_name.empty() ? "" : " " + spec.value_name);
    out << left;
    if (left.size() < 34) out << std::string(34 - left.size(), ' ');
    else out << "\n" << std::string(34, ' ');
    out << spec.help << (spec.repeatable ? " (repeatable)" : "") << "\n";
  }
  return out.str();
}

std::string common_usage() {
  return "usage: idp-sim --flavor graph|okta --port N [options]\n\n"
         "A local emulator of identity-provider management APIs (see docs/idp-sim.md).\n"
         "Prints 'idp-sim listening on http://HOST:PORT' (https with --tls) on stdout once it accepts\n"
         "connections; with a generated authority, the next line names its file: 'idp-sim CA certificate: FILE'.\n\n"
         "Common options:\n" +
         format_option_specs(common_specs());
}

}  // namespace idp_sim
