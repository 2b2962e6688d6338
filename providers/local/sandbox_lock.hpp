#pragma once
// One idform at a time on a sandbox file. An exclusive flock on `<sandbox>.lock`, taken before
// the file is first read and held until the provider is gone (after its last write), serialises
// concurrent commands: the second waits for the first to finish and then reads what it left, so
// two applies can neither duplicate nor lose each other's creates. A holder that does not let go
// within the wait is reported by name instead of waited on forever. Providers of one process
// share its lock.

#include <chrono>
#include <filesystem>
#include <string>

#include "reconciler/util/clock.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers {

class SandboxLock {
 public:
  SandboxLock() = default;
  SandboxLock(const SandboxLock&) = delete;
  SandboxLock& operator=(const SandboxLock&) = delete;
  ~SandboxLock();

  // Takes the lock for `tenant_file` (a no-op when already held), waiting up to `wait` on `clock`.
  Result<void> acquire(const std::filesystem::path& tenant_file, std::chrono::milliseconds wait,
                       util::Clock& clock = util::real_clock());
  bool held() const { return !m_path.empty(); }

 private:
  std::string m_path;  // the lock file, once held
};

}  // namespace idform::providers
