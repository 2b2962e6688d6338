#pragma once
// What git says about the config directory: the commit checked out and whether the tree is dirty.

#include <filesystem>
#include <string>

namespace idform::git {

struct SourceState {
  std::string commit;  // empty when the directory is not inside a git repository
  bool dirty = false;
  std::string user;    // user.name from the git config, for audit logs; may be empty
};

SourceState inspect(const std::filesystem::path& dir);

}  // namespace idform::git
