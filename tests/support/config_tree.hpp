#pragma once
// A config tree as import writes it: every file under `root` (read_tree) but the snapshot cache
// that `plan` and `drift` keep in .idform/cache/ (a local copy of tenant data, never part of the
// configuration; docs/incremental.md).

#include <filesystem>
#include <map>
#include <string>

#include "support/temp_dir.hpp"

namespace idform::testing {

inline std::map<std::string, std::string> read_config_tree(const std::filesystem::path& root) {
  std::map<std::string, std::string> files = read_tree(root);
  std::erase_if(files, [](const auto& item) { return item.first.starts_with(".idform/cache/"); });
  return files;
}

}  // namespace idform::testing
