#pragma once
// A bounded parallel loop for independent read requests (one list per group, per app, per
// policy). Concurrency stays well below Okta's org-wide limit of simultaneous requests; the
// pacer decides when each request may go. A task that throws fails like one that returns an
// error (util::guarded), so an exception never escapes a worker thread.

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "reconciler/util/guarded.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

// Calls task(i) for every i in [0, count) on up to `workers` threads. After the first failure no
// new task starts; that failure is returned.
inline Result<void> parallel_for(size_t count, int workers, const std::function<Result<void>(size_t)>& task) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::optional<Error> first_error;
  auto work = [&] {
    for (size_t i = next++; i < count && !failed; i = next++) {
      Result<void> done = util::guarded("running an Okta request on a worker thread", [&] { return task(i); });
      if (done) continue;
      std::lock_guard lock(mutex);
      if (!first_error) first_error = done.error();
      failed = true;
    }
  };
  size_t threads = std::min(count, static_cast<size_t>(std::max(1, workers)));
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& thread : pool) thread.join();
  }
  if (first_error) return std::unexpected(*first_error);
  return {};
}

}  // namespace idform::providers::okta
