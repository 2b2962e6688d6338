// The sandbox's advisory lock (see sandbox_lock.hpp): flock(2) on a file beside the sandbox.
// flock is released by the kernel when the process ends however it ends, so a killed idform
// never leaves a stale lock behind. flock locks belong to an open file, so two providers of one
// process on one sandbox would lock each other out; they share the process's lock instead
// (counted), which keeps the lock about processes, the thing it is for.

#include "providers/local/sandbox_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

namespace idform::providers {
namespace {

struct Held {
  int fd = -1;
  int users = 0;
};

std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<std::string, Held>& registry() {
  static auto* held = new std::map<std::string, Held>();  // never destroyed: used until exit
  return *held;
}

Result<int> lock_file(const std::filesystem::path& tenant_file, const std::filesystem::path& path,
                      std::chrono::milliseconds wait, util::Clock& clock) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail("cannot open the sandbox lock " + path.string(), std::strerror(errno));
  auto deadline = clock.steady_now() + wait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int error = errno;
      ::close(fd);
      return fail("cannot lock the sandbox " + tenant_file.string(), std::strerror(error));
    }
    if (clock.steady_now() >= deadline) {
      ::close(fd);
      return fail("the sandbox " + tenant_file.string() + " is in use by another idform command",
                  "it holds " + path.string() + "; wait for it to finish and run this command again");
    }
    clock.sleep(std::chrono::milliseconds(20));
  }
  return fd;
}

}  // namespace

SandboxLock::~SandboxLock() {
  if (m_path.empty()) return;
  std::lock_guard lock(registry_mutex());
  auto found = registry().find(m_path);
  if (found == registry().end()) return;
  if (--found->second.users == 0) {
    ::close(found->second.fd);  // closing releases the flock
    registry().erase(found);
  }
}

Result<void> SandboxLock::acquire(const std::filesystem::path& tenant_file, std::chrono::milliseconds wait,
                                  util::Clock& clock) {
  if (!m_path.empty()) return {};
  std::filesystem::path path = tenant_file;
  path += ".lock";
  std::error_code ec;
  if (!tenant_file.parent_path().empty()) std::filesystem::create_directories(tenant_file.parent_path(), ec);
  std::string key = std::filesystem::absolute(path, ec).lexically_normal().string();
  {
    std::lock_guard lock(registry_mutex());
    auto found = registry().find(key);
    if (found != registry().end()) {
      ++found->second.users;
      m_path = key;
      return {};
    }
  }
  // Waiting happens outside the registry's mutex; another thread of this process may have taken
  // the lock meanwhile, in which case this one's flock would wait on it: check again after.
  int fd = IDFORM_TRY(lock_file(tenant_file, path, wait, clock));
  std::lock_guard lock(registry_mutex());
  auto [entry, inserted] = registry().try_emplace(key, Held{fd, 0});
  if (!inserted) ::close(fd);
  ++entry->second.users;
  m_path = key;
  return {};
}

}  // namespace idform::providers
