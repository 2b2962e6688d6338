// An Okta app sign-in policy whose create stopped right after POST /api/v1/policies (Okta gave
// it a Catch-all Rule that denies; it has no rule of its own and no app) is finished by the next
// plan and apply without any guard to accept, and its Catch-all ends open: no interruption may
// leave a lockout the next plan neither shows nor repairs.

#include <catch2/catch.hpp>

#include "fixtures/okta/okta_testbed.hpp"
#include "reconciler/plan/guards.hpp"

using namespace idform::testing::okta;
using nlohmann::json;

namespace {

const char* kFiles = R"(kind: Group
name: uf-break-glass
members: [dave@acme.example]
---
kind: Group
name: uf-admins
members: [alice@acme.example]
---
kind: Application
name: uf-crm
sso: {protocol: oidc, oidc: {redirect_uris: ["https://crm.acme.example/cb"]}}
---
kind: ConditionalAccessPolicy
name: CA-UF Require MFA
state: enabled
users: {include: ["group:uf-admins"], exclude: ["group:uf-break-glass"]}
applications: {include: ["app:uf-crm"]}
grant: {operator: or, controls: [mfa]}
)";

std::vector<json> policies_named(Testbed& bed, const std::string& name) {
  std::vector<json> out;
  for (const auto& policy : bed.get("/api/v1/policies?type=ACCESS_POLICY"))
    if (policy["name"] == name) out.push_back(policy);
  return out;
}

}  // namespace

TEST_CASE("okta: a policy create stopped after its POST is finished by the next apply, Catch-all open",
          "[okta-provider][hardening][interrupted]") {
  Testbed bed;
  auto desired = bed.load({{"all.yaml", kFiles}});
  // What a killed apply leaves: the groups and the app exist, the policy was just POSTed.
  auto first = bed.plan(desired);
  idform::plan::Plan without_policy = first;
  std::erase_if(without_policy.changes, [](const auto& change) { return change.kind == idform::model::Kind::conditional_access_policy; });
  for (auto& change : without_policy.changes) change.depends_on.clear();
  bed.apply(without_policy);
  auto posted = bed.provider->client().call(
      "POST", "/api/v1/policies", json{{"type", "ACCESS_POLICY"}, {"name", "CA-UF Require MFA"}, {"status", "ACTIVE"}});
  REQUIRE(posted);
  REQUIRE(posted->ok());
  const std::string id = posted->body["id"];
  json rules = bed.get("/api/v1/policies/" + id + "/rules");
  REQUIRE(rules.size() == 1);
  CHECK(rules[0]["actions"]["appSignOn"]["access"] == "DENY");  // Okta's initial Catch-all

  // The next plan finishes the create; it trips no guard.
  auto plan = bed.plan(desired);
  INFO(explain(plan));
  REQUIRE(summary(plan) == std::vector<std::string>{"create policy:CA-UF Require MFA"});
  idform::plan::evaluate_guards(plan, {std::nullopt, std::nullopt, {}});
  CHECK(plan.guards.empty());
  bed.apply(plan);
  bed.expect_converged(desired);

  // One policy, the one that was begun, with its rule and its Catch-all open to one factor.
  auto named = policies_named(bed, "CA-UF Require MFA");
  REQUIRE(named.size() == 1);
  CHECK(named[0]["id"] == id);
  rules = bed.get("/api/v1/policies/" + id + "/rules");
  REQUIRE(rules.size() == 2);
  const json& catch_all = rules[0]["system"] == true ? rules[0] : rules[1];
  CHECK(catch_all["actions"]["appSignOn"]["access"] == "ALLOW");
  CHECK(catch_all["actions"]["appSignOn"]["verificationMethod"]["factorMode"] == "1FA");
}

TEST_CASE("okta: a policy that has only its Catch-all Rule gets a rule of its own and an open Catch-all on update",
          "[okta-provider][hardening]") {
  // A policy attached to an app with nothing but its Catch-all (a console-made policy, or one
  // whose rule someone deleted) reads as that rule for everyone; bringing it to the config moves
  // the conditions to a rule of its own and opens the Catch-all, as on every policy idform makes.
  Testbed bed;
  auto desired = bed.load({{"all.yaml", kFiles}});
  bed.apply(bed.plan(desired));
  std::string id = policies_named(bed, "CA-UF Require MFA").at(0)["id"];
  for (const auto& rule : bed.get("/api/v1/policies/" + id + "/rules"))
    if (rule["system"] == false) REQUIRE(bed.provider->client().call("DELETE", "/api/v1/policies/" + id + "/rules/" + rule["id"].get<std::string>()));
  json rules = bed.get("/api/v1/policies/" + id + "/rules");
  REQUIRE(rules.size() == 1);
  json catch_all = rules[0];
  catch_all["actions"]["appSignOn"]["access"] = "DENY";
  for (const char* key : {"_links", "id", "created", "lastUpdated", "status"}) catch_all.erase(key);
  REQUIRE(bed.provider->client().call("PUT", "/api/v1/policies/" + id + "/rules/" + rules[0]["id"].get<std::string>(), catch_all));

  auto plan = bed.plan(desired);
  INFO(explain(plan));
  REQUIRE(summary(plan) == std::vector<std::string>{"update policy:CA-UF Require MFA"});
  bed.apply(plan);
  bed.expect_converged(desired);
  rules = bed.get("/api/v1/policies/" + id + "/rules");
  REQUIRE(rules.size() == 2);
  const json& open = rules[0]["system"] == true ? rules[0] : rules[1];
  CHECK(open["actions"]["appSignOn"]["access"] == "ALLOW");
}
