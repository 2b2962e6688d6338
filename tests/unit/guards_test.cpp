// Guards that follow references (bypass membership, location widening), the policy weakening
// rules, remediation of protected groups, expired removals, and --skip-blocked's selection.

#include <catch2/catch.hpp>

#include "reconciler/apply/partial.hpp"
#include "reconciler/config/network_checks.hpp"
#include "reconciler/model/normalize.hpp"
#include "reconciler/plan/guards.hpp"
#include "reconciler/plan/weakening.hpp"
#include "support/resources.hpp"

using namespace idform;
using nlohmann::json;

namespace {

using idform::testing::resource;

plan::Change update(std::string address, std::vector<plan::AttributeChange> attributes, json desired = json::object(),
                    json live = json::object()) {
  plan::Change change;
  change.address = address;
  change.kind = *model::kind_from_prefix(address.substr(0, address.find(':')));
  change.name = address.substr(address.find(':') + 1);
  change.id = "id-" + change.name;
  change.action = plan::Action::update;
  change.attributes = std::move(attributes);
  change.desired = std::move(desired);
  change.live = std::move(live);
  return change;
}

plan::AttributeChange set_change(std::string path, std::vector<std::string> added, std::vector<std::string> removed,
                                 json before = json::array({"x"}), json after = json::array({"x"})) {
  return {std::move(path), true, std::move(before), std::move(after), std::move(added), std::move(removed), {}};
}

plan::AttributeChange value_change(std::string path, json before, json after) {
  return {std::move(path), false, std::move(before), std::move(after), {}, {}, {}};
}

std::vector<std::string> tripped(const plan::Plan& plan) {
  std::vector<std::string> out;
  for (const auto& finding : plan.guards) out.push_back(finding.guard);
  return out;
}

}  // namespace

TEST_CASE("bypass groups: emergency access, excluded by an enabled policy, and nested in either", "[guards]") {
  model::DesiredState desired;
  desired.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-1",
                                       {{"state", "enabled"}, {"users", {{"exclude", {"group:travel-exempt", "group:break-glass"}}}}}));
  desired.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-2",
                                       {{"state", "report-only"}, {"users", {{"exclude", {"group:pilot"}}}}}));
  desired.resources.push_back(resource(model::Kind::group, "travel-exempt", {{"members", {"group:execs"}}}));
  model::LiveState live;
  live.resources.push_back(resource(model::Kind::group, "break-glass", {{"members", {"group:nested-bg"}}}));
  live.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-1", {{"state", "report-only"}}));
  plan::GuardContext context = plan::guard_context(desired, live, {"group:break-glass"});

  CHECK(context.bypass_groups.at("group:break-glass") == "named in emergency_access");
  CHECK(context.bypass_groups.at("group:travel-exempt") == "excluded by enabled policy:CA-1");
  CHECK(context.bypass_groups.at("group:execs") == "nested in group:travel-exempt");
  CHECK(context.bypass_groups.at("group:nested-bg") == "nested in group:break-glass");
  CHECK_FALSE(context.bypass_groups.contains("group:pilot"));  // report-only enforces nothing

  // CA-1 exists in the tenant (report-only there) and the config enables it: enabling a policy
  // and adding members to its exclusions in one change does not slip through.
  const json someone = {{"members", {"user:alice@acme.example"}}};
  for (const char* group : {"group:travel-exempt", "group:execs", "group:break-glass", "group:nested-bg"}) {
    plan::Plan plan;
    plan.changes = {update(group, {set_change("members", {"user:mallory@acme.example"}, {})}, json::object(), someone)};
    plan::evaluate_guards(plan, {}, context);
    INFO(group);
    CHECK(tripped(plan) == std::vector<std::string>{"bypass_membership"});
    CHECK(plan.changes[0].guards == std::vector<std::string>{"bypass_membership"});
  }
  plan::Plan ordinary;
  ordinary.changes = {update("group:pilot", {set_change("members", {"user:mallory@acme.example"}, {})}, json::object(), someone)};
  plan::evaluate_guards(ordinary, {}, context);
  CHECK(tripped(ordinary).empty());
}

