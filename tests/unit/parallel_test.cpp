// util::parallel (the one way work runs on threads) and util::FakeClock: every index once, an
// exception on a worker reaches the calling thread, the first failure stops new tasks.

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "reconciler/util/clock.hpp"
#include "reconciler/util/parallel.hpp"

using namespace std::chrono_literals;

TEST_CASE("for_each_index visits every index once, on several threads", "[util][parallel]") {
  for (std::size_t count : {0u, 1u, 7u, 1000u}) {
    std::vector<std::atomic<int>> visits(count);
    std::mutex mutex;
    std::set<std::thread::id> threads;
    idform::util::for_each_index(count, 4, [&](std::size_t i) {
      ++visits[i];
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    });
    for (std::size_t i = 0; i < count; ++i) CHECK(visits[i] == 1);
    CHECK(threads.size() <= 4);
  }
}

TEST_CASE("an exception on a worker thread reaches the caller after every index has run", "[util][parallel]") {
  std::atomic<int> ran{0};
  auto run = [&] {
    idform::util::for_each_index(100, 4, [&](std::size_t i) {
      ++ran;
      if (i == 40 || i == 70) throw std::runtime_error("index " + std::to_string(i));
    });
  };
  CHECK_THROWS_WITH(run(), "index 40");  // the lowest index's, whichever thread threw first
  CHECK(ran == 100);
  CHECK_THROWS_WITH(idform::util::run_workers(3, [] { throw std::logic_error("worker"); }), "worker");
}

TEST_CASE("parallel_for returns the first failure, starts nothing after it, and reports a throw as an Error",
          "[util][parallel]") {
  std::atomic<int> ran{0};
  auto failed = idform::util::parallel_for(1000, 1, "testing", [&](std::size_t i) -> idform::Result<void> {
    ++ran;
    if (i == 3) return idform::fail(idform::ErrorCategory::conflict, "task 3 failed");
    return {};
  });
  REQUIRE_FALSE(failed);
  CHECK(failed.error().summary == "task 3 failed");
  CHECK(failed.error().category == idform::ErrorCategory::conflict);
  CHECK(ran == 4);  // one thread: nothing after the failure started

  auto thrown = idform::util::parallel_for(10, 3, "reading group 5", [&](std::size_t i) -> idform::Result<void> {
    if (i == 5) throw std::runtime_error("boom");
    return {};
  });
  REQUIRE_FALSE(thrown);
  CHECK(thrown.error().summary == "internal error while reading group 5: boom");
  CHECK(thrown.error().category == idform::ErrorCategory::internal);
  CHECK(idform::util::parallel_for(50, 4, "testing", [](std::size_t) -> idform::Result<void> { return {}; }));
}

TEST_CASE("start_guarded runs beside the caller and turns a throw into an Error", "[util][parallel]") {
  auto fine = idform::util::start_guarded("counting", []() -> idform::Result<int> { return 42; });
  auto broken = idform::util::start_guarded(
      "counting", []() -> idform::Result<int> { throw std::runtime_error("no numbers today"); });
  REQUIRE(fine.get() == 42);
  auto error = broken.get();
  REQUIRE_FALSE(error);
  CHECK(error.error().summary == "internal error while counting: no numbers today");
}

TEST_CASE("the fake clock moves only when slept on or advanced, on both of its clocks", "[util][clock]") {
  idform::util::FakeClock clock;
  const auto wall = clock.now();
  const auto steady = clock.steady_now();
  CHECK(clock.now() == wall);
  clock.sleep(1500ms);
  clock.advance(500ms);
  CHECK(clock.now() - wall == 2000ms);
  CHECK(clock.steady_now() - steady == 2000ms);
  CHECK(clock.sleeps() == std::vector<std::chrono::milliseconds>{1500ms});
  CHECK(clock.slept() == 1500ms);
  CHECK(clock.random() == 0.5);
  CHECK(idform::util::FakeClock(std::chrono::system_clock::time_point{}, 0.25).random() == 0.25);
  // The real clock's draws are in [0, 1).
  for (int i = 0; i < 100; ++i) {
    double draw = idform::util::real_clock().random();
    CHECK((draw >= 0.0 && draw < 1.0));
  }
}
