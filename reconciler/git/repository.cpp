// Asks libgit2 for the config directory's commit and whether its tree is dirty.
#include "reconciler/git/repository.hpp"

#include "reconciler/git/libgit2.hpp"

#include <memory>

namespace idform::git {
namespace {

using namespace libgit2;
using RepositoryPtr = Owned<git_repository, git_repository_free>;
using StatusPtr = Owned<git_status_list, git_status_list_free>;
using ConfigPtr = Owned<git_config, git_config_free>;

}  // namespace

SourceState inspect(const std::filesystem::path& dir) {
  libgit2::ensure_initialised();
  SourceState state;
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.string().c_str(), 0, nullptr) != 0) return state;
  RepositoryPtr repository(raw);

  git_oid head;
  if (git_reference_name_to_id(&head, repository.get(), "HEAD") == 0) {
    char text[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(text, sizeof text, &head);
    state.commit = text;
  }

  // Dirty means: a file of this config directory differs from the commit. The sandbox tenant
  // under .idform/ is live state, not config, so it does not count.
  std::string prefix;
  if (const char* workdir = git_repository_workdir(repository.get())) {
    std::error_code ec;
    auto relative = std::filesystem::relative(std::filesystem::weakly_canonical(dir, ec),
                                              std::filesystem::weakly_canonical(workdir, ec), ec);
    if (!ec && relative != ".") prefix = relative.generic_string() + "/";
  }
  git_status_options options = GIT_STATUS_OPTIONS_INIT;
  options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_EXCLUDE_SUBMODULES |
                  GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
  git_status_list* statuses = nullptr;
  if (git_status_list_new(&statuses, repository.get(), &options) == 0) {
    StatusPtr list(statuses);
    for (size_t i = 0; i < git_status_list_entrycount(list.get()); ++i) {
      const git_status_entry* entry = git_status_byindex(list.get(), i);
      const git_diff_delta* delta = entry->index_to_workdir ? entry->index_to_workdir : entry->head_to_index;
      if (!delta || !delta->new_file.path) continue;
      std::string path = delta->new_file.path;
      if (!path.starts_with(prefix) || path.starts_with(prefix + ".idform/")) continue;
      state.dirty = true;
      break;
    }
  }

  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, repository.get()) == 0) {
    ConfigPtr owned(config);
    const char* name = nullptr;
    if (git_config_get_string(&name, owned.get(), "user.name") == 0 && name) state.user = name;
  }
  return state;
}

}  // namespace idform::git