TEST_CASE("bypass groups: additions trip only where an existing policy's exclusion makes the bypass real", "[guards]") {
  // An apply stopped after creating break-glass and some of its members (Okta adds each member in
  // a request of its own) and before creating the policies that exclude it: the next plan adds
  // the rest of its members, and nothing it bypasses exists yet.
  model::DesiredState desired;
  desired.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-1",
                                       {{"state", "enabled"}, {"users", {{"exclude", {"group:break-glass"}}}}}));
  const json half_filled = {{"members", {"user:emergency-admin-2@acme.example"}}};
  struct Case {
    const char* name;
    model::LiveState live;
    bool trips;
  };
  model::LiveState policy_enabled;
  policy_enabled.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-1",
                                              {{"state", "enabled"}, {"users", {{"exclude", {"group:break-glass"}}}}}));
  model::LiveState policy_disabled;  // the config enables it and keeps the exclusion
  policy_disabled.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-1", {{"state", "disabled"}}));
  model::LiveState other_policy_nests;  // an existing policy excludes a group break-glass is nested in
  other_policy_nests.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-9",
                                                  {{"state", "enabled"}, {"users", {{"exclude", {"group:admins"}}}}}));
  other_policy_nests.resources.push_back(resource(model::Kind::group, "admins", {{"members", {"group:break-glass"}}}));
  model::LiveState renamed;  // the tenant's policy has another name; the config pins its id
  renamed.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-1 (old name)", {{"state", "disabled"}}));
  renamed.resources.back().id = "policy-id-1";
  std::vector<Case> cases = {
      {"no policy in the tenant yet", {}, false},
      {"the excluding policy exists, enabled", policy_enabled, true},
      {"the excluding policy exists, and the config enables it", policy_disabled, true},
      {"nested in a group an existing enabled policy excludes", other_policy_nests, true},
      {"the excluding policy exists under another name, pinned by id", renamed, true},
  };
  for (const Case& test : cases) {
    INFO(test.name);
    model::DesiredState config = desired;
    if (std::string(test.name).find("pinned") != std::string::npos) config.resources[0].id = "policy-id-1";
    plan::GuardContext context = plan::guard_context(config, test.live, {"group:break-glass"});
    plan::Plan plan;
    plan.changes = {update("group:break-glass", {set_change("members", {"user:emergency-admin-1@acme.example"}, {})},
                           json::object(), half_filled)};
    plan::evaluate_guards(plan, {}, context);
    CHECK((tripped(plan) == std::vector<std::string>{"bypass_membership"}) == test.trips);
  }
}

TEST_CASE("location widening only where an enabled policy refers to the location", "[guards]") {
  model::DesiredState desired;
  desired.resources.push_back(resource(model::Kind::conditional_access_policy, "CA-1",
                                       {{"state", "enabled"}, {"locations", {{"exclude", {"location:hq", "all_trusted"}}}}}));
  plan::GuardContext context = plan::guard_context(desired, {}, {});
  struct Case {
    const char* name;
    plan::Change change;
    bool trips;
  };
  std::vector<Case> cases = {
      {"range added to hq", update("location:hq", {set_change("ip_ranges", {"0.0.0.0/0"}, {})}), true},
      {"range removed from hq", update("location:hq", {set_change("ip_ranges", {}, {"203.0.113.0/24"})}), false},
      {"trusted switched on elsewhere",
       update("location:other", {value_change("trusted", false, true)}, {{"trusted", true}}), true},
      {"range added to an untrusted unreferenced location",
       update("location:other", {set_change("ip_ranges", {"192.0.2.0/24"}, {})}), false},
      {"unknown countries switched on", update("location:hq", {value_change("include_unknown_countries", false, true)}), true},
  };
  for (Case& test : cases) {
    plan::Plan plan;
    plan.changes = {test.change};
    plan::evaluate_guards(plan, {}, context);
    INFO(test.name);
    CHECK((tripped(plan) == std::vector<std::string>{"location_widening"}) == test.trips);
  }
}

TEST_CASE("policy weakening: applies to fewer sign-ins or requires less", "[guards]") {
  struct Case {
    const char* name;
    std::vector<plan::AttributeChange> attributes;
    json desired;
    bool weakens;
  };
  std::vector<Case> cases = {
      {"state enabled -> report-only", {value_change("state", "enabled", "report-only")}, {}, true},
      {"state report-only -> enabled", {value_change("state", "report-only", "enabled")}, {}, false},
      {"exclusion added", {set_change("users.exclude", {"group:x"}, {})}, {}, true},
      {"inclusion removed", {set_change("applications.include", {}, {"app:CRM"})}, {}, true},
      {"inclusion added", {set_change("users.include", {"group:x"}, {})}, {}, false},
      {"grant control removed", {set_change("grant.controls", {}, {"mfa"})}, {}, true},
      {"operator and -> or", {value_change("grant.operator", "and", "or")}, {}, true},
      {"alternative control under or",
       {set_change("grant.controls", {"compliant_device"}, {}, json::array({"mfa"}), json::array({"mfa", "compliant_device"}))},
       {{"grant", {{"operator", "or"}}}},
       true},
      {"extra control under and",
       {set_change("grant.controls", {"compliant_device"}, {}, json::array({"mfa"}), json::array({"mfa", "compliant_device"}))},
       {{"grant", {{"operator", "and"}}}},
       false},
      {"sign-in frequency lengthened", {value_change("session.sign_in_frequency", "8h", "1d")}, {}, true},
      {"sign-in frequency shortened", {value_change("session.sign_in_frequency", "1d", "8h")}, {}, false},
      {"sign-in frequency removed", {value_change("session.sign_in_frequency", "8h", nullptr)}, {}, true},
      {"persistent browser allowed", {value_change("session.persistent_browser", "never", "always")}, {}, true},
      {"app restrictions off", {value_change("session.app_enforced_restrictions", true, false)}, {}, true},
      {"client app types narrowed", {set_change("client_app_types", {}, {"browser"}, json::array({"browser", "other"}), json::array({"other"}))}, {}, true},
      {"risk condition added to an unconditional policy",
       {set_change("sign_in_risk", {"high"}, {}, json::array(), json::array({"high"}))}, {}, true},
      {"risk level added", {set_change("sign_in_risk", {"medium"}, {}, json::array({"high"}), json::array({"high", "medium"}))}, {}, false},
  };
  for (Case& test : cases) {
    plan::Change change = update("policy:CA-1", test.attributes, test.desired);
    INFO(test.name);
    CHECK(plan::policy_weakenings(change).empty() != test.weakens);
  }
}

