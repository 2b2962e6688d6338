#pragma once
// What both libgit2 users (repository.cpp, tree_export.cpp) need: the library initialised once for
// the process, owning pointers for its objects, and its last error as text.

#include <git2.h>

#include <memory>
#include <string>

namespace idform::git::libgit2 {

// Call before any other libgit2 function; initialises the library once, shut down at exit.
inline void ensure_initialised() {
  struct Library {
    Library() { git_libgit2_init(); }
    ~Library() { git_libgit2_shutdown(); }
  };
  static Library library;
}

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

inline std::string last_error() {
  const git_error* error = git_error_last();
  return error && error->message ? error->message : "unknown libgit2 error";
}

}  // namespace idform::git::libgit2
