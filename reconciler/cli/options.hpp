#pragma once
// Command-line options shared by every command.

#include <set>
#include <string>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::cli {

struct Options {
  std::string command;  // validate, plan, apply, drift, import, show, version
  std::string config_dir = ".";
  std::string target;
  std::string out_file;
  std::string format = "text";  // text | json | markdown
  bool detailed_exitcode = false;
  bool auto_approve = false;
  bool no_color = false;
  bool verbose = false;
  bool show_unmanaged = false;
  bool help = false;
  bool version = false;
  bool json = false;   // version --json
  bool quiet = false;  // no progress on stderr
  int parallelism = 4;
  int expiring_within_days = 14;  // --expiring-within DAYS
  // plan, drift: the snapshot cache of incremental reads (docs/incremental.md)
  std::string refresh = "auto";  // auto | full | incremental
  std::string max_cache_age = "7d";
  std::string cache_dir;  // default: .idform/cache under the config directory
  bool skip_blocked = false;      // apply: apply what no guard blocks, hold back the rest
  std::set<std::string> accept;
  std::string audit_log;
  // import
  std::string kinds;
  std::string match;
  bool include_builtin = false;
  bool force = false;
  // whatif
  std::string ref, base, semantics;
  bool matrix = false;
  std::vector<std::string> positional;
};

Result<Options> parse_options(const std::vector<std::string>& args);

}  // namespace idform::cli
