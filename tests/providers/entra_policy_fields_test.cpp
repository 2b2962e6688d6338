// Every conditional access field of Graph v1.0 that the config can state, through the Entra
// provider and idp-sim over HTTP: created, read back with no diff, every field changed, read back
// with no diff, and imported into a config tree that states each of them again and plans to no
// changes. The mapping half (no HTTP) is in entra_mapping_test.cpp.

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>

#include "providers/entra_testbed.hpp"

using namespace idform::testing::entra;

namespace {

const char* kGroups = R"(kind: Group
name: pf-admins
members: [alice@acme.example]
---
kind: Group
name: pf-break-glass
members: [dave@acme.example]
)";

// Two versions of one policy stating every newer field, each with different values.
std::string policy(bool second) {
  std::string v1 = R"(kind: ConditionalAccessPolicy
name: CA-PF every field
state: enabled
users:
  include: ["group:pf-admins", "role:Global Administrator"]
  exclude: ["group:pf-break-glass"]
  include_guests_or_external_users: {types: [b2b_collaboration_guest, internal_guest], external_tenants: [all]}
  exclude_guests_or_external_users: {types: [service_provider], external_tenants: [0b2d0e9e-7d8b-4c63-9a3a-2f0f0c7a9f10]}
applications:
  include: [all]
  exclude: [microsoft_admin_portals]
  include_user_actions: []
  include_authentication_contexts: [c1, c25]
  filter: {mode: exclude, rule: 'CustomSecurityAttribute.Dept_Name -eq "Lab"'}
devices: {filter: {mode: exclude, rule: 'device.trustType -eq "ServerAD"'}}
authentication_flows: [device_code_flow]
insider_risk: [elevated]
sign_in_risk: [high, hidden]
client_app_types: [browser, mobile_and_desktop, eas_supported]
grant:
  operator: and
  controls: [compliant_device]
  authentication_strength: "authentication_strength:Phishing-resistant MFA"
  terms_of_use: [6a3c1c2e-4b8f-4d1a-9d1e-5f0b7c2a9e11]
  custom_authentication_factors: [acme-custom-control]
session:
  sign_in_frequency: 4h
  sign_in_frequency_authentication: secondary
  cloud_app_security: monitor_only
  disable_resilience_defaults: true
  secure_sign_in_session: true
)";
  if (!second) return v1;
  return R"(kind: ConditionalAccessPolicy
name: CA-PF every field
state: report-only
users:
  include: ["group:pf-admins"]
  exclude: ["group:pf-break-glass"]
  include_guests_or_external_users: {types: [b2b_direct_connect_user], external_tenants: [0b2d0e9e-7d8b-4c63-9a3a-2f0f0c7a9f10]}
  exclude_guests_or_external_users: {types: []}
applications:
  include: []
  include_user_actions: [register_security_info]
  include_authentication_contexts: []
devices: {filter: {mode: include, rule: 'device.isCompliant -eq True'}}
authentication_flows: [device_code_flow, authentication_transfer]
insider_risk: [minor, moderate]
sign_in_risk: []
client_app_types: [all]
grant:
  operator: or
  controls: [mfa, risk_remediation]
  authentication_strength: "authentication_strength:id:7d718ef4-5493-4313-a52c-7401b7df3a9c"
  terms_of_use: []
  custom_authentication_factors: []
session:
  sign_in_frequency: every_time
  sign_in_frequency_authentication: primary_and_secondary
  cloud_app_security: block_downloads
  disable_resilience_defaults: false
  secure_sign_in_session: false
)";
}

// A workload identity policy: service principals instead of users.
const char* kWorkload = R"(kind: ConditionalAccessPolicy
name: CA-PF workload identities
state: enabled
users: {include: [none]}
applications: {include: [all]}
client_applications:
  include: [all]
  exclude: ["id:5b1e0c6a-3d2f-4a8b-9c7d-1e2f3a4b5c6d"]
  filter: {mode: include, rule: 'CustomSecurityAttribute.Team_Name -eq "Payments"'}
service_principal_risk: [high, medium]
grant: {operator: or, controls: [block]}
)";

}  // namespace

