// The behavioural spec of the sandbox provider, one lifecycle per kind: create -> next plan empty
// -> change -> the plan shows exactly that change -> apply -> plan empty -> delete (or leave
// unmanaged) -> plan empty. Like the Entra and Okta lifecycles it also runs with the provider out
// of process (IDFORM_TEST_OUT_OF_PROCESS=1, support/out_of_process.hpp).

#include <catch2/catch.hpp>

#include "providers/local/local_provider.hpp"
#include "support/engine_driver.hpp"
#include "support/temp_dir.hpp"

using namespace idform;
using nlohmann::json;
using testing::attribute_of;
using testing::change_of;

namespace {

class SandboxLifecycleBed : public testing::EngineDriver<provider::Provider> {
 public:
  SandboxLifecycleBed() {
    json users = json::array();
    int index = 0;
    for (const char* name : {"alice", "bob", "carol", "dave"})
      users.push_back({{"id", "u-" + std::to_string(++index)}, {"email", std::string(name) + "@acme.example"},
                       {"display_name", name}});
    // Beside the config directory, which load() replaces.
    std::ofstream(m_dir.path() / "sandbox.json") << json{{"format", "idform-sandbox/1"}, {"users", users}}.dump();
    // Out of process the plugin owns the file; an in-process provider beside it would write it too.
    if (!testing::out_of_process_requested())
      provider = std::make_unique<providers::LocalProvider>(m_dir.path() / "sandbox.json");
  }

  model::DesiredState load(const std::map<std::string, std::string>& files) {
    return load_tree(config_dir(), "version: 1\ndefault_target: sandbox\ntargets:\n  sandbox: {provider: local, path: ../sandbox.json}\n",
                     files);
  }

 protected:
  std::optional<testing::OutOfProcessOptions> out_of_process_options() const override {
    return testing::OutOfProcessOptions{};
  }

