// Replacements under injected faults on the sandbox (support/replacement_runs.hpp): 50 seeded
// runs, parallelism 1-8. The same runs drive the Entra provider on idp-sim in
// tests/providers/entra_replacement_test.cpp.

#include <catch2/catch.hpp>

#include "providers/local/local_provider.hpp"
#include "support/replacement_runs.hpp"
#include "support/temp_dir.hpp"

using namespace idform;

namespace {

class SandboxBed : public testing::EngineDriver<provider::Provider> {
 public:
  void reset() {
    provider.reset();
    std::ofstream(m_dir.path() / "sandbox.json", std::ios::trunc)
        << R"({"format": "idform-sandbox/1", "users": [{"id": "u-1", "email": "alice@acme.example", "display_name": "Alice"}]})";
    reopen();
  }
  // A fresh provider: the sandbox writes its file when the provider goes.
  void reopen() {
    provider.reset();
    provider = std::make_unique<providers::LocalProvider>(m_dir.path() / "sandbox.json");
  }
  model::DesiredState load(const std::map<std::string, std::string>& files) {
    return load_tree(m_dir.path() / "config",
                     std::string("version: 1\ntargets:\n  sandbox: {provider: local, path: ../sandbox.json}\n") +
                         testing::kPruneEverything,
                     files);
  }

 private:
  testing::TempDir m_dir;
};

}  // namespace

TEST_CASE("replacements under injected faults on the sandbox: no delete after a failed create or update", "[apply][ordering]") {
  SandboxBed bed;
  int with_failures = testing::run_replacements(bed, 20261207, 50);
  CHECK(with_failures > 10);  // the faults were really injected
}
