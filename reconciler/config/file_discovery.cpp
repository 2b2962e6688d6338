// Finds the files of a config directory that hold resources.
#include "reconciler/config/file_discovery.hpp"

#include <algorithm>
#include <fnmatch.h>

namespace idform::config {
namespace {

namespace fs = std::filesystem;

bool is_yaml(const fs::path& path) {
  return path.extension() == ".yaml" || path.extension() == ".yml";
}

bool is_hidden(const fs::path& relative) {
  for (const fs::path& part : relative)
    if (part.string().size() > 1 && part.string().front() == '.') return true;
  return false;
}

// True when an entry matches the path itself or one of its parent directories.
bool is_ignored(const fs::path& relative, const std::vector<std::string>& ignore) {
  for (std::string entry : ignore) {
    while (entry.size() > 1 && entry.back() == '/') entry.pop_back();
    if (entry.rfind("./", 0) == 0) entry.erase(0, 2);
    for (fs::path prefix = relative; !prefix.empty(); prefix = prefix.parent_path())
      if (fnmatch(entry.c_str(), prefix.generic_string().c_str(), FNM_PATHNAME) == 0) return true;
  }
  return false;
}

}  // namespace

std::vector<fs::path> find_resource_files(const fs::path& root,
                                          const std::vector<std::string>& ignore,
                                          Diagnostics& diagnostics) {
  std::vector<fs::path> out;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    fs::path relative = it->path().lexically_relative(root);
    // whatif/ holds sign-in scenarios for `idform whatif`, not resources.
    if (is_hidden(relative) || is_ignored(relative, ignore) || relative == "whatif") {
      if (it->is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(error) || !is_yaml(relative)) continue;
    if (relative == "idform.yaml") continue;
    out.push_back(relative);
  }
  if (error)
    diagnostics.push_back(Error{"cannot read directory: " + error.message(), {}, {},
                                {root.string(), 0, 0}});
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace idform::config
