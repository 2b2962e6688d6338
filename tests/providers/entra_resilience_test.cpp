// An apply of examples/acme against a misbehaving tenant: idp-sim answers 8 % of requests with
// 500/503, drops 5 % of connections unanswered, hides new and deleted objects for 5 (virtual)
// seconds from reads and writes, and throttles conditional access to one request per second with
// 429s that carry no Retry-After (the client does not pace here, so it meets them). The apply
// must complete and the next plan must be empty.

#include <catch2/catch.hpp>

#include "providers/entra_testbed.hpp"

using namespace idform::testing::entra;

TEST_CASE("apply completes under 429s, 503s, dropped connections and a 5 second replication delay", "[entra]") {
  auto files = acme_resource_files();
  TestbedOptions options;
  options.sim_args = {"--time-scale", "0.01", "--fault-rate", "0.08", "--fault-statuses", "500,503",
                      "--drop-rate", "0.05", "--drop-phase", "before", "--fault-seed", "11",
                      "--consistency-delay-ms", "5000", "--consistency-writes"};
  options.seed = [&](const std::filesystem::path& seed) { write_json(seed, "users.json", list_of("users", users_mentioned(files))); };
  options.policy_interval = std::chrono::milliseconds(0);
  Testbed bed(options);

  auto desired = bed.load(files);
  auto plan = bed.plan(desired);
  CHECK(plan.changes.size() == desired.resources.size());
  bed.apply(plan);
  // Replication: once the delay has passed, every read sees what the apply wrote.
  bed.sim().advance_clock(5);
  bed.expect_converged(desired);

  // A second round of changes under the same conditions: members out and in, a policy edit.
  files["groups/payments.yaml"] = R"(kind: Group
name: payments-admins
description: Can approve payouts
owners: [alice.nguyen@acme.example]
members:
  - alice.nguyen@acme.example
  - dana.kowalski@acme.example
---
kind: Group
name: payments-oncall
description: Payments on-call rotation
members:
  - bob.schmidt@acme.example
)";
  files["policies/baseline.yaml"] += "---\nkind: ConditionalAccessPolicy\nname: CA-007 Block unknown platforms\nstate: report-only\n"
                                     "users: {include: [all], exclude: [\"group:break-glass\"]}\napplications: {include: [all]}\n"
                                     "platforms: {include: [all], exclude: [windows, macos, ios, android, linux]}\n"
                                     "grant: {operator: or, controls: [block]}\n";
  desired = bed.load(files);
  plan = bed.plan(desired);
  CHECK(summary(plan) == std::vector<std::string>{"update group:payments-admins", "update group:payments-oncall",
                                                  "create policy:CA-007 Block unknown platforms"});
  bed.apply(plan);
  bed.sim().advance_clock(5);
  bed.expect_converged(desired);

  auto stats = bed.sim().stats();
  INFO(stats.dump(2));
  CHECK(stats["faults"]["error"] > 0);
  CHECK(stats["faults"]["dropped"] > 0);
  CHECK(stats["throttled"] > 0);
  CHECK(stats["status"].contains("404"));  // a write met an object that had not replicated yet
}

// A connection dropped after the server did the work leaves a create's outcome unknown. The
// provider looks for the object before it creates it again, so nothing exists twice. (The HTTP
// transport gives every POST a fresh connection, so libcurl cannot silently send it again.)
TEST_CASE("a create whose answer was lost is adopted, not repeated", "[entra]") {
  auto files = acme_resource_files();
  TestbedOptions options;
  options.sim_args = {"--time-scale", "0.01", "--drop-rate", "0.15", "--drop-phase", "after", "--fault-seed", "3",
                      "--consistency-delay-ms", "5000"};
  options.seed = [&](const std::filesystem::path& seed) { write_json(seed, "users.json", list_of("users", users_mentioned(files))); };
  Testbed bed(options);
  auto desired = bed.load(files);
  bed.apply(bed.plan(desired));
  bed.sim().advance_clock(5);
  bed.expect_converged(desired);  // a duplicate would be an ambiguous name here
  CHECK(bed.sim().stats()["faults"]["dropped"] > 0);
}
