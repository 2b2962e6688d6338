// Replacements under injected faults against the Okta provider on idp-sim: the seeded runs of
// support/replacement_runs.hpp with Okta-shaped policies (each attached to its app), the real
// provider creating, updating and deleting groups, apps and app sign-in policies over HTTP. An Okta
// policy delete detaches its apps first, so a delete that ran before its replacement would leave
// the app on the org's default policy: the runs check that none does.

#include <catch2/catch.hpp>

#include "fixtures/okta/okta_testbed.hpp"
#include "support/replacement_runs.hpp"

using namespace idform;

namespace {

class OktaReplacementBed : public testing::okta::Testbed {
 public:
  void reset() {
    sim().reset(true);
    reopen();
  }
  void reopen() { provider = make_provider(); }  // a fresh provider: nothing cached from the last run
  model::DesiredState load(const std::map<std::string, std::string>& files) {
    return Testbed::load(files, testing::kPruneEverything);
  }
};

}  // namespace

TEST_CASE("replacements under injected faults on Okta: no delete after a failed create or update", "[okta][ordering]") {
  OktaReplacementBed bed;
  int with_failures = testing::run_replacements(bed, 20261208, 50, testing::PolicyShape::okta);
  CHECK(with_failures > 10);  // the faults were really injected
}
