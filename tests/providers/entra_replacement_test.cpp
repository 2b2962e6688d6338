// Replacements under injected faults against the Entra provider on idp-sim: the seeded runs of
// support/replacement_runs.hpp, with the real provider creating, updating and deleting over HTTP.
// 50 seeded runs, as on the sandbox; each rebuilds the tenant through Graph (about half a second).

#include <catch2/catch.hpp>

#include "providers/entra_testbed.hpp"
#include "support/replacement_runs.hpp"

using namespace idform;

namespace {

class EntraReplacementBed : public testing::entra::Testbed {
 public:
  void reset() { sim().reset(true); }
  void reopen() {}  // every read goes to the tenant
  model::DesiredState load(const std::map<std::string, std::string>& files) {
    return load_tree(config_dir(), project_file() + testing::kPruneEverything, files);
  }
};

}  // namespace

TEST_CASE("replacements under injected faults on Entra: no delete after a failed create or update", "[entra][ordering]") {
  EntraReplacementBed bed;
  int with_failures = testing::run_replacements(bed, 20261207, 50);
  CHECK(with_failures > 10);  // the faults were really injected
}
