#pragma once
// An advisory lock per target and machine around `apply`: two applies to the same tenant from
// one machine (two terminals, two CI jobs on one runner) take turns instead of interleaving. It
// cannot see applies from other machines; for CI, serialise the apply job (docs/security.md,
// "Concurrent applies"). The lock is a flock(2) on a file named after a hash of the target's
// settings and the config directory, in $IDFORM_LOCK_DIR, else $XDG_RUNTIME_DIR/idform, else
// /tmp/idform-UID.

#include <chrono>
#include <functional>
#include <utility>
#include <string>

#include "reconciler/config/project.hpp"
#include "reconciler/util/clock.hpp"
#include "reconciler/util/result.hpp"

namespace idform::cli {

class ApplyLock {
 public:
  ApplyLock() = default;
  ApplyLock(ApplyLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
  ApplyLock& operator=(ApplyLock&& other) noexcept {
    std::swap(m_fd, other.m_fd);
    return *this;
  }
  ApplyLock(const ApplyLock&) = delete;
  ~ApplyLock();

  // Waits up to `wait` (by `clock`) for the lock of `target` in the config at `config_root`;
  // `env` reads IDFORM_LOCK_DIR and XDG_RUNTIME_DIR.
  static Result<ApplyLock> acquire(const config::Target& target, const std::string& config_root,
                                   const std::function<std::string(const std::string&)>& env,
                                   std::chrono::milliseconds wait, util::Clock& clock = util::real_clock());

 private:
  int m_fd = -1;
};

}  // namespace idform::cli
