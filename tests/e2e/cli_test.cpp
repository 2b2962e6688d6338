// End-to-end: the real idform binary on a temporary copy of examples/acme, as a user runs it.

#include <catch2/catch.hpp>

#include "e2e/e2e_support.hpp"

using idform::testing::AcmeCopy;
using Catch::Contains;

TEST_CASE("the first plan of examples/acme shows creates, updates, removals and unmanaged objects", "[e2e]") {
  AcmeCopy acme;
  auto result = acme.idform({"plan", "--detailed-exitcode", "--no-color"});
  INFO(result.err);
  REQUIRE(result.exit_code == 2);
  CHECK_THAT(result.out, Contains("group:github-users will be created"));
  CHECK_THAT(result.out, Contains("location:vpn-egress will be created"));
  CHECK_THAT(result.out, Contains("group:engineering will be updated in place"));
  CHECK_THAT(result.out, Contains("description = \"Engineering\" -> \"Everyone who writes or operates Acme's software\""));
  CHECK_THAT(result.out, Contains("- user:former.employee@acme.example"));
  CHECK_THAT(result.out, Contains("- user:carol.white@acme.example   (expired on 2026-01-31)"));
  CHECK_THAT(result.out, Contains("policy:CA-099 Temporary exclusion for migration will be deleted"));
  CHECK_THAT(result.out, Contains("2 objects in the tenant are not in the configuration"));
  CHECK_THAT(result.out, Contains("Plan: 4 to create, "));
  // Additive membership: the member the marketing tool added is left alone.
  CHECK_THAT(result.out, !Contains("campaign.temp@acme.example"));
  CHECK(result.err.empty());
}

TEST_CASE("apply converges: the next plan is empty", "[e2e]") {
  AcmeCopy acme;
  auto applied = acme.idform({"apply", "--auto-approve", "--no-color"});
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 0);
  CHECK_THAT(applied.out, Contains("Apply complete: "));
  CHECK_THAT(applied.out, Contains("0 failed, 0 skipped"));

  auto replan = acme.idform({"plan", "--detailed-exitcode", "--no-color"});
  INFO(replan.out << replan.err);
  CHECK(replan.exit_code == 0);
  CHECK_THAT(replan.out, Contains("No changes."));

  // Unmanaged objects were left alone; the pruned CA- policy is gone.
  auto tenant = acme.read_sandbox();
  CHECK_NOTHROW(idform::testing::sandbox_object(tenant, "groups", "old-project-team"));
  CHECK_THROWS(idform::testing::sandbox_object(tenant, "conditional_access_policies",
                                               "CA-099 Temporary exclusion for migration"));
}

TEST_CASE("apply without --auto-approve on a non-terminal refuses and changes nothing", "[e2e]") {
  AcmeCopy acme;
  std::string before = acme.read_text(acme.sandbox());
  auto result = acme.idform({"apply", "--no-color"}, {}, "yes\n");
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("--auto-approve"));
  CHECK(acme.read_text(acme.sandbox()) == before);
}

TEST_CASE("validate reports a wrong type at the line and column of the value and applies nothing", "[e2e]") {
  AcmeCopy acme;
  acme.write_file("groups/broken.yaml", "kind: Group\nname: broken\nmembers: alice.nguyen@acme.example\n");
  std::string before = acme.read_text(acme.sandbox());
  auto result = acme.idform({"validate"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains((acme.dir() / "groups/broken.yaml").string() + ":3:10:"));
  CHECK_THAT(result.err, Contains("members"));

  auto apply = acme.idform({"apply", "--auto-approve"});
  CHECK(apply.exit_code == 1);
  CHECK(acme.read_text(acme.sandbox()) == before);
}

TEST_CASE("malformed YAML and a dangling reference are errors with file:line:col", "[e2e]") {
  SECTION("malformed YAML") {
    AcmeCopy acme;
    acme.write_file("groups/bad.yaml", "kind: Group\nname: [unclosed\n");
    auto result = acme.idform({"validate"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains((acme.dir() / "groups/bad.yaml").string() + ":"));
  }
  SECTION("reference to a group that does not exist") {
    AcmeCopy acme;
    acme.write_file("groups/dangling.yaml", "kind: Group\nname: dangling\nmembers:\n  - group: no-such-group\n");
    auto result = acme.idform({"plan"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains((acme.dir() / "groups/dangling.yaml").string() + ":4:"));
    CHECK_THAT(result.err, Contains("no-such-group"));
  }
}

TEST_CASE("help: --help on every command and --version", "[e2e]") {
  AcmeCopy acme;
  for (std::string command : {"validate", "plan", "apply", "drift"}) {
    auto result = idform::testing::run_process({IDFORM_BINARY, command, "--help"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("Usage: idform " + command));
  }
  auto version = idform::testing::run_process({IDFORM_BINARY, "--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Contains("idform "));
  auto unknown = idform::testing::run_process({IDFORM_BINARY, "plan", "--bogus"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Contains("unknown option --bogus"));
}

TEST_CASE("an unknown user is reported at its line and nothing is planned", "[e2e]") {
  AcmeCopy acme;
  acme.write_file("groups/ghost.yaml", "kind: Group\nname: ghost\nmembers:\n  - nobody@acme.example\n");
  auto result = acme.idform({"plan"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("nobody@acme.example"));
  CHECK_THAT(result.err, Contains("does not exist in the tenant"));
}

TEST_CASE("a policy that does not exclude the break-glass group is a validation error", "[e2e]") {
  AcmeCopy acme;
  acme.write_file("policies/lockout.yaml",
                  "kind: ConditionalAccessPolicy\nname: CA-100 Block everyone\nstate: enabled\n"
                  "users: {include: [all]}\napplications: {include: [all]}\ngrant: {operator: or, controls: [block]}\n");
  auto result = acme.idform({"validate"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains((acme.dir() / "policies/lockout.yaml").string() + ":4:8:"));
  CHECK_THAT(result.err, Contains("does not exclude emergency-access group:break-glass"));
}
