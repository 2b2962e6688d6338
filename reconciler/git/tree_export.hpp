#pragma once
// The config directory as it was at a git revision, written out to a directory of its own, so
// that the ordinary loader can read it (`idform whatif --ref REV` / `--base REV`).

#include <filesystem>
#include <string>

#include "reconciler/util/result.hpp"

namespace idform::git {

// Resolves `revision` (anything `git rev-parse` takes: a branch, a tag, a commit, HEAD~1) in the
// repository containing `config_dir`, and writes the files under config_dir's path at that
// revision into `out` (which must exist). Errors name the revision.
Result<void> export_config_at(const std::filesystem::path& config_dir, const std::string& revision,
                              const std::filesystem::path& out);

}  // namespace idform::git