 private:
  std::filesystem::path config_dir() const { return m_dir.path() / "config"; }
  testing::TempDir m_dir;
};

std::vector<std::string> summary_of(const plan::Plan& plan) {
  std::vector<std::string> out;
  for (const plan::Change& change : plan.changes) out.push_back(std::string(plan::action_name(change.action)) + " " + change.address);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("sandbox group lifecycle: members, nested groups, owners, description, delete", "[local-lifecycle]") {
  SandboxLifecycleBed bed;
  const std::string oncall = "---\nkind: Group\nname: lc-oncall\nmembers: [carol@acme.example]\n";
  auto desired = bed.load({{"groups.yaml", "kind: Group\nname: lc-team\ndescription: The team\nowners: [alice@acme.example]\n"
                                           "members: [alice@acme.example, Bob@Acme.example, {group: lc-oncall}]\n" + oncall}});
  auto plan = bed.plan(desired);
  CHECK(summary_of(plan) == std::vector<std::string>{"create group:lc-oncall", "create group:lc-team"});
  bed.apply(plan);
  bed.expect_converged(desired);

  desired = bed.load({{"groups.yaml", "kind: Group\nname: lc-team\ndescription: The whole team\nowners: [alice@acme.example, bob@acme.example]\n"
                                      "members: [alice@acme.example, dave@acme.example, {group: lc-oncall}]\n" + oncall}});
  plan = bed.plan(desired);
  REQUIRE(summary_of(plan) == std::vector<std::string>{"update group:lc-team"});
  const auto& change = change_of(plan, "group:lc-team");
  CHECK(change.attributes.size() == 3);
  CHECK(attribute_of(change, "description")->after == "The whole team");
  CHECK(attribute_of(change, "owners")->added == std::vector<std::string>{"bob@acme.example"});
  CHECK(attribute_of(change, "members")->added == std::vector<std::string>{"user:dave@acme.example"});
  CHECK(attribute_of(change, "members")->removed == std::vector<std::string>{"user:bob@acme.example"});
  bed.apply(plan);
  bed.expect_converged(desired);

  desired = bed.load({{"groups.yaml", "kind: Group\nname: lc-team\nstate: absent\n"}});
  plan = bed.plan(desired);
  CHECK(summary_of(plan) == std::vector<std::string>{"delete group:lc-team"});
  bed.apply(plan);
  plan = bed.plan(desired);
  CHECK(plan.changes.empty());
  REQUIRE(plan.unmanaged.size() == 1);
  CHECK(plan.unmanaged[0].address == "group:lc-oncall");
}

TEST_CASE("sandbox application lifecycle: SAML and OIDC, roles, assignments, delete", "[local-lifecycle]") {
  SandboxLifecycleBed bed;
  const std::string groups = "kind: Group\nname: sales\nmembers: [alice@acme.example]\n";
  auto apps = [](const std::string& acs, const std::string& carol_role) {
    return "kind: Application\nname: lc-crm\nsso:\n  protocol: saml\n  saml: {entity_id: \"https://crm.acme.example\", acs_urls: " +
           acs + "}\nroles: [Standard User, Administrator]\nassignments:\n  - {group: sales, role: Standard User}\n"
                 "  - {user: carol@acme.example, role: " + carol_role + "}\n---\n"
           "kind: Application\nname: lc-portal\nsso: {protocol: oidc, oidc: {redirect_uris: [\"https://portal.acme.example/cb\"]}}\n"
           "assignments: [{group: sales}]\n";
  };
  auto desired = bed.load({{"groups.yaml", groups}, {"apps.yaml", apps("[\"https://crm.acme.example/acs\"]", "Administrator")}});
  auto plan = bed.plan(desired);
  CHECK(summary_of(plan) == std::vector<std::string>{"create app:lc-crm", "create app:lc-portal", "create group:sales"});
  bed.apply(plan);
  bed.expect_converged(desired);

  desired = bed.load({{"groups.yaml", groups},
                      {"apps.yaml", apps("[\"https://crm.acme.example/acs\", \"https://crm.acme.example/acs2\"]", "Standard User")}});
  plan = bed.plan(desired);
  REQUIRE(summary_of(plan) == std::vector<std::string>{"update app:lc-crm"});
  const auto& change = change_of(plan, "app:lc-crm");
  CHECK(attribute_of(change, "sso.saml.acs_urls")->added == std::vector<std::string>{"https://crm.acme.example/acs2"});
  CHECK(attribute_of(change, "assignments")->added == std::vector<std::string>{"user:carol@acme.example|role:Standard User"});
  CHECK(attribute_of(change, "assignments")->removed == std::vector<std::string>{"user:carol@acme.example|role:Administrator"});
  bed.apply(plan);
  bed.expect_converged(desired);

  desired = bed.load({{"groups.yaml", groups}, {"apps.yaml", "kind: Application\nname: lc-crm\nstate: absent\n"}});
  plan = bed.plan(desired);
  CHECK(summary_of(plan) == std::vector<std::string>{"delete app:lc-crm"});
  bed.apply(plan);
  plan = bed.plan(desired);
  CHECK(plan.changes.empty());
  CHECK(plan.unmanaged.size() == 1);
}

TEST_CASE("sandbox conditional access and named location lifecycle, references created in the same apply", "[local-lifecycle]") {
  SandboxLifecycleBed bed;
  const std::string others = "kind: Group\nname: lc-break-glass\nmembers: [dave@acme.example]\n---\n"
                             "kind: NamedLocation\nname: lc-hq\ntrusted: true\nip_ranges: [203.0.113.0/24]\n";
  auto policy = [](const std::string& state, const std::string& frequency) {
    return "kind: ConditionalAccessPolicy\nname: CA-LC Require MFA\nstate: " + state +
           "\nusers: {include: [all], exclude: [\"group:lc-break-glass\"]}\napplications: {include: [all]}\n"
           "locations: {include: [any], exclude: [\"location:lc-hq\"]}\ngrant: {operator: or, controls: [mfa]}\n"
           "session: {sign_in_frequency: " + frequency + "}\n";
  };
  auto desired = bed.load({{"others.yaml", others}, {"policy.yaml", policy("enabled", "8h")}});
  auto plan = bed.plan(desired);
  CHECK(summary_of(plan).size() == 3);
  CHECK(change_of(plan, "policy:CA-LC Require MFA").depends_on.size() == 2);
  bed.apply(plan);
  bed.expect_converged(desired);

  desired = bed.load({{"others.yaml", others}, {"policy.yaml", policy("report-only", "24h")}});
  plan = bed.plan(desired);
  REQUIRE(summary_of(plan) == std::vector<std::string>{"update policy:CA-LC Require MFA"});
  const auto& change = change_of(plan, "policy:CA-LC Require MFA");
  CHECK(change.attributes.size() == 2);
  CHECK(attribute_of(change, "state")->after == "report-only");
  bed.apply(plan);
  bed.expect_converged(desired);

  desired = bed.load({{"others.yaml", others}, {"policy.yaml", "kind: ConditionalAccessPolicy\nname: CA-LC Require MFA\nstate: absent\n"}});
  plan = bed.plan(desired);
  CHECK(summary_of(plan) == std::vector<std::string>{"delete policy:CA-LC Require MFA"});
  bed.apply(plan);
  bed.expect_converged(desired);
}
