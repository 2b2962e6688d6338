// The behavioural spec of the Okta provider, one lifecycle per kind, over real HTTP against
// idp-sim's Okta flavor: create -> next plan empty -> change -> the plan shows exactly that
// change -> apply -> plan empty -> delete (or leave unmanaged) -> plan empty.

#include <catch2/catch.hpp>

#include "fixtures/okta/okta_testbed.hpp"

using namespace idform::testing::okta;
using nlohmann::json;

namespace {

using Summary = std::vector<std::string>;

void require_converged(Testbed& bed, const idform::model::DesiredState& desired) {
  auto plan = bed.plan(desired);
  INFO(explain(plan));
  CHECK(plan.changes.empty());
}

json app_by_label(Testbed& bed, const std::string& label) {
  for (const auto& app : bed.get("/api/v1/apps?limit=200"))
    if (app["label"] == label) return app;
  FAIL("no app labelled " << label);
  return nullptr;
}

std::string access_policy_of(const json& app) {
  std::string href = app["_links"]["accessPolicy"]["href"];
  return href.substr(href.rfind('/') + 1);
}

}  // namespace

TEST_CASE("okta group lifecycle: members, description, rename, delete and unmanaged", "[okta-provider]") {
  Testbed bed;
  auto desired = bed.load({{"groups/team.yaml", R"(kind: Group
name: lc-team
description: The team
members:
  - alice@acme.example
  - Bob@Acme.example
---
kind: Group
name: lc-oncall
members: [carol@acme.example]
)"}});
  auto plan = bed.plan(desired);
  CHECK(summary(plan) == Summary{"create group:lc-oncall", "create group:lc-team"});
  CHECK(plan.unmanaged.size() == 2);  // Everyone and the default policy: built in, never managed
  bed.apply(plan);
  require_converged(bed, desired);

  std::string team_id;
  for (const auto& resource : bed.live().resources)
    if (resource.address() == "group:lc-team") team_id = resource.id;
  REQUIRE(!team_id.empty());

  // Change: description, one member out, one in; rename the other group through its id.
  std::string oncall_id;
  for (const auto& resource : bed.live().resources)
    if (resource.address() == "group:lc-oncall") oncall_id = resource.id;
  desired = bed.load({{"groups/team.yaml", R"(kind: Group
name: lc-team
description: The whole team
members:
  - alice@acme.example
  - dave@acme.example
---
kind: Group
name: lc-pager
id: )" + oncall_id + R"(
members: [carol@acme.example]
)"}});
  plan = bed.plan(desired);
  REQUIRE(summary(plan) == Summary{"update group:lc-pager", "update group:lc-team"});
  const auto& change = change_of(plan, "group:lc-team");
  REQUIRE(change.attributes.size() == 2);
  CHECK(attribute_of(change, "description")->before == "The team");
  CHECK(attribute_of(change, "description")->after == "The whole team");
  CHECK(attribute_of(change, "members")->added == std::vector<std::string>{"user:dave@acme.example"});
  CHECK(attribute_of(change, "members")->removed == std::vector<std::string>{"user:bob@acme.example"});
  CHECK(attribute_of(change_of(plan, "group:lc-pager"), "name")->after == "lc-pager");
  bed.apply(plan);
  require_converged(bed, desired);
  CHECK(bed.get("/api/v1/groups/" + oncall_id)["profile"]["name"] == "lc-pager");

  // Removing the last member: an explicitly empty list.
  desired = bed.load({{"groups/team.yaml", "kind: Group\nname: lc-team\nmembers: []\n"}});
  plan = bed.plan(desired);
  REQUIRE(summary(plan) == Summary{"update group:lc-team"});
  CHECK(attribute_of(change_of(plan, "group:lc-team"), "members")->removed.size() == 2);
  bed.apply(plan);
  require_converged(bed, desired);
  CHECK(bed.get("/api/v1/groups/" + team_id + "/users").empty());

  // Delete one group, stop managing the other: both plans end empty.
  desired = bed.load({{"groups/team.yaml", "kind: Group\nname: lc-team\nstate: absent\n"}});
  plan = bed.plan(desired);
  CHECK(summary(plan) == Summary{"delete group:lc-team"});
  bed.apply(plan);
  plan = bed.plan(desired);
  CHECK(plan.changes.empty());
  std::set<std::string> unmanaged;
  for (const auto& object : plan.unmanaged) unmanaged.insert(object.address);
  CHECK(unmanaged == std::set<std::string>{"group:Everyone", "group:lc-pager", "policy:Default Policy"});
}

TEST_CASE("okta application lifecycle: SAML and OIDC settings, assignments with roles, deactivate then delete",
          "[okta-provider]") {
  Testbed bed;
  const std::string groups = R"(kind: Group
name: sales
members: [alice@acme.example]
---
kind: Group
name: finance
members: [bob@acme.example]
)";
  auto apps = [](const std::string& acs, const std::string& format, const std::string& sales_role,
                 const std::string& portal_extra, const std::string& portal_assignments) {
    return R"(kind: Application
name: lc-salesforce
description: CRM
sso:
  protocol: saml
  saml:
    entity_id: https://acme.my.salesforce.com
    acs_urls: )" + acs + R"(
    name_id_format: )" + format + R"(
assignments:
  - group: sales
    role: )" + sales_role + R"(
  - group: finance
---
kind: Application
name: lc-portal
sso:
  protocol: oidc
  oidc:
    redirect_uris: ["https://portal.acme.example/callback"]
    post_logout_redirect_uris: ["https://portal.acme.example/"]
)" + portal_extra + "assignments: " + portal_assignments + R"(
---
kind: Application
name: lc-spa
description: A browser app
sso:
  protocol: oidc
  oidc:
    spa_redirect_uris: ["https://spa.acme.example/cb"]
    grant_types: [authorization_code, refresh_token]
assignments: []
)";
  };
  auto desired = bed.load({{"groups.yaml", groups},
                           {"apps.yaml", apps(R"(["https://acme.my.salesforce.com/?so=00D"])", "email", "Standard User",
                                              "    grant_types: [authorization_code, implicit]\n    id_token_issuance: true\n",
                                              "[{group: sales}, {group: finance}]")}});
  auto plan = bed.plan(desired);
  CHECK(summary(plan) == Summary{"create app:lc-portal", "create app:lc-salesforce", "create app:lc-spa",
                                 "create group:finance", "create group:sales"});
  bed.apply(plan);
  require_converged(bed, desired);

  json saml = app_by_label(bed, "lc-salesforce");
  CHECK(saml["signOnMode"] == "SAML_2_0");
  CHECK(saml["settings"]["signOn"]["audience"] == "https://acme.my.salesforce.com");
  CHECK(saml["settings"]["signOn"]["ssoAcsUrl"] == "https://acme.my.salesforce.com/?so=00D");
  CHECK(saml["settings"]["signOn"]["recipient"] == "https://acme.my.salesforce.com/?so=00D");
  CHECK(saml["settings"]["signOn"]["subjectNameIdFormat"] == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
  CHECK(saml["settings"]["notes"]["admin"] == "CRM");
  json portal = app_by_label(bed, "lc-portal");
  CHECK(portal["settings"]["oauthClient"]["application_type"] == "web");
  CHECK(portal["settings"]["oauthClient"]["response_types"] == json::array({"code", "id_token"}));
  json spa = app_by_label(bed, "lc-spa");
  CHECK(spa["settings"]["oauthClient"]["application_type"] == "browser");
  CHECK(spa["credentials"]["oauthClient"]["token_endpoint_auth_method"] == "none");
  json assignment = bed.get("/api/v1/apps/" + saml["id"].get<std::string>() + "/groups");
  REQUIRE(assignment.size() == 2);

  // Change: a second ACS URL, another NameID format, a role, the implicit grant off, one group out.
  desired = bed.load({{"groups.yaml", groups},
                      {"apps.yaml", apps(R"(["https://acme.my.salesforce.com/?so=00D", "https://acme.my.salesforce.com/?so=00E"])",
                                         "persistent", "System Administrator",
                                         "    grant_types: [authorization_code]\n    id_token_issuance: false\n",
                                         "[{group: finance}]")}});
  plan = bed.plan(desired);
  REQUIRE(summary(plan) == Summary{"update app:lc-portal", "update app:lc-salesforce"});
  const auto& salesforce = change_of(plan, "app:lc-salesforce");
  CHECK(salesforce.attributes.size() == 3);
  CHECK(attribute_of(salesforce, "sso.saml.acs_urls")->added ==
        std::vector<std::string>{"https://acme.my.salesforce.com/?so=00E"});
  CHECK(attribute_of(salesforce, "sso.saml.name_id_format")->after == "persistent");
  CHECK(attribute_of(salesforce, "assignments")->added == std::vector<std::string>{"group:sales|role:System Administrator"});
  CHECK(attribute_of(salesforce, "assignments")->removed == std::vector<std::string>{"group:sales|role:Standard User"});
  const auto& oidc = change_of(plan, "app:lc-portal");
  CHECK(oidc.attributes.size() == 3);
  CHECK(attribute_of(oidc, "sso.oidc.id_token_issuance")->after == false);
  CHECK(attribute_of(oidc, "assignments")->removed == std::vector<std::string>{"group:sales"});
  bed.apply(plan);
  require_converged(bed, desired);
  saml = app_by_label(bed, "lc-salesforce");
  CHECK(saml["settings"]["signOn"]["allowMultipleAcsEndpoints"] == true);
  CHECK(saml["settings"]["signOn"]["acsEndpoints"].size() == 2);

  // Delete the SAML app (Okta wants it deactivated first); the others become unmanaged.
  desired = bed.load({{"groups.yaml", groups}, {"apps.yaml", "kind: Application\nname: lc-salesforce\nstate: absent\n"}});
  plan = bed.plan(desired);
  CHECK(summary(plan) == Summary{"delete app:lc-salesforce"});
  bed.apply(plan);
  plan = bed.plan(desired);
  CHECK(plan.changes.empty());
  std::set<std::string> unmanaged;
  for (const auto& object : plan.unmanaged) unmanaged.insert(object.address);
  CHECK(unmanaged.contains("app:lc-portal"));
  CHECK(unmanaged.contains("app:lc-spa"));
  CHECK(!unmanaged.contains("app:lc-salesforce"));
}

TEST_CASE("okta policy and zone lifecycle: an app sign-in policy on two apps, then one, then deleted",
          "[okta-provider]") {
  Testbed bed;
  const std::string zones_v1 = R"(kind: NamedLocation
name: lc-hq
ip_ranges: [203.0.113.0/24, "2001:db8:10::/48"]
---
kind: NamedLocation
name: lc-countries
countries: [de, NO]
)";
  const std::string others = R"(kind: Group
name: lc-break-glass
members: [dave@acme.example]
---
kind: Group
name: lc-admins
members: [alice@acme.example]
---
kind: Application
name: lc-crm
sso: {protocol: oidc, oidc: {redirect_uris: ["https://crm.acme.example/cb"]}}
---
kind: Application
name: lc-wiki
sso: {protocol: saml, saml: {entity_id: "https://wiki.acme.example", acs_urls: ["https://wiki.acme.example/saml"]}}
)";
  auto policy = [](const std::string& state, const std::string& apps, const std::string& grant,
                   const std::string& session, const std::string& excluded_locations) {
    return "kind: ConditionalAccessPolicy\nname: CA-LC Require MFA\nstate: " + state + R"(
users: {include: ["group:lc-admins", "user:bob@acme.example"], exclude: ["group:lc-break-glass"]}
applications: {include: )" + apps + R"(}
locations: {include: [any], exclude: )" + excluded_locations + R"(}
platforms: {include: [all], exclude: [linux]}
client_app_types: [all]
sign_in_risk: [high]
grant: {operator: or, controls: [)" + grant + R"(]}
)" + session;
  };
  auto desired = bed.load({{"locations.yaml", zones_v1}, {"others.yaml", others},
                           {"policy.yaml", policy("enabled", R"(["app:lc-crm", "app:lc-wiki"])", "mfa",
                                                  "session: {sign_in_frequency: 8h, persistent_browser: never}\n",
                                                  R"(["location:lc-hq"])")}});
  auto plan = bed.plan(desired);
  CHECK(plan.changes.size() == 7);
  CHECK(change_of(plan, "policy:CA-LC Require MFA").depends_on.size() == 5);
  bed.apply(plan);
  require_converged(bed, desired);

  // What Okta holds: the policy on both apps, its rule, the Catch-all Rule opened to one factor.
  std::string policy_id;
  for (const auto& resource : bed.live().resources)
    if (resource.address() == "policy:CA-LC Require MFA") policy_id = resource.id;
  REQUIRE(!policy_id.empty());
  CHECK(access_policy_of(app_by_label(bed, "lc-crm")) == policy_id);
  CHECK(access_policy_of(app_by_label(bed, "lc-wiki")) == policy_id);
  json rules = bed.get("/api/v1/policies/" + policy_id + "/rules");
  REQUIRE(rules.size() == 2);
  const json& rule = rules[0]["system"] == false ? rules[0] : rules[1];
  const json& catch_all = rules[0]["system"] == true ? rules[0] : rules[1];
  CHECK(rule["name"] == "Managed by idform");
  CHECK(rule["conditions"]["people"]["groups"]["exclude"].size() == 1);
  CHECK(rule["conditions"]["network"]["connection"] == "ZONE");
  CHECK(rule["conditions"]["riskScore"]["level"] == "HIGH");
  CHECK(rule["actions"]["appSignOn"]["verificationMethod"]["factorMode"] == "2FA");
  CHECK(rule["actions"]["appSignOn"]["verificationMethod"]["reauthenticateIn"] == "PT8H");
  CHECK(rule["actions"]["appSignOn"]["keepMeSignedIn"]["postAuth"] == "NOT_ALLOWED");
  CHECK(catch_all["actions"]["appSignOn"]["access"] == "ALLOW");
  CHECK(catch_all["actions"]["appSignOn"]["verificationMethod"]["factorMode"] == "1FA");

  // Change: the policy keeps one app, blocks instead, is disabled; one zone changes.
  const std::string zones_v2 = R"(kind: NamedLocation
name: lc-hq
ip_ranges: [203.0.113.0/24, "2001:db8:10::/48", 198.51.100.7]
---
kind: NamedLocation
name: lc-countries
countries: [DE, NO]
)";
  desired = bed.load({{"locations.yaml", zones_v2}, {"others.yaml", others},
                      {"policy.yaml", policy("disabled", R"(["app:lc-crm"])", "block", "",
                                             R"(["location:lc-hq", "location:lc-countries"])")}});
  plan = bed.plan(desired);
  REQUIRE(summary(plan) == Summary{"update location:lc-hq", "update policy:CA-LC Require MFA"});
  CHECK(attribute_of(change_of(plan, "location:lc-hq"), "ip_ranges")->added ==
        std::vector<std::string>{"198.51.100.7/32"});
  const auto& change = change_of(plan, "policy:CA-LC Require MFA");
  CHECK(attribute_of(change, "state")->after == "disabled");
  CHECK(attribute_of(change, "applications.include")->removed == std::vector<std::string>{"app:lc-wiki"});
  CHECK(attribute_of(change, "grant.controls")->added == std::vector<std::string>{"block"});
  CHECK(attribute_of(change, "locations.exclude")->added == std::vector<std::string>{"location:lc-countries"});
  bed.apply(plan);
  require_converged(bed, desired);
  CHECK(access_policy_of(app_by_label(bed, "lc-crm")) == policy_id);
  CHECK(access_policy_of(app_by_label(bed, "lc-wiki")) == kDefaultPolicyId);  // back to the org's default
  CHECK(bed.get("/api/v1/policies/" + policy_id)["status"] == "INACTIVE");

  // Delete the policy (its app returns to the default policy first) and both zones.
  desired = bed.load({{"others.yaml", others},
                      {"policy.yaml", "kind: ConditionalAccessPolicy\nname: CA-LC Require MFA\nstate: absent\n"},
                      {"locations.yaml", "kind: NamedLocation\nname: lc-hq\nstate: absent\n---\n"
                                         "kind: NamedLocation\nname: lc-countries\nstate: absent\n"}});
  plan = bed.plan(desired);
  CHECK(summary(plan) == Summary{"delete location:lc-countries", "delete location:lc-hq",
                                 "delete policy:CA-LC Require MFA"});
  bed.apply(plan);
  require_converged(bed, desired);
  CHECK(access_policy_of(app_by_label(bed, "lc-crm")) == kDefaultPolicyId);
  CHECK(bed.get("/api/v1/zones").empty());
}

