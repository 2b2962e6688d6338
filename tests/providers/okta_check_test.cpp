// check(): everything the config can say that Okta cannot express is an error naming the field
// and provider "okta", with the line it is on; nothing is dropped silently.

#include <catch2/catch.hpp>

#include "fixtures/config/temp_config.hpp"
#include "providers/okta/capabilities.hpp"

using idform::testing::TempConfig;

namespace {

// The check() messages for a config, as "address: summary" (locations left out).
std::vector<std::string> problems(const std::map<std::string, std::string>& files) {
  TempConfig config;
  for (const auto& [path, text] : files) config.write(path, text);
  auto loaded = config.load();
  for (const auto& error : loaded.diagnostics) FAIL_CHECK(error.to_string());
  REQUIRE(loaded.ok());
  std::vector<std::string> out;
  for (const auto& error : idform::providers::okta::check_expressible(loaded.config.desired)) {
    CHECK(error.where.known());
    out.push_back(error.address + ": " + error.summary);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("okta check: what Okta has no place for is an error naming the field and okta", "[okta-provider]") {
  auto found = problems({{"all.yaml", R"(kind: Group
name: team
owners: [alice@acme.example]
members: [alice@acme.example, {group: other}]
---
kind: Group
name: other
---
kind: Application
name: crm
roles: [Admin]
sso:
  protocol: saml
  saml: {entity_id: "https://crm.example", acs_urls: ["https://crm.example/acs"], sign_on_url: "https://crm.example/sso", logout_url: "https://crm.example/slo"}
assignments:
  - {group: team, role: Admin}
  - {user: alice@acme.example, role: Admin}
---
kind: Application
name: mobile
sso:
  protocol: oidc
  oidc: {spa_redirect_uris: ["https://m.example/cb"], public_client_redirect_uris: ["com.example.m://cb"], grant_types: [authorization_code], id_token_issuance: true}
---
kind: ConditionalAccessPolicy
name: CA-1
state: report-only
users: {include: [all, "role:Global Administrator"], exclude: [guests]}
applications: {include: [all, office365], exclude: ["app:crm"]}
locations: {include: [any], exclude: [all_trusted]}
platforms: {include: [windows_phone]}
client_app_types: [browser]
sign_in_risk: [medium, high]
user_risk: [high]
grant: {operator: and, controls: [mfa, compliant_device]}
session: {persistent_browser: always, app_enforced_restrictions: true}
---
kind: NamedLocation
name: hq
trusted: true
ip_ranges: [203.0.113.0/24]
---
kind: NamedLocation
name: countries
countries: [DE]
include_unknown_countries: true
)"}});
  const std::vector<std::string> expected = {
      "app:crm: assignments: user:alice@acme.example|role:Admin: provider \"okta\" cannot express this",
      "app:crm: roles: provider \"okta\" cannot express this",
      "app:crm: sso.saml.logout_url: provider \"okta\" cannot express this",
      "app:crm: sso.saml.sign_on_url: provider \"okta\" cannot express this",
      "app:mobile: sso.oidc.public_client_redirect_uris: provider \"okta\" cannot express this",
      "group:team: members: group:other: provider \"okta\" cannot express this",
      "group:team: owners: provider \"okta\" cannot express this",
      "location:countries: include_unknown_countries: provider \"okta\" cannot express this",
      "location:hq: trusted: provider \"okta\" cannot express this",
      "policy:CA-1: applications.exclude: provider \"okta\" cannot express this",
      "policy:CA-1: applications.include: all: provider \"okta\" cannot express this",
      "policy:CA-1: applications.include: office365: provider \"okta\" cannot express this",
      "policy:CA-1: client_app_types: provider \"okta\" cannot express this",
      "policy:CA-1: grant.controls: compliant_device: provider \"okta\" cannot express this",
      "policy:CA-1: grant.operator: and: provider \"okta\" cannot express this",
      "policy:CA-1: locations.exclude: all_trusted: provider \"okta\" cannot express this",
      "policy:CA-1: platforms.include: windows_phone: provider \"okta\" cannot express this",
      "policy:CA-1: session.app_enforced_restrictions: provider \"okta\" cannot express this",
      "policy:CA-1: session.persistent_browser: always: provider \"okta\" cannot express this",
      "policy:CA-1: sign_in_risk: [medium, high]: provider \"okta\" cannot express this",
      "policy:CA-1: state: report-only: provider \"okta\" cannot express this",
      "policy:CA-1: user_risk: provider \"okta\" cannot express this",
      "policy:CA-1: users.exclude: guests: provider \"okta\" cannot express this",
      "policy:CA-1: users.include: all: provider \"okta\" cannot express this",
      "policy:CA-1: users.include: role:Global Administrator: provider \"okta\" cannot express this",
  };
  for (const auto& line : found) UNSCOPED_INFO(line);
  CHECK(found == expected);
}

TEST_CASE("okta check: two policies claiming one app is an error, one app per policy is fine", "[okta-provider]") {
  const std::string apps = R"(kind: Application
name: crm
---
kind: Application
name: wiki
)";
  auto policy = [](const std::string& name, const std::string& apps_list) {
    return "kind: ConditionalAccessPolicy\nname: " + name + "\nstate: enabled\nusers: {include: [all]}\n"
           "applications: {include: " + apps_list + "}\ngrant: {controls: [mfa]}\n";
  };
  CHECK(problems({{"apps.yaml", apps},
                  {"a.yaml", policy("CA-A", R"(["app:crm", "app:wiki"])")},
                  {"b.yaml", policy("CA-B", R"(["app:crm"])")}}) ==
        std::vector<std::string>{"policy:CA-B: applications.include: app:crm: provider \"okta\" cannot express this"});
  CHECK(problems({{"apps.yaml", apps},
                  {"a.yaml", policy("CA-A", R"(["app:wiki"])")},
                  {"b.yaml", policy("CA-B", R"(["app:crm"])")}})
            .empty());
  // What Okta can say passes: all users, zones, platforms, one risk level, mfa with a frequency.
  CHECK(problems({{"apps.yaml", apps},
                  {"a.yaml", R"(kind: ConditionalAccessPolicy
name: CA-A
state: disabled
users: {include: [all], exclude: ["group:x"]}
applications: {include: ["app:crm"], exclude: []}
locations: {include: [any], exclude: ["location:hq"]}
platforms: {include: [all], exclude: [linux, ios]}
client_app_types: [all]
sign_in_risk: [low]
user_risk: []
grant: {operator: or, controls: [mfa]}
session: {sign_in_frequency: every_time, persistent_browser: never, app_enforced_restrictions: false}
---
kind: Group
name: x
---
kind: NamedLocation
name: hq
trusted: false
ip_ranges: [10.0.0.0/8]
)"}})
            .empty());
}

TEST_CASE("okta check: the newer conditional access fields are errors except the phishing-resistant strength", "[okta-provider]") {
  const std::string apps = "kind: Application\nname: crm\n";
  auto found = problems({{"apps.yaml", apps}, {"p.yaml", R"(kind: ConditionalAccessPolicy
name: CA-N
state: enabled
users:
  include: [all]
  include_guests_or_external_users: {types: [internal_guest]}
applications: {include: ["app:crm"], include_authentication_contexts: [c1]}
devices: {filter: {mode: include, rule: "device.isCompliant -eq True"}}
authentication_flows: [device_code_flow]
insider_risk: [elevated]
grant: {authentication_strength: "authentication_strength:Passwordless MFA", terms_of_use: [6a3c1c2e-4b8f-4d1a-9d1e-5f0b7c2a9e11]}
session: {cloud_app_security: monitor_only, secure_sign_in_session: true, disable_resilience_defaults: false}
)"}});
  std::vector<std::string> expected = {
      "policy:CA-N: applications.include_authentication_contexts: provider \"okta\" cannot express this",
      "policy:CA-N: authentication_flows: provider \"okta\" cannot express this",
      "policy:CA-N: devices.filter: provider \"okta\" cannot express this",
      "policy:CA-N: grant.authentication_strength: authentication_strength:Passwordless MFA: provider \"okta\" cannot express this",
      "policy:CA-N: grant.terms_of_use: provider \"okta\" cannot express this",
      "policy:CA-N: insider_risk: provider \"okta\" cannot express this",
      "policy:CA-N: session.cloud_app_security: provider \"okta\" cannot express this",
      "policy:CA-N: session.secure_sign_in_session: provider \"okta\" cannot express this",
      "policy:CA-N: users.include_guests_or_external_users: provider \"okta\" cannot express this",
  };
  for (const auto& line : found) UNSCOPED_INFO(line);
  CHECK(found == expected);
  CHECK(problems({{"apps.yaml", apps}, {"p.yaml", R"(kind: ConditionalAccessPolicy
name: CA-P
state: enabled
users: {include: ["group:admins"]}
applications: {include: ["app:crm"]}
grant: {authentication_strength: "authentication_strength:Phishing-resistant MFA"}
---
kind: Group
name: admins
)"}}).empty());
}
