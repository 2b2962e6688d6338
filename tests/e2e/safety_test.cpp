// End-to-end safety promises on the sandbox: guards that follow references, remediation of a
// protected group, partial applies with --skip-blocked, refused applies in the audit log, strict
// inputs with file:line:col, validate's capability checks, and config discovery.

#include <catch2/catch.hpp>

#include <sstream>

#include "e2e/e2e_support.hpp"
#include "providers/local/local_provider.hpp"
#include "reconciler/cli/cli.hpp"
#include "support/audit_schema.hpp"

using idform::testing::AcmeCopy;
using idform::testing::converge;
using idform::testing::read_audit_log;
using idform::testing::sandbox_object;
using Catch::Contains;

namespace {

void replace_in(const AcmeCopy& acme, const std::string& file, const std::string& from, const std::string& to) {
  std::string text = acme.read_text(acme.dir() / file);
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  acme.write_file(file, text);
}

void add_break_glass_member(const AcmeCopy& acme) {
  replace_in(acme, "groups/break-glass.yaml", "  - emergency-admin-2@acme.example\n",
             "  - emergency-admin-2@acme.example\n  - bob.schmidt@acme.example\n");
}

}  // namespace

TEST_CASE("adding a member to an emergency-access group trips bypass_membership", "[e2e][guards]") {
  AcmeCopy acme;
  converge(acme);
  add_break_glass_member(acme);
  auto plan = acme.idform({"plan", "--no-color"});
  CHECK_THAT(plan.out, Contains("bypass_membership: group:break-glass bypasses conditional access (named in "
                                "emergency_access); this plan adds user:bob.schmidt@acme.example (members)"));
  auto refused = acme.idform({"apply", "--auto-approve"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Contains("--accept bypass_membership"));
  CHECK(acme.idform({"apply", "--auto-approve", "--accept", "bypass_membership"}).exit_code == 0);
}

TEST_CASE("widening a named location that enabled policies refer to trips location_widening", "[e2e][guards]") {
  AcmeCopy acme;
  converge(acme);
  SECTION("a range added to a location an enabled policy excludes") {
    replace_in(acme, "locations/locations.yaml", "ip_ranges: [203.0.113.0/24, 2001:db8:10::/48]",
               "ip_ranges: [203.0.113.0/24, 2001:db8:10::/48, 0.0.0.0/0]");
    auto plan = acme.idform({"plan", "--no-color"});
    CHECK_THAT(plan.out, Contains("location_widening: location:hq is referred to by enabled policy:CA-003 Block "
                                  "sign-ins from outside allowed countries; this plan adds 0.0.0.0/0 to ip_ranges"));
  }
  SECTION("a country added to an allowed-countries location") {
    replace_in(acme, "locations/locations.yaml", "countries: [DE, FR, GB, NL, US]", "countries: [DE, FR, GB, NL, US, KP]");
    auto plan = acme.idform({"plan", "--no-color"});
    CHECK_THAT(plan.out, Contains("location_widening: location:allowed-countries"));
    CHECK_THAT(plan.out, Contains("adds KP to countries"));
  }
  SECTION("a trusted location reached only through all_trusted") {
    replace_in(acme, "locations/locations.yaml", "ip_ranges: [198.51.100.16/28]", "ip_ranges: [198.51.100.16/28, 192.0.2.0/24]");
    auto plan = acme.idform({"plan", "--no-color"});
    CHECK_THAT(plan.out, Contains("location_widening: location:vpn-egress is referred to by enabled policy:CA-001 "
                                  "Require MFA for all users"));
  }
  CHECK(acme.idform({"apply", "--auto-approve"}).exit_code == 1);
}

TEST_CASE("removing an out-of-band member of a protected group is remediation, not blocked", "[e2e][guards]") {
  AcmeCopy acme;
  converge(acme);
  auto tenant = acme.read_sandbox();
  std::string intruder = tenant["users"][1]["id"];  // bob.schmidt, added in the portal
  sandbox_object(tenant, "groups", "break-glass")["members"].push_back("user:" + intruder);
  acme.write_sandbox(tenant);

  auto plan = acme.idform({"plan", "--no-color"});
  CHECK_THAT(plan.out, !Contains("blocked by"));
  CHECK_THAT(plan.out, Contains("Remediation (called out, not blocked) (1):"));
  CHECK_THAT(plan.out, Contains("group:break-glass is protected; this plan removes user:bob.schmidt@acme.example "
                                "from members, which the configuration does not list"));
  auto applied = acme.idform({"apply", "--auto-approve"});
  INFO(applied.out << applied.err);
  CHECK(applied.exit_code == 0);
  auto after = acme.read_sandbox();
  CHECK(sandbox_object(after, "groups", "break-glass")["members"].size() == 2);

  SECTION("but emptying it is blocked") {
    replace_in(acme, "groups/break-glass.yaml",
               "  - emergency-admin-1@acme.example\n  - emergency-admin-2@acme.example\n", "  []\n");
    replace_in(acme, "groups/break-glass.yaml", "members:\n  []\n", "members: []\n");
    auto emptied = acme.idform({"plan", "--no-color"});
    CHECK_THAT(emptied.out, Contains("protected: group:break-glass is protected; this plan removes every one of its members"));
  }
}

TEST_CASE("a nightly apply --skip-blocked removes expired access while a guard holds back the rest", "[e2e][apply][guards]") {
  AcmeCopy acme;
  converge(acme);
  add_break_glass_member(acme);  // an unrelated change that trips bypass_membership
  std::string audit = (acme.dir() / "audit.jsonl").string();
  // By 2027-01-20, xavier.dubois's access to contractors (expires 2027-01-15) has lapsed.
  std::map<std::string, std::string> later = {{"IDFORM_TODAY", "2027-01-20"}};

  auto refused = acme.idform({"apply", "--auto-approve", "--audit-log", audit}, later);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Contains("--skip-blocked"));
  auto refused_lines = read_audit_log(audit);
  REQUIRE(refused_lines.size() == 2);
  for (const auto& line : refused_lines) {
    CHECK(line["outcome"] == "refused");
    CHECK_THAT(line["detail"].get<std::string>(), Contains("bypass_membership not accepted"));
  }

  auto nightly = acme.idform({"apply", "--auto-approve", "--skip-blocked", "--audit-log", audit, "--no-color"}, later);
  INFO(nightly.out << nightly.err);
  CHECK(nightly.exit_code == 1);  // something is still held back: a human must look
  CHECK_THAT(nightly.out, Contains("group:break-glass: held back: blocked by guard bypass_membership"));
  CHECK_THAT(nightly.out, Contains("group:contractors: update complete"));
  auto tenant = acme.read_sandbox();
  CHECK(sandbox_object(tenant, "groups", "break-glass")["members"].size() == 2);

  auto lines = read_audit_log(audit);
  REQUIRE(lines.size() == 4);
  const auto& held = lines[2];
  CHECK(held["address"] == "group:break-glass");
  CHECK(held["outcome"] == "held_back");
  CHECK_THAT(held["detail"].get<std::string>(), Contains("blocked by guard bypass_membership"));
  CHECK(held["skip_blocked"] == true);
  const auto& removal = lines[3];
  CHECK(removal["address"] == "group:contractors");
  CHECK(removal["outcome"] == "applied");
  REQUIRE(removal["access"].size() == 1);
  CHECK(removal["access"][0]["element"] == "user:xavier.dubois@acme.example");
  CHECK(removal["access"][0]["change"] == "removed");
  CHECK(removal["access"][0]["expires"] == "2027-01-15");
  CHECK(removal["access"][0]["reason"] == "SOW-2304 penetration test");
  CHECK(removal["access"][0]["note"] == "expired on 2027-01-15");
  CHECK(removal["run"] == held["run"]);
  CHECK(removal["config"]["dirty"] == false);
  CHECK(removal["plan_fingerprint"].get<std::string>().size() == 64);

  auto replan = acme.idform({"plan", "--format", "json"}, later);
  auto remaining = nlohmann::json::parse(replan.out)["changes"];
  REQUIRE(remaining.size() == 1);
  CHECK(remaining[0]["address"] == "group:break-glass");
}

