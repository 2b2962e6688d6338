#pragma once
// Files that hold tenant data (saved plans, audit logs, the sandbox) are created readable by
// their owner only (0600), whatever the umask, before any stream writes to them.

#include <filesystem>

#include "reconciler/util/result.hpp"

namespace idform::util {

// Creates `path` with mode 0600 when it does not exist. An existing file keeps its mode, unless
// `tighten` is set, in which case group and other permissions are removed from it.
Result<void> prepare_private_file(const std::filesystem::path& path, bool tighten);

}  // namespace idform::util
