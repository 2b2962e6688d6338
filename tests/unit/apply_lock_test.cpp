// The apply lock waits by the clock it is given: held by another apply, it is refused once the
// wait has passed on that clock, having polled it, and is free again when the holder is gone.

#include <catch2/catch.hpp>

#include "reconciler/cli/apply_lock.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;

TEST_CASE("a held apply lock is refused after the wait has passed on the lock's clock", "[lock]") {
  idform::testing::TempDir dir;
  auto env = [&](const std::string& name) { return name == "IDFORM_LOCK_DIR" ? (dir.path() / "locks").string() : ""; };
  idform::config::Target target{"t", "local", {{"provider", "local"}}, {}};
  auto held = idform::cli::ApplyLock::acquire(target, dir.str(), env, 0ms);
  REQUIRE(held);

  idform::util::FakeClock clock;
  auto refused = idform::cli::ApplyLock::acquire(target, dir.str(), env, 1000ms, clock);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().summary == "another idform apply to target \"t\" is running on this machine");
  CHECK(clock.slept() == 1000ms);  // polled every 50 ms of the fake clock, without waiting really
  CHECK(clock.sleeps().size() == 20);

  held = idform::cli::ApplyLock();  // the holder is gone
  CHECK(idform::cli::ApplyLock::acquire(target, dir.str(), env, 0ms, clock));
}
