// The progress state and how the status line words it; the relay that lets parts made before a
// call report into that call's progress.

#include <catch2/catch.hpp>
#include <sstream>

#include "reconciler/cli/progress_display.hpp"
#include "reconciler/util/clock.hpp"
#include "reconciler/util/progress.hpp"

using idform::util::Progress;
using idform::util::ProgressRelay;
using idform::util::ProgressScope;
using namespace std::chrono_literals;

TEST_CASE("the status line says the phase, counts, requests and the current wait", "[unit][progress]") {
  idform::util::FakeClock clock;
  Progress progress(clock);
  auto now = clock.steady_now();
  progress.start_phase("reading target \"okta-prod\"");
  CHECK(idform::cli::describe(progress.snapshot(), now) == "reading target \"okta-prod\"");
  progress.add_done(1200);
  progress.add_request();
  progress.add_request();
  CHECK(idform::cli::describe(progress.snapshot(), now) == "reading target \"okta-prod\": 1,200 objects, 2 requests");
  progress.begin_wait("Okta's /api/v1/apps window", 41000ms);
  CHECK(idform::cli::describe(progress.snapshot(), clock.steady_now()) ==
        "reading target \"okta-prod\": 1,200 objects, 2 requests, waiting 41 s for Okta's /api/v1/apps window");
  clock.advance(30000ms);  // the wait is measured on the progress's clock
  CHECK(idform::cli::describe(progress.snapshot(), clock.steady_now()).find("waiting 11 s for") != std::string::npos);
  progress.add_request();  // the wait is over
  CHECK(idform::cli::describe(progress.snapshot(), now).find("waiting") == std::string::npos);
  progress.start_phase("applying changes", 12);
  progress.add_done(3);
  CHECK(idform::cli::describe(progress.snapshot(), now) == "applying changes: 3 of 12 changes, 3 requests");
  CHECK(idform::util::format_duration(125000ms) == "2m 05s");
  CHECK(idform::util::format_duration(400ms) == "1 s");
}

TEST_CASE("a relay reports only while a call with progress is attached, overlapping calls included",
          "[unit][progress]") {
  Progress progress;
  ProgressRelay relay;
  relay.add_request();  // no call: goes nowhere
  {
    ProgressScope first(relay, &progress);
    {
      ProgressScope second(relay, &progress);
      relay.add_request();
    }
    relay.add_done(5);  // the first call is still running
  }
  relay.add_request();
  CHECK(progress.snapshot().requests == 1);
  CHECK(progress.snapshot().done == 5);
  {
    ProgressScope quiet(relay, nullptr);  // a call without progress
    relay.add_request();
  }
  CHECK(progress.snapshot().requests == 1);
}

TEST_CASE("without a terminal a short command prints no progress at all", "[unit][progress]") {
  std::ostringstream err;
  {
    idform::cli::ProgressDisplay display(err, {true, false, 5000ms});
    REQUIRE(display.progress() != nullptr);
    display.progress()->start_phase("reading");
  }
  CHECK(err.str().empty());
  idform::cli::ProgressDisplay quiet(err, {false, false, 5000ms});
  CHECK(quiet.progress() == nullptr);
}
