// `idform import` of an Okta org that was not made by idform: vendor-shaped objects with settings
// the config has no word for, built-in and read-only objects of every kind, and two groups of
// the same name. Import writes a tree that validates, plans to no changes, names the duplicates
// by id with a warning, skips and counts what is built in, and is byte-identical the second time.

#include <catch2/catch.hpp>

#include "support/config_tree.hpp"
#include "fixtures/okta/okta_testbed.hpp"

using namespace idform::testing;
using namespace idform::testing::okta;
using nlohmann::json;

namespace {

json vendor_example(const std::string& name) {
  std::string path = std::string(IDFORM_SOURCE_DIR) + "/tests/fixtures/vendor/okta/" + name;
  if (!std::filesystem::exists(path)) FAIL("vendor example " << name << " not found");
  return json::parse(read_text(path));
}

json okta_group(const std::string& id, const std::string& name, const std::string& type = "OKTA_GROUP") {
  return {{"id", id}, {"created", "2023-03-01T10:00:00.000Z"}, {"lastUpdated", "2023-03-01T10:00:00.000Z"},
          {"lastMembershipUpdated", "2023-03-02T10:00:00.000Z"}, {"objectClass", {"okta:user_group"}},
          {"type", type}, {"profile", {{"name", name}, {"description", nullptr}}},
          {"_links", {{"users", {{"href", "https://acme.okta.com/api/v1/groups/" + id + "/users"}}}}}};
}

json link_to_policy(const std::string& policy) {
  return {{"href", "https://acme.okta.com/api/v1/policies/" + policy}};
}

void write_varied_org(const std::filesystem::path& seed) {
  json users = standard_users();
  // Groups: two OKTA_GROUPs named "dup", one with a description, one imported from AD.
  write_json(seed, "groups.json",
             json::array({okta_group("00geng00000000000001", "eng"), okta_group("00gdupa0000000000001", "dup"),
                          okta_group("00gdupb0000000000002", "dup"),
                          okta_group("00gad000000000000001", "Engineering (AD)", "APP_GROUP")}));
  write_json(seed, "groups/00geng00000000000001/users.json", json::array({users[0], users[1]}));
  write_json(seed, "groups/00gdupa0000000000001/users.json", json::array({users[2]}));
  write_json(seed, "groups/00gdupb0000000000002/users.json", json::array({users[3]}));

  // Apps: Okta's own SAML and OIDC examples (with their extra settings), a bookmark, the Admin
  // Console and a service app.
  json saml = vendor_example("app-saml-get.json");
  saml["id"] = "0oasaml0000000000001";
  saml["label"] = "Expenses";
  for (const char* key : {"ssoAcsUrl", "recipient", "destination"}) saml["settings"]["signOn"][key] = "https://expenses.example/acs";
  saml["settings"]["signOn"]["audience"] = "https://expenses.example";
  saml["settings"]["notes"]["admin"] = "Expense reports";
  saml["_links"]["accessPolicy"] = link_to_policy("rst0import0policy001");
  json oidc = vendor_example("app-oidc-get.json");
  oidc["id"] = "0oaoidc0000000000001";
  oidc["_links"]["accessPolicy"] = link_to_policy(kDefaultPolicyId);
  json bookmark = {{"id", "0oabookmark000000001"}, {"name", "bookmark"}, {"label", "Intranet"}, {"status", "ACTIVE"},
                   {"signOnMode", "BOOKMARK"}, {"settings", {{"app", {{"url", "https://intranet.example"}}}}}};
  json console = {{"id", "0oaconsole0000000001"}, {"name", "saasure"}, {"label", "Okta Admin Console"},
                  {"status", "ACTIVE"}, {"signOnMode", "OPENID_CONNECT"},
                  {"settings", {{"oauthClient", {{"application_type", "web"}, {"redirect_uris", json::array()}}}}}};
  json service = {{"id", "0oaservice0000000001"}, {"name", "oidc_client"}, {"label", "idform"}, {"status", "ACTIVE"},
                  {"signOnMode", "OPENID_CONNECT"},
                  {"settings", {{"oauthClient", {{"application_type", "service"}, {"grant_types", {"client_credentials"}}}}}}};
  write_json(seed, "apps.json", json::array({saml, oidc, bookmark, console, service}));
  write_json(seed, "apps/0oasaml0000000000001/groups.json",
             json::array({{{"id", "00geng00000000000001"}, {"priority", 0}, {"profile", {{"role", "Reader"}}}},
                          {{"id", "00gdupa0000000000001"}, {"priority", 1}, {"profile", json::object()}}}));
  write_json(seed, "apps/0oaoidc0000000000001/groups.json",
             json::array({{{"id", "00gdupb0000000000002"}, {"priority", 0}, {"profile", json::object()}}}));

  // Zones: Okta's IP zone example (with proxies), a country zone, a dynamic zone with ASNs, a
  // system zone and a blocklist.
  json ip = vendor_example("zone-get.json");
  json dynamic = vendor_example("zone-get-dynamic.json");
  json countries = {{"type", "DYNAMIC"}, {"id", "nzocountries00000001"}, {"name", "EU"}, {"status", "ACTIVE"},
                    {"usage", "POLICY"}, {"system", false}, {"locations", {{{"country", "DE"}}, {{"country", "FR"}}}}};
  json legacy = {{"type", "IP"}, {"id", "nzolegacy00000000001"}, {"name", "LegacyIpZone"}, {"status", "ACTIVE"},
                 {"usage", "POLICY"}, {"system", true}, {"gateways", json::array()}};
  json blocked = {{"type", "IP"}, {"id", "nzoblocked0000000001"}, {"name", "Bad actors"}, {"status", "ACTIVE"},
                  {"usage", "BLOCKLIST"}, {"system", false}, {"gateways", {{{"type", "CIDR"}, {"value", "192.0.2.0/24"}}}}};
  write_json(seed, "zones.json", json::array({ip, dynamic, countries, legacy, blocked}));

  // Policies: one with a rule of its own (device and user-type conditions the config has no word
  // for), one with two rules (read-only), and the default.
  std::string ip_id = ip["id"];
  write_json(seed, "policies/import.json",
             {{"type", "ACCESS_POLICY"}, {"id", "rst0import0policy001"}, {"status", "ACTIVE"}, {"name", "CA-Import"},
              {"description", "Made in the Admin Console"}, {"priority", 2}, {"system", false}, {"conditions", nullptr}});
  write_json(seed, "policies/rst0import0policy001/rules.json",
             json::array({{{"id", "rul0import0own000001"}, {"type", "ACCESS_POLICY"}, {"status", "ACTIVE"},
                           {"name", "Admins from anywhere but the office"}, {"priority", 1}, {"system", false},
                           {"conditions",
                            {{"people", {{"users", {{"include", json::array()}, {"exclude", json::array()}}},
                                         {"groups", {{"include", json::array()}, {"exclude", {"00gdupb0000000000002"}}}}}},
                             {"network", {{"connection", "ZONE"}, {"exclude", {ip_id}}}},
                             {"userType", {{"include", json::array()}, {"exclude", json::array()}}},
                             {"device", {{"registered", true}, {"managed", false}}},
                             {"riskScore", {{"level", "ANY"}}}}},
                           {"actions", {{"appSignOn", {{"access", "ALLOW"},
                                                       {"verificationMethod", {{"type", "ASSURANCE"}, {"factorMode", "2FA"},
                                                                               {"reauthenticateIn", "PT2H"},
                                                                               {"constraints", json::array()}}}}}}}},
                          {{"id", "rul0import0catchall1"}, {"type", "ACCESS_POLICY"}, {"status", "ACTIVE"},
                           {"name", "Catch-all Rule"}, {"priority", 99}, {"system", true}, {"conditions", nullptr},
                           {"actions", {{"appSignOn", {{"access", "DENY"}}}}}}}));
  write_json(seed, "policies/legacy.json",
             {{"type", "ACCESS_POLICY"}, {"id", "rst0legacy0policy001"}, {"status", "ACTIVE"}, {"name", "Two rules"},
              {"priority", 3}, {"system", false}, {"conditions", nullptr}});
  json two_rules = json::array();
  for (int r = 1; r <= 2; ++r)
    two_rules.push_back({{"id", "rul0legacy0rule00000" + std::to_string(r)}, {"type", "ACCESS_POLICY"},
                         {"status", "ACTIVE"}, {"name", "rule " + std::to_string(r)}, {"priority", r}, {"system", false},
                         {"conditions", nullptr}, {"actions", {{"appSignOn", {{"access", "ALLOW"}}}}}});
  write_json(seed, "policies/rst0legacy0policy001/rules.json", two_rules);
}

}  // namespace

