// Writes a config directory as of a git revision: resolve the revision to a tree, find the
// subtree at the config directory's path inside the repository, and write every blob beneath it.
#include "reconciler/git/tree_export.hpp"

#include "reconciler/git/libgit2.hpp"

#include <fstream>
#include <memory>

namespace idform::git {
namespace {

namespace fs = std::filesystem;

using namespace libgit2;
using RepositoryPtr = Owned<git_repository, git_repository_free>;
using ObjectPtr = Owned<git_object, git_object_free>;
using EntryPtr = Owned<git_tree_entry, git_tree_entry_free>;

Result<void> write_tree(git_repository* repository, const git_tree* tree, const fs::path& out) {
  for (size_t i = 0; i < git_tree_entrycount(tree); ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
    fs::path target = out / git_tree_entry_name(entry);
    git_object* raw = nullptr;
    if (git_tree_entry_to_object(&raw, repository, entry) != 0) return fail("cannot read " + target.string(), last_error());
    ObjectPtr object(raw);
    if (git_object_type(object.get()) == GIT_OBJECT_TREE) {
      std::error_code ec;
      fs::create_directories(target, ec);
      if (ec) return fail("cannot create " + target.string(), ec.message());
      IDFORM_TRY(write_tree(repository, reinterpret_cast<const git_tree*>(object.get()), target));
    } else if (git_object_type(object.get()) == GIT_OBJECT_BLOB) {
      const auto* blob = reinterpret_cast<const git_blob*>(object.get());
      std::ofstream file(target, std::ios::binary);
      file.write(static_cast<const char*>(git_blob_rawcontent(blob)), static_cast<std::streamsize>(git_blob_rawsize(blob)));
      if (!file) return fail("cannot write " + target.string());
    }
  }
  return {};
}

}  // namespace

Result<void> export_config_at(const fs::path& config_dir, const std::string& revision, const fs::path& out) {
  libgit2::ensure_initialised();
  git_repository* raw_repository = nullptr;
  if (git_repository_open_ext(&raw_repository, config_dir.string().c_str(), 0, nullptr) != 0)
    return fail(config_dir.string() + " is not inside a git repository", last_error());
  RepositoryPtr repository(raw_repository);
  const char* workdir = git_repository_workdir(repository.get());
  if (!workdir) return fail("the git repository of " + config_dir.string() + " has no working tree");

  git_object* raw_tree = nullptr;
  if (git_revparse_single(&raw_tree, repository.get(), (revision + "^{tree}").c_str()) != 0)
    return fail("unknown git revision \"" + revision + "\"", last_error());
  ObjectPtr root(raw_tree);

  std::error_code ec;
  fs::path relative = fs::relative(fs::weakly_canonical(config_dir, ec), fs::weakly_canonical(workdir, ec), ec);
  if (ec) return fail("cannot place " + config_dir.string() + " inside its git repository", ec.message());
  const git_tree* tree = reinterpret_cast<const git_tree*>(root.get());
  if (relative.empty() || relative == ".") return write_tree(repository.get(), tree, out);

  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, tree, relative.generic_string().c_str()) != 0)
    return fail(relative.generic_string() + " does not exist at revision \"" + revision + "\"");
  EntryPtr entry(raw_entry);
  git_object* raw_subtree = nullptr;
  if (git_tree_entry_to_object(&raw_subtree, repository.get(), entry.get()) != 0 ||
      git_object_type(raw_subtree) != GIT_OBJECT_TREE) {
    if (raw_subtree) git_object_free(raw_subtree);
    return fail(relative.generic_string() + " is not a directory at revision \"" + revision + "\"");
  }
  ObjectPtr subtree(raw_subtree);
  return write_tree(repository.get(), reinterpret_cast<const git_tree*>(subtree.get()), out);
}

}  // namespace idform::git
