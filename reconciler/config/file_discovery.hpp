#pragma once
// Which files of a config directory hold resources.

#include <filesystem>
#include <string>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::config {

// Every *.yaml / *.yml under `root`, recursively, as paths relative to it, sorted. Skipped: the
// project file idform.yaml at the top, the scenario directory whatif/ at the top (read by
// `idform whatif`), hidden files and directories (.git/, .github/, .idform/),
// and paths matching an `ignore` entry. An entry is a path relative to `root` or a glob
// (fnmatch: * and ? stop at /); it ignores the file it matches and everything under a directory
// it matches. Unreadable directories are reported into `diagnostics`.
std::vector<std::filesystem::path> find_resource_files(const std::filesystem::path& root,
                                                       const std::vector<std::string>& ignore,
                                                       Diagnostics& diagnostics);

}  // namespace idform::config
