// examples/acme against an Okta org in idp-sim, through the idform binary: the example as it is
// is refused with one clear error per field Okta cannot express; the Okta-expressible copy
// (tests/fixtures/okta/acme, README there) plans, applies, and then plans to no changes. Then
// `idform import` of that org into an empty tree plans to no changes too, and imports again
// byte for byte. No secret reaches any output.

#include <catch2/catch.hpp>
#include <regex>

#include "support/config_tree.hpp"
#include "e2e/e2e_support.hpp"
#include "fixtures/okta/okta_testbed.hpp"

using namespace idform::testing;
using namespace idform::testing::okta;
using nlohmann::json;

namespace {

const char* kAcmeUsers[] = {
    "alice.nguyen", "bob.schmidt",   "campaign.temp",  "carlos.mendes",    "carol.white",    "dana.kowalski",
    "emergency-admin-1", "emergency-admin-2", "erik.johansson", "fatima.haddad", "former.employee", "grace.obi",
    "hiro.tanaka",  "ivan.petrov",   "julia.santos",   "kenji.sato",       "lena.fischer",   "maria.garcia",
    "noah.williams", "olivia.brown", "paula.rossi",    "quentin.moreau",   "rachel.kim",     "samuel.adeyemi",
    "tara.oconnor", "uma.patel",     "victor.lindqvist", "wei.zhang",      "xavier.dubois",  "yusuf.demir",
    "zoe.martin"};

json acme_users() {
  json users = json::array();
  int n = 0;
  for (const char* name : kAcmeUsers) {
    char id[32];
    std::snprintf(id, sizeof id, "00uacme%013d", ++n);
    std::string login = std::string(name) + "@acme.example";
    users.push_back(okta_user(id, login, name, "Acme"));
  }
  return users;
}

// A copy of examples/acme whose idform.yaml also has an okta-sim target (the default).
void add_okta_target(const AcmeCopy& acme, const Testbed& bed) {
  std::string project = acme.read_text(acme.dir() / "idform.yaml");
  project = std::regex_replace(project, std::regex("default_target: sandbox"), "default_target: okta-sim");
  std::string ca_bundle = bed.sim().ca_file().empty() ? "" : "\n    ca_bundle: " + bed.sim().ca_file();
  std::string target = "targets:\n  okta-sim:\n    provider: okta\n    org_url: " + bed.sim().base_url() + ca_bundle +
                       "\n    auth: {method: api_token, token_env: " + kTokenEnv + "}\n";
  project = std::regex_replace(project, std::regex("targets:\n"), target);
  acme.write_file("idform.yaml", project);
}

void use_okta_fixture(const AcmeCopy& acme) {
  for (const char* kind : {"groups", "apps", "policies", "locations"}) {
    std::filesystem::remove_all(acme.dir() / kind);
    std::filesystem::copy(std::filesystem::path(IDFORM_SOURCE_DIR) / "tests/fixtures/okta/acme" / kind,
                          acme.dir() / kind, std::filesystem::copy_options::recursive);
  }
}

std::map<std::string, std::string> okta_env() { return {{kTokenEnv, kApiToken}}; }

void check_no_secret(const ProcessResult& result) {
  CHECK(result.out.find(kApiToken) == std::string::npos);
  CHECK(result.err.find(kApiToken) == std::string::npos);
}

}  // namespace

TEST_CASE("okta acme: the example as it is gives one check() error per field Okta cannot express",
          "[okta-provider]") {
  Testbed bed({.sim_args = {"--time-scale", "0.01"}, .seed = {}, .users = acme_users()});
  AcmeCopy acme;
  add_okta_target(acme, bed);
  ProcessResult plan = acme.idform({"plan", "--no-color"}, okta_env());
  INFO(plan.err);
  CHECK(plan.exit_code == 1);
  CHECK(plan.out.empty());
  check_no_secret(plan);
  // Every refusal names the field, says okta, and points at the file and line.
  for (const char* expected : {
           "groups/engineering.yaml:4:9: owners: provider \"okta\" cannot express this",
           "members: group:platform-engineers: provider \"okta\" cannot express this",
           "apps/salesforce.yaml:10:8: roles: provider \"okta\" cannot express this",
           "assignments: user:ivan.petrov@acme.example|role:System Administrator: provider \"okta\"",
           "sso.saml.sign_on_url: provider \"okta\" cannot express this",
           "sso.saml.logout_url: provider \"okta\" cannot express this",
           "sso.oidc.public_client_redirect_uris: provider \"okta\" cannot express this",
           "client_app_types: provider \"okta\" cannot express this",
           "applications.include: all: provider \"okta\" cannot express this",
           "locations.exclude: all_trusted: provider \"okta\" cannot express this",
           "users.include: role:Global Administrator: provider \"okta\" cannot express this",
           "state: report-only: provider \"okta\" cannot express this",
           "grant.controls: compliant_device: provider \"okta\" cannot express this",
           "sign_in_risk: [medium, high]: provider \"okta\" cannot express this",
           "locations/locations.yaml:3:10: trusted: provider \"okta\" cannot express this",
       }) {
    INFO(expected);
    CHECK(plan.err.find(expected) != std::string::npos);
  }
  CHECK(plan.err.find("feature(s) provider \"okta\" cannot express") != std::string::npos);
  CHECK(bed.sim().stats()["requests"].empty());  // refused before anything was read
}

