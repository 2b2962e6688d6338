// Interrupted applies: examples/acme is applied and stopped right after a write, then planned
// and applied again with the idform binary. Every run must converge without --accept, and the
// second apply may change only what its plan showed.
//
// Sandbox: every write point. Each applied change is one journal append, so the state a kill
// right after write n leaves on disk is the sandbox file and the first n journal entries; the
// test takes those from a real apply (in-process, one change at a time, a snapshot after each
// change is reported) and restores each one in a fresh copy.
// Okta and Entra on idp-sim: every write point too, in
// tests/providers/interrupted_cloud_apply_test.cpp (idp-sim holds the writes after the chosen one
// while the test kills idform with SIGKILL).

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <sstream>

#include "e2e/e2e_support.hpp"
#include "providers/local/local_provider.hpp"
#include "providers/local/sandbox_journal.hpp"
#include "reconciler/apply/applier.hpp"
#include "reconciler/cli/workspace.hpp"
#include "support/interrupted_apply.hpp"
#include "support/temp_dir.hpp"

using idform::testing::AcmeCopy;
using idform::testing::converges_after_interruption;
using idform::testing::ProcessResult;
using nlohmann::json;

namespace {

using idform::testing::read_text;

struct Snapshot {
  std::string sandbox;
  std::filesystem::file_time_type modified;
  std::string journal;
};

// Applies acme's plan in-process, one change at a time, and records the files after each change.
std::vector<Snapshot> snapshots_of_apply(const AcmeCopy& acme) {
  idform::provider::Registry registry;
  registry.add("local", idform::providers::make_local_provider);
  std::ostringstream out, err;
  std::istringstream in;
  idform::cli::Io io{out, err, in, false, false, false, [](const std::string& name) {
                       return name == "IDFORM_TODAY" ? std::string("2026-11-29") : std::string();
                     }};
  idform::cli::Options options;
  options.config_dir = acme.dir().string();
  auto workspace = idform::cli::open_workspace(options, registry, io);
  REQUIRE(workspace);
  auto run = idform::cli::make_plan(*workspace, io);
  REQUIRE(run);
  REQUIRE(!run->plan.blocked());
  std::vector<Snapshot> snapshots;
  auto journal = acme.sandbox().string() + ".journal";
  idform::apply::ApplyOptions apply_options;
  apply_options.parallelism = 1;
  apply_options.on_outcome = [&](const idform::apply::Outcome&) {
    snapshots.push_back({read_text(acme.sandbox()), std::filesystem::last_write_time(acme.sandbox()), read_text(journal)});
  };
  auto report = idform::apply::apply_plan(run->plan, run->live, *workspace->provider, apply_options);
  REQUIRE(report.ok());
  return snapshots;
}

// The sandbox's objects by address, references by name (the journal replayed, as a read does).
std::map<std::string, json> sandbox_objects(const AcmeCopy& acme) {
  idform::providers::LocalProvider reader(acme.sandbox());
  auto read = reader.read({});
  REQUIRE(read);
  std::map<std::string, json> out;
  for (const auto& resource : read->state.resources) out[resource.address()] = resource.spec;
  return out;
}

}  // namespace

TEST_CASE("sandbox: an apply stopped after any write converges on the next apply without --accept",
          "[e2e][hardening][interrupted]") {
  AcmeCopy reference;
  std::vector<Snapshot> snapshots = snapshots_of_apply(reference);
  REQUIRE(snapshots.size() >= 10);  // examples/acme plans ten changes
  AcmeCopy pristine;
  const std::string original = read_text(pristine.sandbox());
  for (size_t n = 0; n + 1 < snapshots.size(); ++n) {  // after the last write there is nothing left to do
    INFO("stopped after write " << n + 1 << " of " << snapshots.size());
    AcmeCopy acme;
    std::ofstream(acme.sandbox(), std::ios::binary | std::ios::trunc) << snapshots[n].sandbox;
    std::filesystem::last_write_time(acme.sandbox(), snapshots[n].modified);
    std::ofstream(acme.sandbox().string() + ".journal", std::ios::binary | std::ios::trunc) << snapshots[n].journal;
    converges_after_interruption(acme, {}, [&] { return sandbox_objects(acme); });
  }
  CHECK(read_text(pristine.sandbox()) == original);
}
