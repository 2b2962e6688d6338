// Adoption on tenants the way real ones are, through the CLI against idp-sim: a conditional access
// policy on Exchange Online (a Microsoft first-party app with no application object in the
// tenant), a tenant seeded with Microsoft's own Graph examples (users known only by id), Okta SAML
// apps whose entity id is not a URL or is empty and whose ACS URL is http://, and an idform.yaml
// written before the import that names the groups the import is about to write. Each imports,
// validates (warnings allowed) and plans to no changes.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "support/config_tree.hpp"
#include "fixtures/okta/okta_testbed.hpp"
#include "providers/entra_testbed.hpp"
#include "support/temp_dir.hpp"

namespace {

using idform::testing::read_text;

namespace fs = std::filesystem;
using nlohmann::json;

std::string all_of(const std::map<std::string, std::string>& files) {
  std::string out;
  for (const auto& [path, text] : files) out += "--- " + path + "\n" + text;
  return out;
}

// Runs idform against the config in `dir` with `env`.
struct Cli {
  fs::path dir;
  std::map<std::string, std::string> env;
  idform::testing::ProcessResult operator()(std::vector<std::string> args) const {
    args.insert(args.begin(), IDFORM_BINARY);
    args.insert(args.end(), {"--no-color", "--config", dir.string()});
    return idform::testing::run_process(args, env);
  }
};

// import -> validate (exit 0) -> plan (no changes) -> import again (byte-identical).
std::map<std::string, std::string> round_trip(const Cli& idform, const std::string& target) {
  auto first = idform({"import", "--target", target, "--force"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  auto files = idform::testing::read_config_tree(idform.dir);
  INFO(all_of(files));
  auto validate = idform({"validate"});
  INFO(validate.out << validate.err);
  CHECK(validate.exit_code == 0);
  auto plan = idform({"plan", "--detailed-exitcode"});
  INFO(plan.out << plan.err);
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.find("No changes") != std::string::npos);
  auto second = idform({"import", "--target", target, "--force"});
  REQUIRE(second.exit_code == 0);
  CHECK(idform::testing::read_config_tree(idform.dir) == files);
  return files;
}

json graph_group(const std::string& id, const std::string& name) {
  return {{"id", id}, {"displayName", name}, {"description", nullptr}, {"groupTypes", json::array()},
          {"mailEnabled", false}, {"mailNickname", "g" + id.substr(0, 8)}, {"securityEnabled", true}};
}

constexpr const char* kBreakGlass = "22222222-0000-4000-8000-0000000000b1";
constexpr const char* kDeletedUser = "11111111-0000-4000-8000-0000000000d1";
constexpr const char* kExchangeOnline = "00000002-0000-0ff1-ce00-000000000000";

void write_exchange_tenant(const fs::path& seed) {
  using namespace idform::testing::entra;
  write_json(seed, "users.json", list_of("users", standard_users()));
  write_json(seed, "groups.json", list_of("groups", json::array({graph_group(kBreakGlass, "BreakGlass")})));
  write_json(seed, std::string("groups/") + kBreakGlass + "/members.json",
             list_of("directoryObjects",
                     json::array({{{"@odata.type", "#microsoft.graph.user"}, {"id", "11111111-0000-4000-8000-000000000001"}}})));
  json users = {{"includeUsers", {"All"}}, {"excludeUsers", {kDeletedUser}}, {"includeGroups", json::array()},
                {"excludeGroups", {kBreakGlass}}, {"includeRoles", json::array()}, {"excludeRoles", json::array()}};
  json policy = {{"id", "77777777-0000-4000-8000-000000000001"},
                 {"displayName", "CA-EXO Require MFA for Exchange Online"},
                 {"state", "enabled"},
                 {"conditions",
                  {{"users", users},
                   {"applications", {{"includeApplications", {kExchangeOnline}}, {"excludeApplications", json::array()}}},
                   {"clientAppTypes", {"all"}},
                   {"locations", nullptr}}},
                 {"grantControls", {{"operator", "OR"}, {"builtInControls", {"mfa"}}}},
                 {"sessionControls", nullptr}};
  write_json(seed, "conditionalAccessPolicies.json", list_of("identity/conditionalAccess/policies", json::array({policy})));
}

}  // namespace

TEST_CASE("entra: a policy on Exchange Online, with idform.yaml written first naming the break-glass group, "
          "imports, validates and plans to zero",
          "[entra][import]") {
  using namespace idform::testing::entra;
  TestbedOptions options;
  options.seed = write_exchange_tenant;
  Testbed bed(options);
  idform::testing::TempDir out;
  // What a newcomer writes before the first import: the target, and the group every policy
  // must exclude, which the import is about to write.
  std::ofstream(out.path() / "idform.yaml") << bed.project_file()
                                           << "guards:\n  protected: [\"group:BreakGlass\"]\n"
                                              "emergency_access: [\"group:BreakGlass\"]\n";
  std::string before = read_text(out.path() / "idform.yaml");
  Cli idform{out.path(), {{"IDFORM_TEST_ENTRA_SECRET", kSimSecret}, {"IDFORM_TODAY", "2026-11-29"}}};
  auto files = round_trip(idform, "entra");
  CHECK(files["idform.yaml"] == before);  // never rewritten
  const std::string& policy = files["policies/ca-exo-require-mfa-for-exchange-online.yaml"];
  CHECK(policy.find("app:microsoft:Exchange Online") != std::string::npos);
  CHECK(policy.find("user:id:11111111-0000-4000-8000-0000000000d1") != std::string::npos);  // deleted
  CHECK(policy.find("group:BreakGlass") != std::string::npos);
  // The plan names the application; the write side turns the name back into its app id.
  auto plan = idform({"plan", "--format", "json"});
  REQUIRE(plan.exit_code == 0);
}

TEST_CASE("entra: a tenant seeded with Microsoft's Graph examples imports, validates and plans to zero", "[entra][import]") {
  using namespace idform::testing::entra;
  TestbedOptions options;
  options.seed = [](const fs::path& seed) {
    fs::copy(fs::path(IDFORM_SOURCE_DIR) / "tests/fixtures/vendor/graph", seed, fs::copy_options::recursive);
  };
  Testbed bed(options);
  idform::testing::TempDir out;
  std::ofstream(out.path() / "idform.yaml") << bed.project_file();
  Cli idform{out.path(), {{"IDFORM_TEST_ENTRA_SECRET", kSimSecret}, {"IDFORM_TODAY", "2026-11-29"}}};
  auto files = round_trip(idform, "entra");
  // The examples' members and policy users are ids of users the tenant does not hold.
  bool by_id = false;
  for (const auto& [path, text] : files) by_id = by_id || text.find("id:") != std::string::npos;
  CHECK(by_id);
}

TEST_CASE("okta: SAML apps with a non-URL or empty entity id and an http ACS URL import, validate with warnings "
          "and plan to zero",
          "[okta-provider][import]") {
  using namespace idform::testing::okta;
  auto saml = [](const std::string& id, const std::string& label, const std::string& entity, const std::string& acs) {
    return json{{"id", id}, {"name", "app" + id.substr(3, 4)}, {"label", label}, {"status", "ACTIVE"},
                {"signOnMode", "SAML_2_0"},
                {"settings", {{"signOn", {{"ssoAcsUrl", acs}, {"audience", entity}, {"recipient", acs}, {"destination", acs},
                                          {"subjectNameIdFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"}}}}}};
  };
  TestbedOptions options;
  options.seed = [&](const fs::path& seed) {
    write_json(seed, "apps.json",
               json::array({saml("0oasaml0000000000001", "Legacy HR", "asdqwe123", "http://hr.example/acs"),
                            saml("0oasaml0000000000002", "No audience", "", "https://noaud.example/acs")}));
  };
  Testbed bed(options);
  idform::testing::TempDir out;
  std::ofstream(out.path() / "idform.yaml") << bed.project_file();
  Cli idform{out.path(), {{kTokenEnv, kApiToken}, {"IDFORM_TODAY", "2026-11-29"}}};
  auto files = round_trip(idform, "okta-sim");
  CHECK(files["apps/legacy-hr.yaml"].find("entity_id: asdqwe123") != std::string::npos);
  CHECK(files["apps/legacy-hr.yaml"].find("http://hr.example/acs") != std::string::npos);
  auto validate = idform({"validate"});
  CHECK(validate.exit_code == 0);
  // Warnings name the file, line and column of each value.
  CHECK(validate.err.find("apps/legacy-hr.yaml:") != std::string::npos);
  CHECK(validate.err.find("warning: ") != std::string::npos);
  CHECK(validate.err.find("not an https:// URL") != std::string::npos);
  CHECK(validate.err.find("a SAML entity id is usually a URL or URN") != std::string::npos);
  CHECK(validate.err.find("apps/no-audience.yaml:") != std::string::npos);
}

// The invariant once per vendor example: a tenant holding what that one file describes (beside
// the testbed's users, and for Okta the org's built-in policies) imports, validates, plans to no
// changes and imports byte-identically again. The whole directory at once hides a file whose
// objects only import because another file supplies what they refer to.
namespace {

std::vector<fs::path> vendor_examples(const char* flavor) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(IDFORM_SOURCE_DIR) / "tests/fixtures/vendor" / flavor))
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Object count of the emulator's state (all collections), to tell the examples that seed
// something from the ones it has no collection for (errors, requests, single pages).
size_t objects_in(const json& state) {
  size_t count = 0;
  const json collections = state.value("collections", json::object());
  for (const auto& [name, collection] : collections.items())
    if (collection.is_array()) count += collection.size();
  return count;
}

}  // namespace

