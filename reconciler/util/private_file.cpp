// Creating output files with owner-only permissions (see private_file.hpp).

#include "reconciler/util/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace idform::util {

Result<void> prepare_private_file(const std::filesystem::path& path, bool tighten) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    // The umask may only remove bits; 0600 stays 0600 or less, which is what we want.
    ::close(fd);
    return {};
  }
  if (errno != EEXIST) return fail("cannot create " + path.string(), std::strerror(errno));
  if (!tighten) return {};
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && (info.st_mode & 077) != 0 &&
      ::chmod(path.c_str(), info.st_mode & 0700) != 0)
    return fail("cannot make " + path.string() + " private", std::strerror(errno));
  return {};
}

}  // namespace idform::util