void add_temporary_contractor(const AcmeCopy& acme) {
  replace_in(acme, "groups/security.yaml", "    reason: SOW-2304 penetration test\n",
             "    reason: SOW-2304 penetration test\n  - user: bob.schmidt@acme.example\n"
             "    expires: 2026-12-10\n    reason: INC-4700 audit support\n");
}

TEST_CASE("the audit log records accepted guards and each added member's expiry and reason", "[e2e][apply]") {
  AcmeCopy acme;
  add_temporary_contractor(acme);
  std::string audit = (acme.dir() / "audit.jsonl").string();
  auto applied = acme.idform({"apply", "--auto-approve", "--audit-log", audit, "--accept", "max_deletes"},
                             {{"GITHUB_ACTOR", "octo-reviewer"}});
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 0);
  bool saw_grant = false;
  for (const auto& line : read_audit_log(audit)) {
    CHECK(line["outcome"] == "applied");
    CHECK(line["actor"] == "octo-reviewer");
    CHECK(line["accepted_guards"] == nlohmann::json::array({"max_deletes"}));
    for (const auto& entry : line["access"])
      if (entry["element"] == "user:bob.schmidt@acme.example" && entry["change"] == "added") {
        saw_grant = true;
        CHECK(line["address"] == "group:contractors");
        CHECK(entry["expires"] == "2026-12-10");
        CHECK(entry["reason"] == "INC-4700 audit support");
      }
  }
  CHECK(saw_grant);
}

