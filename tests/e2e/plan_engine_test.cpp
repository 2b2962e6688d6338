// End-to-end behaviour of the plan engine on the sandbox: saved plans and the stale check,
// guards, drift, partial failure, and the audit log.

#include <catch2/catch.hpp>

#include "e2e/e2e_support.hpp"
#include "support/audit_schema.hpp"

using idform::testing::AcmeCopy;
using idform::testing::converge;
using idform::testing::sandbox_object;
using Catch::Contains;

TEST_CASE("a saved plan applies exactly, and only while the tenant is unchanged", "[e2e][plan]") {
  AcmeCopy acme;
  std::string plan_file = (acme.dir() / "plan.json").string();
  auto planned = acme.idform({"plan", "--out", plan_file});
  REQUIRE(planned.exit_code == 0);

  SECTION("unchanged tenant: applies") {
    auto applied = acme.idform({"apply", plan_file});
    INFO(applied.out << applied.err);
    CHECK(applied.exit_code == 0);
    CHECK(acme.idform({"plan", "--detailed-exitcode"}).exit_code == 0);
  }
  SECTION("objects edited underneath: refused by name, nothing applied") {
    auto tenant = acme.read_sandbox();
    sandbox_object(tenant, "groups", "engineering")["description"] = "edited in the portal";
    sandbox_object(tenant, "applications", "Salesforce")["assignments"] = nlohmann::json::array();
    acme.write_sandbox(tenant);
    std::string before = acme.read_text(acme.sandbox());

    auto applied = acme.idform({"apply", plan_file});
    CHECK(applied.exit_code == 1);
    CHECK_THAT(applied.err, Contains("group:engineering: description changed since the plan was made"));
    CHECK_THAT(applied.err, Contains("app:Salesforce: assignments changed since the plan was made"));
    CHECK(acme.read_text(acme.sandbox()) == before);
  }
  SECTION("a plan made from another configuration is refused") {
    acme.write_file("groups/extra.yaml", "kind: Group\nname: extra\n");
    auto applied = acme.idform({"apply", plan_file});
    CHECK(applied.exit_code == 1);
    CHECK_THAT(applied.err, Contains("different configuration"));
  }
  SECTION("a plan for another target is refused") {
    auto applied = acme.idform({"apply", plan_file, "--target", "entra-prod"});
    CHECK(applied.exit_code == 1);
    CHECK_THAT(applied.err, Contains("made for target \"sandbox\""));
  }
}