TEST_CASE("okta import of a varied org plans to no changes and imports byte-identically twice", "[okta-provider]") {
  Testbed bed({.sim_args = {"--time-scale", "0.01"}, .seed = write_varied_org, .users = standard_users()});
  TempDir out;
  std::ofstream(out.path() / "idform.yaml") << bed.project_file();
  std::map<std::string, std::string> env = {{kTokenEnv, kApiToken}, {"IDFORM_TODAY", "2026-11-29"}};
  auto idform = [&](std::vector<std::string> args) {
    args.insert(args.begin(), IDFORM_BINARY);
    args.insert(args.end(), {"--no-color", "--config", out.path().string()});
    return run_process(args, env);
  };

  ProcessResult first = idform({"import", "--target", "okta-sim", "--force"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  // Built in or more than the config can say: Everyone, the AD group, the bookmark, the Admin
  // Console, the service app, the default policy, the two-rule policy, the ASN zone, the system
  // zone and the blocklist.
  CHECK(first.out.find("Skipped 10 built-in object(s)") != std::string::npos);
  CHECK(first.err.find("warning: group:dup (id 00gdupa0000000000001) shares its name") != std::string::npos);
  CHECK(first.err.find("warning: group:dup (id 00gdupb0000000000002) shares its name") != std::string::npos);
  CHECK(first.out.find(kApiToken) == std::string::npos);
  auto files = idform::testing::read_config_tree(out.path());
  std::set<std::string> names;
  for (const auto& [path, text] : files) names.insert(path);
  CHECK(names == std::set<std::string>{"apps/expenses.yaml", "apps/sample-client-profile.yaml", "groups/dup.yaml",
                                       "groups/dup-2.yaml", "groups/eng.yaml", "idform.yaml", "locations/eu.yaml",
                                       "locations/myipzone.yaml", "policies/ca-import.yaml"});
  // References by name, except to the groups that share one.
  CHECK(files["apps/expenses.yaml"].find("group: id:00gdupa0000000000001") != std::string::npos);
  CHECK(files["apps/expenses.yaml"].find("role: Reader") != std::string::npos);
  CHECK(files["policies/ca-import.yaml"].find("group:id:00gdupb0000000000002") != std::string::npos);
  CHECK(files["policies/ca-import.yaml"].find("location:MyIpZone") != std::string::npos);
  CHECK(files["policies/ca-import.yaml"].find("app:Expenses") != std::string::npos);
  // No secret: the OIDC example's client secret stays in Okta.
  for (const auto& [path, text] : files) CHECK(text.find("wj9bOsLK0BRNJqy7") == std::string::npos);
  INFO(files["apps/expenses.yaml"] << files["apps/sample-client-profile.yaml"] << files["policies/ca-import.yaml"]
       << files["locations/myipzone.yaml"]);

  ProcessResult validate = idform({"validate"});
  INFO(validate.out << validate.err);
  CHECK(validate.exit_code == 0);
  ProcessResult plan = idform({"plan", "--detailed-exitcode"});
  INFO(plan.out << plan.err);
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.find("No changes") != std::string::npos);

  ProcessResult second = idform({"import", "--target", "okta-sim", "--force"});
  REQUIRE(second.exit_code == 0);
  CHECK(idform::testing::read_config_tree(out.path()) == files);

  // The import is a working config: a change to the imported policy keeps what it cannot say.
  std::string policy = files["policies/ca-import.yaml"];
  auto at = policy.find("2h");
  REQUIRE(at != std::string::npos);
  std::ofstream(out.path() / "policies/ca-import.yaml") << policy.replace(at, 2, "4h");
  // A longer sign-in frequency requires less: the policy_weakening guard wants it accepted.
  ProcessResult apply = idform({"apply", "--auto-approve", "--accept", "policy_weakening"});
  INFO(apply.out << apply.err);
  REQUIRE(apply.exit_code == 0);
  json rule = bed.get("/api/v1/policies/rst0import0policy001/rules/rul0import0own000001");
  CHECK(rule["actions"]["appSignOn"]["verificationMethod"]["reauthenticateIn"] == "PT4H");
  CHECK(rule["conditions"]["device"]["registered"] == true);  // kept
  CHECK(rule["name"] == "Admins from anywhere but the office");
  CHECK(idform({"plan", "--detailed-exitcode"}).exit_code == 0);
}