TEST_CASE("the audit line schema can fail", "[e2e][apply]") {
  nlohmann::json line = {{"format_version", 1}, {"outcome", "exploded"}};
  CHECK_FALSE(idform::testing::audit_line_problems(line).empty());
}

TEST_CASE("plans show temporary access and what expires soon", "[e2e][plan]") {
  AcmeCopy acme;
  add_temporary_contractor(acme);
  std::map<std::string, std::string> today = {{"IDFORM_TODAY", "2026-12-01"}};
  auto text = acme.idform({"plan", "--no-color", "--expiring-within", "60"}, today);
  INFO(text.out << text.err);
  CHECK_THAT(text.out, Contains("+ user:bob.schmidt@acme.example   (expires 2026-12-10: INC-4700 audit support)"));
  CHECK_THAT(text.out, Contains("Access expiring within 60 days (2):"));
  CHECK_THAT(text.out, Contains("group:contractors user:xavier.dubois@acme.example (2027-01-15 (in 45 days): SOW-2304 penetration test)"));
  CHECK_THAT(text.out, Contains("group:contractors user:wei.zhang@acme.example: expires 2027-06-30 (in 211 days): SOW-2291 data migration"));
  auto json = acme.idform({"plan", "--format", "json"}, today);
  auto plan = nlohmann::json::parse(json.out);
  CHECK(plan["expiring_within_days"] == 14);
  REQUIRE(plan["expiring_soon"].size() == 1);
  CHECK(plan["expiring_soon"][0]["element"] == "user:bob.schmidt@acme.example");
  CHECK(plan["expiring_soon"][0]["status"] == "added");
  CHECK(plan["expiring_soon"][0]["reason"] == "INC-4700 audit support");
  auto markdown = acme.idform({"plan", "--format", "markdown"}, today);
  CHECK_THAT(markdown.out, Contains("Access expiring within 14 days"));
  CHECK_THAT(markdown.out, Contains("SOW-2291 data migration"));
  CHECK_THAT(markdown.out, Contains("user:bob.schmidt@acme.example   (expires 2026-12-10: INC-4700 audit support)"));
}