TEST_CASE("removing 30 members trips max_member_removals until accepted", "[e2e][guards]") {
  AcmeCopy acme;
  converge(acme);
  auto tenant = acme.read_sandbox();
  auto& support = sandbox_object(tenant, "groups", "support");
  for (int i = 0; i < 30; ++i) {
    std::string email = "temp" + std::to_string(i) + "@acme.example";
    std::string id = "u-temp-" + std::to_string(i);
    tenant["users"].push_back({{"id", id}, {"email", email}, {"display_name", "Temp"}});
    support["members"].push_back("user:" + id);
  }
  acme.write_sandbox(tenant);

  auto plan = acme.idform({"plan", "--no-color"});
  CHECK_THAT(plan.out, Contains("This plan is blocked by 1 guard"));
  CHECK_THAT(plan.out, Contains("max_member_removals: 30 member removals exceed max_member_removals (25)"));

  auto refused = acme.idform({"apply", "--auto-approve"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Contains("--accept max_member_removals"));
  auto unchanged = acme.read_sandbox();
  CHECK(sandbox_object(unchanged, "groups", "support")["members"].size() == 33);

  auto accepted = acme.idform({"apply", "--auto-approve", "--accept", "max_member_removals"});
  INFO(accepted.out << accepted.err);
  CHECK(accepted.exit_code == 0);
  auto after = acme.read_sandbox();
  CHECK(sandbox_object(after, "groups", "support")["members"].size() == 3);
}

TEST_CASE("weakening a policy is blocked: an exclusion added, a grant control removed", "[e2e][guards]") {
  AcmeCopy acme;
  converge(acme);
  std::string text = acme.read_text(acme.dir() / "policies/baseline.yaml");
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace("users:        {include: [all], exclude: [\"group:break-glass\"]}\napplications: {include: [all]}\nlocations:",
          "users:        {include: [all], exclude: [\"group:break-glass\", \"group:contractors\"]}\napplications: {include: [all]}\nlocations:");
  acme.write_file("policies/baseline.yaml", text);
  auto plan = acme.idform({"plan", "--no-color"});
  CHECK_THAT(plan.out, Contains("policy_weakening: policy:CA-001 Require MFA for all users is weakened: adds exclusion(s) to users.exclude: group:contractors"));
  CHECK(acme.idform({"apply", "--auto-approve"}).exit_code == 1);
  CHECK(acme.idform({"apply", "--auto-approve", "--accept", "policy_weakening"}).exit_code == 0);
}

TEST_CASE("drift reports hand edits with exit 2, and 0 after apply", "[e2e][drift]") {
  AcmeCopy acme;
  converge(acme);
  auto clean = acme.idform({"drift"});
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.out, Contains("No drift"));

  auto tenant = acme.read_sandbox();
  sandbox_object(tenant, "groups", "finance")["members"].push_back("user:" + tenant["users"][0]["id"].get<std::string>());
  sandbox_object(tenant, "named_locations", "hq")["trusted"] = false;
  acme.write_sandbox(tenant);

  auto drift = acme.idform({"drift"});
  CHECK(drift.exit_code == 2);
  CHECK_THAT(drift.out, Contains("group:finance"));
  CHECK_THAT(drift.out, Contains("is in the tenant but not in the configuration"));
  CHECK_THAT(drift.out, Contains("trusted: tenant has false, configuration says true"));
  auto json = acme.idform({"drift", "--format", "json"});
  CHECK(json.exit_code == 2);
  CHECK(nlohmann::json::parse(json.out)["objects"].size() == 2);

  // Restoring hq's trust widens what the tenant enforces now (someone may have narrowed it during
  // an incident), so it waits for a human to accept it.
  auto blocked = acme.idform({"apply", "--auto-approve"});
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.err, Contains("--accept location_widening"));
  auto accepted = acme.idform({"apply", "--auto-approve", "--accept", "location_widening"});
  CHECK(accepted.exit_code == 0);
  CHECK(acme.idform({"drift"}).exit_code == 0);
}

TEST_CASE("a failed change skips exactly its dependents - the next plan shows what remains", "[e2e][apply]") {
  AcmeCopy acme;
  // github-users is created by the plan; GitHub Enterprise's assignment depends on it.
  auto tenant = acme.read_sandbox();
  tenant["faults"] = {{"fail_apply", {"group:github-users"}}};
  acme.write_sandbox(tenant);
  std::string audit = (acme.dir() / "audit.jsonl").string();

  auto applied = acme.idform({"apply", "--auto-approve", "--audit-log", audit, "--no-color"});
  INFO(applied.out << applied.err);
  CHECK(applied.exit_code == 1);
  CHECK_THAT(applied.out, Contains("group:github-users: create FAILED: injected failure for group:github-users"));
  CHECK_THAT(applied.out, Contains("app:GitHub Enterprise: skipped: depends on group:github-users"));
  // A create failed, so the pruned policy's deletion is held back rather than run.
  CHECK_THAT(applied.out, Contains("policy:CA-099 Temporary exclusion for migration: held back: group:github-users did not apply"));
  CHECK_THAT(applied.out, Contains("1 failed, 1 skipped, 1 held back"));

  auto replan = acme.idform({"plan", "--format", "json"});
  auto plan = nlohmann::json::parse(replan.out);
  std::vector<std::string> remaining;
  for (const auto& change : plan["changes"]) remaining.push_back(change["address"]);
  CHECK(remaining == std::vector<std::string>{"group:github-users", "app:GitHub Enterprise",
                                              "policy:CA-099 Temporary exclusion for migration"});

  int failed = 0, skipped = 0, held_back = 0;
  auto lines = idform::testing::read_audit_log(audit);
  for (const auto& entry : lines) {
    if (entry["outcome"] == "failed") ++failed;
    if (entry["outcome"] == "skipped") ++skipped;
    if (entry["outcome"] == "held_back") ++held_back;
    CHECK(entry["target"] == "sandbox");
  }
  CHECK(failed == 1);
  CHECK(skipped == 1);
  CHECK(held_back == 1);
  CHECK(lines.size() == 10);  // one line per change of the plan: 7 applied, 1 failed, 1 skipped, 1 held back
}
