// The ldap plugin end to end through the idform executable: a config whose target runs
// idform-provider-ldap (plugin: PATH) against a slapd on loopback validates, plans, applies and
// converges; config the directory cannot hold is refused by validate, naming the provider; the
// bind password never appears in what idform prints.

#include <catch2/catch.hpp>

#include "support/process.hpp"
#include "support/slapd_process.hpp"
#include "support/temp_dir.hpp"
#include "support/ldap_testbed.hpp"
#include "support/plugin_schemas.hpp"

using idform::testing::ProcessResult;
using idform::testing::SlapdProcess;
using idform::testing::TempDir;
using idform::testing::ldap_people;

namespace {

std::string ldap_cli_project(const SlapdProcess& slapd) {
  return "version: 1\ndefault_target: directory\ntargets:\n  directory:\n    provider: ldap\n"
         "    plugin: " IDFORM_LDAP_PLUGIN "\n    settings:\n"
         "      url: " + slapd.url() + "\n      bind_dn: " + SlapdProcess::bind_dn() + "\n"
         "      password_env: IDFORM_TEST_LDAP_PASSWORD\n      base_dn: dc=example,dc=test\n"
         "      group_container: ou=groups,dc=example,dc=test\n      user_attribute: mail\n      dialect: openldap\n";
}

ProcessResult ldap_cli(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), IDFORM_BINARY);
  args.push_back("--config");
  args.push_back(dir.str());
  args.push_back("--no-color");
  return idform::testing::run_process(args, {{"IDFORM_TEST_LDAP_PASSWORD", SlapdProcess::bind_password()}});
}

}  // namespace

TEST_CASE("ldap plugin through the CLI: validate, plan, apply, converge", "[ldap-cli]") {
  SlapdProcess slapd({.seed = ldap_people()});
  TempDir dir;
  dir.write("idform.yaml", ldap_cli_project(slapd));
  dir.write("groups/team.yaml", "kind: Group\nname: team\ndescription: The team\n"
                                "members: [alice@example.test, bob@example.test, {group: oncall}]\n---\n"
                                "kind: Group\nname: oncall\nmembers: [carol@example.test]\n");
  auto validated = ldap_cli(dir, {"validate"});
  INFO(validated.out << validated.err);
  REQUIRE(validated.exit_code == 0);

  auto planned = ldap_cli(dir, {"plan", "--detailed-exitcode"});
  INFO(planned.out << planned.err);
  CHECK(planned.exit_code == 2);
  CHECK(planned.out.find("group:team") != std::string::npos);

  auto applied = ldap_cli(dir, {"apply", "--auto-approve"});
  INFO(applied.out << applied.err);
  CHECK(applied.exit_code == 0);

  auto again = ldap_cli(dir, {"plan", "--detailed-exitcode"});
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);

  // A member out, through the same path.
  dir.write("groups/team.yaml", "kind: Group\nname: team\ndescription: The team\n"
                                "members: [alice@example.test, {group: oncall}]\n---\n"
                                "kind: Group\nname: oncall\nmembers: [carol@example.test]\n");
  auto removal = ldap_cli(dir, {"apply", "--auto-approve"});
  INFO(removal.out << removal.err);
  CHECK(removal.exit_code == 0);
  CHECK(removal.out.find("bob@example.test") != std::string::npos);
  CHECK(ldap_cli(dir, {"plan", "--detailed-exitcode"}).exit_code == 0);

  for (const ProcessResult* run : {&validated, &planned, &applied, &again, &removal}) {
    CHECK(run->out.find(SlapdProcess::bind_password()) == std::string::npos);
    CHECK(run->err.find(SlapdProcess::bind_password()) == std::string::npos);
  }
}

TEST_CASE("ldap plugin: validate refuses what a directory cannot hold", "[ldap-cli]") {
  SlapdProcess slapd({.seed = ldap_people()});
  TempDir dir;
  dir.write("idform.yaml", ldap_cli_project(slapd));
  dir.write("apps/crm.yaml", "kind: Application\nname: CRM\nsso:\n  protocol: oidc\n"
                             "  oidc: {redirect_uris: [\"https://crm.example.test/callback\"]}\n");
  dir.write("groups/owned.yaml", "kind: Group\nname: owned\nowners: [alice@example.test]\nmembers: [bob@example.test]\n");
  auto validated = ldap_cli(dir, {"validate"});
  INFO(validated.out << validated.err);
  CHECK(validated.exit_code == 1);
  CHECK(validated.err.find("apps/crm.yaml:1:1") != std::string::npos);
  CHECK(validated.err.find("provider \"ldap\" cannot express") != std::string::npos);
  CHECK(validated.err.find("groups/owned.yaml:3:") != std::string::npos);
}

TEST_CASE("ldap plugin: settings are checked against its schema before it is configured, each at its line",
          "[ldap-cli]") {
  // No directory is needed: the settings are refused before configure, so nothing connects.
  TempDir dir;
  dir.write("idform.yaml",
            "version: 1\ndefault_target: directory\ntargets:\n  directory:\n    provider: ldap\n"
            "    plugin: " IDFORM_LDAP_PLUGIN
            "\n    settings:\n"
            "      url: ldap://127.0.0.1:1\n      base: dc=example,dc=test\n"
            "      page_size: many\n");
  dir.write("groups/team.yaml", "kind: Group\nname: team\nmembers: []\n");
  for (const std::string command : {"validate", "plan"}) {
    auto refused = ldap_cli(dir, {command});
    INFO(command << "\n" << refused.err);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("/idform.yaml:9:7: targets.directory: unknown field \"base\" (did you mean \"base_dn\"?)") !=
          std::string::npos);
    CHECK(refused.err.find("/idform.yaml:10:18: targets.directory.page_size: expected a whole number, got a string") !=
          std::string::npos);
    CHECK(refused.err.find("/idform.yaml:5:5: targets.directory: missing required field \"base_dn\"") !=
          std::string::npos);
  }
}

TEST_CASE("conformance kit: the ldap plugin passes against slapd, skipping what a directory cannot hold", "[ldap-cli]") {
  SlapdProcess slapd({.seed = ldap_people()});
  TempDir dir;
  // groupOfNames cannot be empty: the kit empties a group, so the service account stands in.
  dir.write("idform.yaml", ldap_cli_project(slapd) + "      placeholder_member: " + SlapdProcess::bind_dn() + "\n");
  const std::string record = (dir.path() / "session.jsonl").string();
  auto result = idform::testing::run_process({IDFORM_BINARY, "provider", "test", "--config", dir.str()},
                                             {{"IDFORM_TEST_LDAP_PASSWORD", SlapdProcess::bind_password()},
                                              {"IDFORM_PLUGIN_RECORD", record}});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("skip  an application assigned to a group: create, update, delete: the provider declares no "
                        "Application capability") != std::string::npos);
  CHECK(result.out.find("\n8 passed, 0 failed, 3 skipped\n") != std::string::npos);
  CHECK(result.out.find(SlapdProcess::bind_password()) == std::string::npos);
  auto counts = idform::testing::check_recorded_session(record);
  CHECK(counts["host"] > 10);
}