TEST_CASE("strict inputs: each bad value exits 1 and names where it is", "[e2e][config]") {
  AcmeCopy acme;
  SECTION("IDFORM_TODAY must be a calendar date") {
    for (const char* bad : {"abc", "2027-1-5", "2027-02-30"}) {
      auto result = acme.idform({"plan"}, {{"IDFORM_TODAY", bad}});
      INFO(bad);
      CHECK(result.exit_code == 1);
      CHECK_THAT(result.err, Contains("IDFORM_TODAY=\"" + std::string(bad) + "\" is not a calendar date"));
    }
  }
  SECTION("expires must be a calendar date") {
    replace_in(acme, "groups/security.yaml", "expires: 2027-01-15", "expires: 2027-02-30");
    auto result = acme.idform({"validate"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("groups/security.yaml:32:"));
    CHECK_THAT(result.err, Contains("2027-02-30"));
  }
  SECTION("a CIDR with host bits set names its network") {
    replace_in(acme, "locations/locations.yaml", "ip_ranges: [198.51.100.16/28]", "ip_ranges: [192.0.2.1/24]");
    auto result = acme.idform({"validate"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("locations/locations.yaml:9:"));
    CHECK_THAT(result.err, Contains("\"192.0.2.1/24\" has host bits set; write the network, 192.0.2.0/24"));
  }
  SECTION("a country code must be assigned in ISO 3166-1") {
    replace_in(acme, "locations/locations.yaml", "countries: [DE, FR, GB, NL, US]", "countries: [DE, XX]");
    auto result = acme.idform({"validate"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("locations/locations.yaml:13:"));
    CHECK_THAT(result.err, Contains("\"XX\" is not an ISO 3166-1 alpha-2 country code"));
  }
  SECTION("--accept must name a guard") {
    auto result = acme.idform({"apply", "--auto-approve", "--accept", "max_delete"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("--accept max_delete: there is no guard of that name (did you mean \"max_deletes\"?)"));
  }
  SECTION("names equal but for case are one object") {
    acme.write_file("groups/zz-twin.yaml", "kind: Group\nname: Break-Glass\n");
    auto result = acme.idform({"validate"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("groups/zz-twin.yaml:2:7: group name \"Break-Glass\" differs only in case from \"break-glass\""));
  }
}

TEST_CASE("validate checks what every target's provider can express, offline", "[e2e][config]") {
  AcmeCopy acme;
  replace_in(acme, "idform.yaml", "targets:\n",
             "targets:\n  okta-prod:\n    provider: okta\n    org_url: https://acme.okta.example\n"
             "    auth: {method: api_token, token_env: IDFORM_TEST_NO_SUCH_TOKEN}\n");
  auto result = acme.idform({"validate"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("locations/locations.yaml:3:10: trusted: provider \"okta\" cannot express this"));
  CHECK_THAT(result.err, Contains("(target okta-prod, provider okta)"));
  auto sandbox_only = acme.idform({"validate", "--target", "sandbox"});
  CHECK(sandbox_only.exit_code == 0);
}

TEST_CASE("outside a config repository, commands stop at the missing idform.yaml", "[e2e][config]") {
  idform::testing::TempDir empty;
  std::filesystem::create_directories(empty.path() / "groups");
  std::ofstream(empty.path() / "groups" / "x.yaml") << "kind: Group\nname: [broken\n";
  auto result = idform::testing::run_process({IDFORM_BINARY, "validate", "--config", (empty.path() / "groups").string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("no idform.yaml in"));
  CHECK_THAT(result.err, !Contains("x.yaml"));
}

TEST_CASE("the interactive apply prompt repeats what needs attention right above the question", "[e2e][apply]") {
  AcmeCopy acme;
  idform::provider::Registry registry;
  registry.add("local", idform::providers::make_local_provider);
  std::ostringstream out, err;
  std::istringstream in("no\n");
  idform::cli::Io io{out, err, in, true, false, false, [](const std::string& name) {
                       return name == "IDFORM_TODAY" ? std::string("2026-11-29") : std::string();
                     }};
  int code = idform::cli::run({"apply", "--config", acme.dir().string(), "--no-color"}, registry, io);
  CHECK(code == 1);  // answered "no"
  std::string text = out.str();
  auto question = text.find("Do you want to apply these changes?");
  REQUIRE(question != std::string::npos);
  auto last_attention = text.rfind("Needs attention:");
  REQUIRE(last_attention != std::string::npos);
  CHECK(text.find("Needs attention:") == 0);  // the plan opens with it
  CHECK(last_attention > text.find("Plan: "));  // and it is repeated after the plan, before the question
  CHECK(last_attention < question);
  CHECK_THAT(text.substr(last_attention, question - last_attention),
             Contains("policy:CA-099 Temporary exclusion for migration"));
}