TEST_CASE("expired removals never trip a guard, and a protected group's extra members are remediation", "[guards]") {
  plan::AttributeChange members = set_change("members", {}, {"user:carol@acme.example", "user:mallory@acme.example"},
                                              json::array({"user:a", "user:carol@acme.example", "user:mallory@acme.example"}),
                                              json::array({"user:a"}));
  members.notes["user:carol@acme.example"] = "expired on 2026-01-31";
  plan::Plan plan;
  plan.changes = {update("group:break-glass", {members})};
  plan::evaluate_guards(plan, {std::nullopt, 0, {"group:break-glass"}});
  // One removal counts against the budget of 0: carol's expiry does not.
  REQUIRE(plan.guards.size() == 1);
  CHECK(plan.guards[0].guard == "max_member_removals");
  CHECK_THAT(plan.guards[0].message, Catch::StartsWith("1 member removals exceed"));
  REQUIRE(plan.remediations.size() == 1);
  CHECK_THAT(plan.remediations[0].message, Catch::Contains("removes user:mallory@acme.example from members"));

  plan::Plan only_expired;
  members.removed = {"user:carol@acme.example"};
  only_expired.changes = {update("group:break-glass", {members})};
  plan::evaluate_guards(only_expired, {std::nullopt, 0, {"group:break-glass"}});
  CHECK(only_expired.guards.empty());
  CHECK(only_expired.remediations.empty());
}

TEST_CASE("apply --skip-blocked holds back blocked changes and their dependents, but not expired removals", "[guards][apply]") {
  plan::AttributeChange members = set_change("members", {"user:mallory@acme.example"}, {"user:carol@acme.example"});
  members.notes["user:carol@acme.example"] = "expired on 2026-01-31";
  plan::Plan plan;
  plan.changes = {update("group:admins", {members}), update("app:Vault", {set_change("assignments", {"group:admins"}, {})}),
                  update("group:other", {value_change("description", "a", "b")})};
  plan.changes[0].guards = {"bypass_membership"};
  plan.changes[1].depends_on = {"group:admins"};
  plan.guards = {{"bypass_membership", "...", {"group:admins"}}};

  apply::Selection selection = apply::select_unblocked(plan, {});
  REQUIRE(selection.held_back.size() == 2);
  CHECK(selection.held_back[0].address == "group:admins");
  CHECK_THAT(selection.held_back[0].reason, Catch::Contains("blocked by guard bypass_membership") &&
                                                Catch::Contains("its removal of expired entries is applied"));
  CHECK(selection.held_back[1].reason == "held back: depends on group:admins, which is held back");
  REQUIRE(selection.plan.changes.size() == 2);
  const plan::Change& expiry = selection.plan.changes[0];
  CHECK(expiry.address == "group:admins");
  REQUIRE(expiry.attributes.size() == 1);
  CHECK(expiry.attributes[0].added.empty());
  CHECK(expiry.attributes[0].removed == std::vector<std::string>{"user:carol@acme.example"});
  CHECK(selection.plan.changes[1].address == "group:other");

  apply::Selection accepted = apply::select_unblocked(plan, {"bypass_membership"});
  CHECK(accepted.held_back.empty());
  CHECK(accepted.plan.changes.size() == 3);
}

TEST_CASE("a range with host bits set compares as its network, and the config check names it", "[guards][config]") {
  CHECK(model::normalize_cidr("1.2.3.4/24") == "1.2.3.0/24");
  CHECK(model::normalize_cidr("2001:DB8::1/32") == "2001:db8::/32");
  CHECK(model::normalize_cidr("10.0.0.1") == "10.0.0.1/32");
  CHECK(model::normalize_cidr("not a range") == "not a range");
  CHECK(config::network_if_host_bits("192.0.2.1/24") == std::optional<std::string>("192.0.2.0/24"));
  CHECK_FALSE(config::network_if_host_bits("192.0.2.0/24"));
  CHECK_FALSE(config::network_if_host_bits("10.0.0.1"));
  CHECK(config::is_iso_country("NO"));
  CHECK_FALSE(config::is_iso_country("XX"));
  CHECK_FALSE(config::is_iso_country("EU"));
}
