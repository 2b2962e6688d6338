#pragma once
// `idform import`: the live tenant written out as a clean config tree that plans to zero changes.

#include <filesystem>
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
};

struct ImportReport {
  std::vector<std::filesystem::path> written;  // relative to out, sorted
  int skipped_builtin = 0;
  int skipped_filtered = 0;
  std::vector<std::string> warnings;
};

// The file name (without directory) for an object name: lower-case, [a-z0-9._-] only, dashes
// collapsed, at most 80 characters, never empty or hidden.
std::string safe_file_name(std::string_view name);

// Plans every file first (so a refusal to overwrite happens before anything is written), then
// writes them. Deterministic: the same tenant gives byte-identical files.
Result<ImportReport> import_tenant(const provider::ReadResponse& live, const ImportOptions& options);

}  // namespace idform::importer
