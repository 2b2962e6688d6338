#pragma once
// The one way idform runs work on threads. Every piece that works in parallel — the applier's
// workers, the loader's and the differ's helpers, Okta's bounded reads and member writes, Graph's
// $batch envelopes and the conditional access read beside the directory — starts its threads
// here, and here is where an exception on a thread is stopped: run_workers() and
// for_each_index() hand it to the calling thread after every thread has been joined;
// parallel_for() and start_guarded() turn it into an Error through util::guarded.

#include <cstddef>
#include <functional>
#include <future>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "reconciler/util/guarded.hpp"
#include "reconciler/util/result.hpp"

namespace idform::util {

// Runs `worker` on `threads` threads at once, the calling thread being one of them, and returns
// when every one has returned: for pools that take their work from a shared queue (the applier).
// An exception thrown on any thread is rethrown here after all have been joined (the calling
// thread's own first).
void run_workers(unsigned threads, const std::function<void()>& worker);

// Calls body(i) for every i in [0, count) on up to `threads` threads (the calling thread among
// them). An exception from one index stops no other; once all are done, the exception of the
// lowest index is rethrown here.
void for_each_index(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& body);

// Calls task(i) for every i in [0, count) on up to `threads` threads. After the first failure no
// new task starts, and that failure is returned; a task that throws fails with "internal error
// while <doing>: ..." (util::guarded).
Result<void> parallel_for(std::size_t count, unsigned threads, std::string_view doing,
                          const std::function<Result<void>(std::size_t)>& task);

// Starts `work` (which returns a Result) on a thread of its own beside the caller; the future's
// result is work's, or the Error "internal error while <doing>: ..." if it threw.
template <typename Work>
auto start_guarded(std::string doing, Work work) -> std::future<std::invoke_result_t<Work&>> {
  return std::async(std::launch::async,
                    [doing = std::move(doing), work = std::move(work)]() mutable { return guarded(doing, work); });
}

}  // namespace idform::util