TEST_CASE("entra: each of Microsoft's Graph examples alone imports, validates and plans to zero", "[entra][import]") {
  using namespace idform::testing::entra;
  Testbed bed;
  size_t empty_count = objects_in(bed.sim().state());
  int seeding = 0;
  for (const fs::path& example : vendor_examples("graph")) {
    INFO("example " << example.filename().string());
    idform::testing::TempDir seed, out;
    write_json(seed.path(), "users.json", list_of("users", standard_users()));
    fs::copy_file(example, seed.path() / example.filename());
    bed.sim().reseed(seed.path().string());
    if (objects_in(bed.sim().state()) > empty_count) ++seeding;
    std::ofstream(out.path() / "idform.yaml") << bed.project_file();
    // The emulator runs at a hundredth of Graph's time: conditional access calls 15 ms apart.
    Cli idform{out.path(), {{"IDFORM_TEST_ENTRA_SECRET", kSimSecret}, {"IDFORM_TODAY", "2026-11-29"},
                            {"IDFORM_ENTRA_RU_WINDOW_MS", "100"}, {"IDFORM_ENTRA_POLICY_INTERVAL_MS", "15"}}};
    round_trip(idform, "entra");
  }
  CHECK(seeding >= 15);  // most examples put objects in the tenant
}

TEST_CASE("okta: each of Okta's examples alone imports, validates and plans to zero", "[okta-provider][import]") {
  using namespace idform::testing::okta;
  Testbed bed;
  size_t empty_count = objects_in(bed.sim().state());
  int seeding = 0;
  for (const fs::path& example : vendor_examples("okta")) {
    INFO("example " << example.filename().string());
    idform::testing::TempDir seed, out;
    write_org_basics(seed.path());
    write_json(seed.path(), "users.json", standard_users());
    fs::copy_file(example, seed.path() / example.filename(), fs::copy_options::overwrite_existing);
    bed.sim().reseed(seed.path().string());
    if (objects_in(bed.sim().state()) > empty_count) ++seeding;
    std::ofstream(out.path() / "idform.yaml") << bed.project_file();
    Cli idform{out.path(), {{kTokenEnv, kApiToken}, {"IDFORM_TODAY", "2026-11-29"}}};
    round_trip(idform, "okta-sim");
  }
  CHECK(seeding >= 15);
}
