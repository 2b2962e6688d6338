#pragma once
// A bounded parallel loop for independent read requests (one list per group, per app, per
// policy). Concurrency stays well below Okta's org-wide limit of simultaneous requests; the
// pacer decides when each request may go. A task that throws fails like one that returns an
// error (util::guarded), so an exception never escapes a worker thread.

#include <algorithm>
#include <functional>

#include "reconciler/util/parallel.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

// Calls task(i) for every i in [0, count) on up to `workers` threads (util::parallel_for). After
// the first failure no new task starts; that failure is returned.
inline Result<void> parallel_for(size_t count, int workers, const std::function<Result<void>(size_t)>& task) {
  return util::parallel_for(count, static_cast<unsigned>(std::max(1, workers)),
                            "running an Okta request on a worker thread", task);
}

}  // namespace idform::providers::okta
