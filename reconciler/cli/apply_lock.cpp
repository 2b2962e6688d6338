// The per-machine apply lock (see apply_lock.hpp).

#include "reconciler/cli/apply_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "reconciler/util/strings.hpp"

namespace idform::cli {

ApplyLock::~ApplyLock() {
  if (m_fd >= 0) ::close(m_fd);
}

Result<ApplyLock> ApplyLock::acquire(const config::Target& target, const std::string& config_root,
                                     const std::function<std::string(const std::string&)>& env,
                                     std::chrono::milliseconds wait, util::Clock& clock) {
  std::string dir = env ? env("IDFORM_LOCK_DIR") : "";
  if (dir.empty() && env && !env("XDG_RUNTIME_DIR").empty()) dir = env("XDG_RUNTIME_DIR") + "/idform";
  if (dir.empty()) dir = "/tmp/idform-" + std::to_string(::getuid());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
  // The settings say which tenant, relative to the config directory where they name a file.
  std::string root = std::filesystem::weakly_canonical(config_root, ec).string();
  std::string key = target.provider + "\n" + root + "\n" + target.settings.dump();
  std::string path = dir + "/apply-" + util::sha256_hex(key).substr(0, 24) + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail("cannot open the apply lock " + path, std::strerror(errno));
  auto deadline = clock.steady_now() + wait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (clock.steady_now() >= deadline) {
      ::close(fd);
      return fail("another idform apply to target \"" + target.name + "\" is running on this machine",
                  "it holds " + path + "; wait for it to finish and run this command again");
    }
    clock.sleep(std::chrono::milliseconds(50));
  }
  ApplyLock lock;
  lock.m_fd = fd;
  return lock;
}

}  // namespace idform::cli