TEST_CASE("okta policy with only its Catch-all Rule and no app is an unfinished create - the next apply adopts it",
          "[okta-provider]") {
  Testbed bed({.seed = [](const std::filesystem::path& seed) {
    write_json(seed, "policies/bare.json",
               {{"type", "ACCESS_POLICY"}, {"id", "rst0bare0policy00001"}, {"status", "ACTIVE"}, {"name", "CA-Bare"},
                {"priority", 2}, {"system", false}, {"conditions", nullptr}});
    write_json(seed, "policies/rst0bare0policy00001/rules.json",
               json::array({{{"id", "rul0bare0catchall001"}, {"type", "ACCESS_POLICY"}, {"status", "ACTIVE"},
                             {"name", "Catch-all Rule"}, {"priority", 99}, {"system", true}, {"conditions", nullptr},
                             {"actions", {{"appSignOn", {{"access", "DENY"}}}}}}}));
  }});
  auto desired = bed.load({{"policy.yaml", R"(kind: ConditionalAccessPolicy
name: CA-Bare
state: enabled
users: {include: [all]}
applications: {include: []}
grant: {controls: [block]}
)"}});
  // Neither a rule of its own nor an app: what an interrupted create leaves behind, so it is not
  // read as a policy; the plan creates it and the create adopts and finishes the existing one.
  auto adopt = bed.plan(desired);
  REQUIRE(summary(adopt) == Summary{"create policy:CA-Bare"});
  bed.apply(adopt);
  require_converged(bed, desired);

  desired = bed.load({{"policy.yaml", R"(kind: ConditionalAccessPolicy
name: CA-Bare
state: enabled
users: {include: [all], exclude: ["user:carol@acme.example"]}
applications: {include: []}
grant: {controls: [mfa]}
)"}});
  auto plan = bed.plan(desired);
  REQUIRE(summary(plan) == Summary{"update policy:CA-Bare"});
  bed.apply(plan);
  require_converged(bed, desired);
  CHECK(bed.get("/api/v1/policies/rst0bare0policy00001/rules").size() == 2);
}
