// Threads for the whole program (see parallel.hpp): a worker count, joined threads, and
// exceptions carried back to the calling thread instead of ending the process.
#include "reconciler/util/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace idform::util {

void run_workers(unsigned threads, const std::function<void()>& worker) {
  threads = std::max(threads, 1u);
  std::vector<std::exception_ptr> failures(threads);
  auto run = [&](unsigned slot) {
    try {
      worker();
    } catch (...) {
      failures[slot] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> helpers;
    helpers.reserve(threads - 1);
    for (unsigned slot = 1; slot < threads; ++slot) helpers.emplace_back(run, slot);
    run(0);
  }  // joined here
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

void for_each_index(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& body) {
  if (count == 0) return;
  std::vector<std::exception_ptr> failures(count);
  std::atomic<std::size_t> next{0};
  run_workers(static_cast<unsigned>(std::min<std::size_t>(std::max(threads, 1u), count)), [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        body(i);
      } catch (...) {
        failures[i] = std::current_exception();
      }
    }
  });
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

Result<void> parallel_for(std::size_t count, unsigned threads, std::string_view doing,
                          const std::function<Result<void>(std::size_t)>& task) {
  if (count == 0) return {};
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::optional<Error> first_error;
  run_workers(static_cast<unsigned>(std::min<std::size_t>(std::max(threads, 1u), count)), [&] {
    for (std::size_t i = next++; i < count && !failed; i = next++) {
      Result<void> done = guarded(doing, [&] { return task(i); });
      if (done) continue;
      std::lock_guard lock(mutex);
      if (!first_error) first_error = done.error();
      failed = true;
    }
  });
  if (first_error) return std::unexpected(*first_error);
  return {};
}

}  // namespace idform::util
