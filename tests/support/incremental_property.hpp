#pragma once
// The incremental-read property both cloud providers are held to: after each burst of random
// changes, a read that starts from the state saved last time equals a full read of the tenant,
// also when some reads fall inside the simulator's consistency delay. The provider tests supply
// the random change and the read; the loop, the checks and the seed in every message are here.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/provider/provider.hpp"
#include "reconciler/util/strings.hpp"
#include "support/live_state_compare.hpp"
#include "support/tenant_generator.hpp"

namespace idform::testing {

struct IncrementalProperty {
  std::uint32_t seed = 0;
  int steps = 0;
  std::chrono::milliseconds past_delay{0};             // a sleep that ends the consistency delay
  std::function<std::string(generator::Rng&)> change;  // one random change; returns what it did
  // A read from `baseline` keeping its state, or a full read when `baseline` is null.
  std::function<provider::ReadResponse(const nlohmann::json* baseline)> read;
};

// `saved` is the state a first full read saved.
inline void check_incremental_property(const IncrementalProperty& run, nlohmann::json saved) {
  generator::Rng rng(run.seed);
  int early_reads = 0, early_full_reads = 0;
  for (int step = 1; step <= run.steps; ++step) {
    std::vector<std::string> done;
    for (int i = rng.between(1, 4); i > 0; --i) done.push_back(run.change(rng));
    INFO("seed " << run.seed << ", step " << step << ": " << util::join(done, "; "));
    if (rng.chance(0.3)) {
      // Read inside the consistency delay: what is not visible yet must come with a later read.
      // A group deleted a moment ago may still be listed, or named by a change feed, while its
      // members can no longer be read: that read is made in full, and says why.
      auto early = run.read(&saved);
      ++early_reads;
      if (!early.incremental) {
        ++early_full_reads;
        CHECK_THAT(early.full_read_reason, Catch::Contains("was not found when read"));
      }
      saved = early.saved_state;
    }
    std::this_thread::sleep_for(run.past_delay);
    auto incremental = run.read(&saved);
    INFO("full read instead: " << incremental.full_read_reason);
    REQUIRE(incremental.incremental);
    saved = incremental.saved_state;
    auto fresh = run.read(nullptr);
    nlohmann::json a = canonical_resources(incremental.state);
    nlohmann::json b = canonical_resources(fresh.state);
    INFO("incremental differs from full: " << first_difference(a, b));
    REQUIRE(a == b);
  }
  // The fallback is for a race, not the rule: most reads inside the delay stay incremental.
  INFO(early_full_reads << " of " << early_reads << " reads inside the consistency delay were made in full");
  CHECK(early_full_reads * 10 <= early_reads);
}

}  // namespace idform::testing
