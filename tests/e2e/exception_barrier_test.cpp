// An exception thrown inside a provider call on a worker thread is a reported error and exit
// code 1, never the end of the process: the applier's worker threads (through the idform binary
// and the sandbox's throw_apply fault), Okta's parallel reads and util::guarded itself.

#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "e2e/e2e_support.hpp"
#include "providers/okta/parallel.hpp"
#include "reconciler/util/guarded.hpp"

using Catch::Matchers::Contains;

TEST_CASE("an exception in a provider's apply on a worker thread is reported and the exit code is 1",
          "[hardening][e2e]") {
  idform::testing::AcmeCopy acme;
  // Applying github-users throws inside the sandbox provider, on one of the applier's threads.
  auto tenant = acme.read_sandbox();
  tenant["faults"] = {{"throw_apply", {"group:github-users"}}};
  acme.write_sandbox(tenant);
  auto applied = acme.idform({"apply", "--auto-approve", "--no-color"});
  INFO(applied.out << applied.err);
  CHECK(applied.exit_code == 1);  // a crash would be a signal (negative) or abort's 134
  CHECK_THAT(applied.out + applied.err,
             Contains("internal error while applying group:github-users: injected exception for group:github-users"));
  // The process lived on: the other changes were applied and the summary printed.
  CHECK_THAT(applied.out, Contains("app:GitHub Enterprise: skipped: depends on group:github-users"));
  CHECK_THAT(applied.out, Contains("1 failed, 1 skipped"));
}

TEST_CASE("a task that throws on one of Okta's read threads fails the loop with an error", "[hardening]") {
  std::atomic<int> ran{0};
  auto result = idform::providers::okta::parallel_for(40, 4, [&](size_t i) -> idform::Result<void> {
    ++ran;
    if (i == 7) throw std::out_of_range("no such page");
    return {};
  });
  REQUIRE(!result);
  CHECK(result.error().summary == "internal error while running an Okta request on a worker thread: no such page");
  CHECK(result.error().category == idform::ErrorCategory::internal);
  CHECK(ran.load() >= 8);
}

TEST_CASE("util::guarded passes results through and turns any exception into an internal error", "[hardening]") {
  auto fine = idform::util::guarded("adding", [] { return idform::Result<int>(3); });
  REQUIRE(fine);
  CHECK(*fine == 3);
  auto refused = idform::util::guarded("adding", []() -> idform::Result<int> { return idform::fail("no"); });
  REQUIRE(!refused);
  CHECK(refused.error().summary == "no");
  auto thrown = idform::util::guarded("adding", []() -> idform::Result<int> { throw 42; });
  REQUIRE(!thrown);
  CHECK(thrown.error().summary == "internal error while adding: unknown exception");
  CHECK(!thrown.error().retryable);
}
