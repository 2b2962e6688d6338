#pragma once
// `idform import`: the live tenant written out as a clean config tree that validates and plans to
// zero changes, whatever the tenant holds. What idform cannot manage is left out of the files —
// left unmanaged, which is why the plan stays empty — and said twice: in a comment at the top of
// the file concerned and in the report.

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "reconciler/provider/provider.hpp"
#include "reconciler/util/result.hpp"

namespace idform::importer {

struct ImportOptions {
  std::filesystem::path out;          // the config directory to write into
  std::set<model::Kind> kinds;        // empty = all
  std::string match;                  // ECMAScript regex on names; empty = all
  bool include_builtin = false;
  bool force = false;                 // overwrite existing files
  std::string idform_yaml;            // written as idform.yaml when out has none; empty = don't
  // The provider's check of a config (Provider::check): what it reports in the written files is
  // left out like what validate reports. Optional.
  std::function<Diagnostics(const model::DesiredState&)> provider_check;
  // Called now and then with (objects written, objects in all). Optional.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct ImportReport {
  std::vector<std::filesystem::path> written;  // relative to out, sorted
  int skipped_builtin = 0;
  int skipped_filtered = 0;
  int builtin_referenced = 0;          // built-in objects written as name and id only
  std::vector<std::string> warnings;   // shared names and the like
  std::vector<std::string> left_out;   // "file: field: why" for every field idform cannot manage
  std::vector<std::string> not_written;  // "address (id): why" for objects idform cannot manage
  Diagnostics findings;                // what validate still reports (emergency access not excluded)
  std::size_t validation_warnings = 0;  // values the vendor accepts that validate warns about
};

// The file name (without directory) for an object name: lower-case, [a-z0-9._-] only, dashes
// collapsed, at most 80 characters, never empty, hidden, "." / "..", or a name Windows reserves.
std::string safe_file_name(std::string_view name);

// Plans every file first (so a refusal to overwrite happens before anything is written), writes
// them, then validates the tree as `idform validate` would (plus options.provider_check) and
// leaves out whatever it rejects, until it is clean. Deterministic: the same tenant gives
// byte-identical files.
Result<ImportReport> import_tenant(const provider::ReadResponse& live, const ImportOptions& options);

}  // namespace idform::importer