TEST_CASE("every conditional access field round-trips on Entra: create, update, no diff after apply, import", "[entra]") {
  Testbed bed;
  auto desired = bed.load({{"groups.yaml", kGroups}, {"policy.yaml", policy(false)}, {"workload.yaml", kWorkload}});
  auto plan = bed.plan(desired);
  CHECK(summary(plan).size() == 4);
  bed.apply(plan);
  bed.expect_converged(desired);

  // The stored policy is Graph's shape: flags strings, typed external tenants, the strength by id.
  const nlohmann::json state = bed.sim().state();
  nlohmann::json every;
  std::function<void(const nlohmann::json&)> find = [&](const nlohmann::json& node) {
    if (node.is_object() && node.value("displayName", "") == "CA-PF every field" && node.contains("conditions")) every = node;
    if (node.is_structured())
      for (const auto& child : node) find(child);
  };
  find(state);
  REQUIRE(every.is_object());
  INFO(every.dump(2));
  CHECK(every["conditions"]["users"]["includeGuestsOrExternalUsers"]["guestOrExternalUserTypes"] ==
        "b2bCollaborationGuest,internalGuest");
  CHECK(every["conditions"]["users"]["excludeGuestsOrExternalUsers"]["externalTenants"]["membershipKind"] == "enumerated");
  CHECK(every["conditions"]["applications"]["excludeApplications"] == nlohmann::json({"MicrosoftAdminPortals"}));
  CHECK(every["conditions"]["authenticationFlows"]["transferMethods"] == "deviceCodeFlow");
  CHECK(every["conditions"]["insiderRiskLevels"] == "elevated");
  CHECK(every["grantControls"]["authenticationStrength"]["id"] == "00000000-0000-0000-0000-000000000004");
  CHECK(every["sessionControls"]["signInFrequency"]["authenticationType"] == "secondaryAuthentication");
  CHECK(every["sessionControls"]["cloudAppSecurity"]["cloudAppSecurityType"] == "monitorOnly");
  CHECK(every["sessionControls"]["secureSignInSession"]["isEnabled"] == true);

  // Every field changed at once: one update, then no diff.
  desired = bed.load({{"groups.yaml", kGroups}, {"policy.yaml", policy(true)}, {"workload.yaml", kWorkload}});
  plan = bed.plan(desired);
  REQUIRE(summary(plan) == std::vector<std::string>{"update policy:CA-PF every field"});
  CHECK(change_of(plan, "policy:CA-PF every field").attributes.size() >= 20);
  bed.apply(plan);
  bed.expect_converged(desired);

  // Import writes every field back, and the imported tree plans to no changes.
  idform::testing::TempDir out;
  std::ofstream(out.path() / "idform.yaml") << bed.project_file();
  auto idform = [&](std::vector<std::string> args) {
    args.insert(args.begin(), IDFORM_BINARY);
    args.insert(args.end(), {"--no-color", "--config", out.path().string()});
    return idform::testing::run_process(args, {{"IDFORM_TEST_ENTRA_SECRET", kSimSecret}, {"IDFORM_TODAY", "2026-11-29"}});
  };
  auto imported = idform({"import", "--target", "entra", "--force"});
  INFO(imported.out << imported.err);
  REQUIRE(imported.exit_code == 0);
  auto files = idform::testing::read_tree(out.path());
  std::string every_file, workload_file;
  for (const auto& [path, text] : files) {
    if (text.find("name: CA-PF every field") != std::string::npos) every_file = text;
    if (text.find("name: CA-PF workload identities") != std::string::npos) workload_file = text;
  }
  INFO(every_file << workload_file);
  for (const char* expected : {"state: report-only", "b2b_direct_connect_user", "0b2d0e9e-7d8b-4c63-9a3a-2f0f0c7a9f10",
                               "register_security_info", "device.isCompliant -eq True", "authentication_transfer",
                               "moderate", "risk_remediation",
                               "authentication_strength:id:7d718ef4-5493-4313-a52c-7401b7df3a9c", "every_time",
                               "block_downloads"})
    CHECK(every_file.find(expected) != std::string::npos);
  for (const char* expected : {"id:5b1e0c6a-3d2f-4a8b-9c7d-1e2f3a4b5c6d", "Team_Name", "service_principal_risk", "block"})
    CHECK(workload_file.find(expected) != std::string::npos);
  auto validate = idform({"validate"});
  INFO(validate.out << validate.err);
  CHECK(validate.exit_code == 0);
  auto again = idform({"plan", "--detailed-exitcode"});
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
}