TEST_CASE("okta acme: plan, apply, plan again shows no changes - import round trip", "[okta-provider]") {
  Testbed bed({.sim_args = {"--time-scale", "0.01"}, .seed = {}, .users = acme_users()});
  AcmeCopy acme;
  add_okta_target(acme, bed);
  use_okta_fixture(acme);

  ProcessResult plan = acme.idform({"plan", "--no-color", "--detailed-exitcode"}, okta_env());
  INFO(plan.err);
  REQUIRE(plan.exit_code == 2);
  CHECK(plan.out.find("Plan: 33 to create, 0 to update, 0 to delete") != std::string::npos);
  check_no_secret(plan);

  ProcessResult apply = acme.idform({"apply", "--auto-approve", "--no-color"}, okta_env());
  INFO(apply.out << apply.err);
  REQUIRE(apply.exit_code == 0);
  check_no_secret(apply);

  ProcessResult again = acme.idform({"plan", "--no-color", "--detailed-exitcode"}, okta_env());
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("No changes") != std::string::npos);
  check_no_secret(again);

  // What Okta holds: each policy guards its apps, the rest stay on the default policy.
  json state = bed.sim().state();
  std::map<std::string, std::string> policy_names;
  for (const auto& policy : state["collections"]["policies"]) policy_names[policy["id"]] = policy["name"];
  std::map<std::string, std::string> policy_of_app;
  for (const auto& app : state["collections"]["apps"]) {
    std::string href = app["_links"]["accessPolicy"]["href"];
    policy_of_app[app["label"]] = policy_names[href.substr(href.rfind('/') + 1)];
  }
  CHECK(policy_of_app["Salesforce"] == "CA-006 Short sessions for contractors");
  CHECK(policy_of_app["Grafana"] == "CA-006 Short sessions for contractors");
  CHECK(policy_of_app["Zendesk"] == "CA-003 Block sign-ins from outside allowed countries");
  CHECK(policy_of_app["GitHub Enterprise"] == "CA-001 Require MFA for all users");
  CHECK(policy_of_app.size() == 8);
  json stats = bed.sim().stats();
  CHECK(stats["throttled"] == 0);

  // Import the org into an empty tree that only has the target, then plan: no changes.
  TempDir imported;
  std::ofstream(imported.path() / "idform.yaml") << bed.project_file();
  auto import = [&] {
    return run_process({IDFORM_BINARY, "import", "--target", "okta-sim", "--config", imported.path().string(), "--force"},
                       okta_env());
  };
  ProcessResult first = import();
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("Skipped 2 built-in object(s)") != std::string::npos);  // Everyone, the default policy
  check_no_secret(first);
  auto files = idform::testing::read_config_tree(imported.path());
  CHECK(files.size() == 34);  // idform.yaml and 33 objects
  for (const auto& [path, text] : files) CHECK(text.find(kApiToken) == std::string::npos);

  ProcessResult replan = run_process({IDFORM_BINARY, "plan", "--no-color", "--detailed-exitcode", "--config",
                                      imported.path().string()},
                                     {{kTokenEnv, kApiToken}, {"IDFORM_TODAY", "2026-11-29"}});
  INFO(replan.out << replan.err);
  CHECK(replan.exit_code == 0);

  ProcessResult second = import();
  REQUIRE(second.exit_code == 0);
  CHECK(idform::testing::read_config_tree(imported.path()) == files);  // byte-identical
}
