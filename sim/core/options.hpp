#pragma once
// Command-line options. Common options are typed fields of SimOptions; each flavor declares its
// own options (OptionSpec) and reads their raw values from SimOptions::flavor_values, so adding a
// flavor never touches the common parser.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace idp_sim {

struct OptionSpec {
  std::string name;        // "--client"
  std::string value_name;  // "ID:SECRET"; empty for a flag without a value
  bool repeatable = false;
  std::string help;
};

struct FaultOptions {
  double error_rate = 0;                  // share of requests answered with a 5xx
  std::vector<int> error_statuses{500, 503};
  double drop_rate = 0;                   // share of requests whose connection is closed unanswered
  std::string drop_phase = "before";      // before | after (the request was processed) | mixed
  double slow_rate = 0;                   // share of requests delayed by slow_ms
  double slow_ms = 0;                     // virtual milliseconds
  std::uint64_t seed = 1;
};

struct SimOptions {
  std::string flavor;
  std::string host = "127.0.0.1";
  int port = -1;
  std::string seed_dir;                 // the last --seed (kept for flavors that take one)
  std::vector<std::string> seed_dirs;   // every --seed, in order
  double time_scale = 1.0;
  double consistency_delay_ms = 0;  // virtual milliseconds
  bool consistency_writes = false;  // hidden objects are also invisible to writes
  bool throttle = true;
  int threads = 64;
  bool log_requests = false;
  bool tls = false;              // serve HTTPS
  std::string tls_cert_file;     // PEM; empty: generate an authority and a certificate at startup
  std::string tls_key_file;
  std::string tls_ca_file;       // where the generated authority is written; empty: a temporary file
  FaultOptions faults;
  std::map<std::string, std::vector<std::string>> flavor_values;  // by option name

  std::optional<std::string> flavor_value(const std::string& name) const;
  std::vector<std::string> flavor_values_of(const std::string& name) const;
  bool flavor_flag(const std::string& name) const;
};

class OptionError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Parses argv. `flavor_specs(flavor)` returns the options a flavor accepts (nullptr: unknown
// flavor). Throws OptionError with a message fit for the user. `help_requested` is set for --help.
using FlavorSpecLookup = const std::vector<OptionSpec>* (*)(const std::string& flavor);
SimOptions parse_options(int argc, const char* const* argv, FlavorSpecLookup flavor_specs,
                         bool& help_requested);

std::string common_usage();
std::string format_option_specs(const std::vector<OptionSpec>& specs);
bool is_loopback_host(const std::string& host);

}  // namespace idp_sim
