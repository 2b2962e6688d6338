// Read-after-write on Microsoft Graph: with replication delays in idp-sim, the plan made right
// after an apply that changed a group's members shows no change (the apply waits until the
// members read back as written), without advancing the simulator's clock.

#include <algorithm>
#include <catch2/catch.hpp>

#include "providers/entra_testbed.hpp"

using namespace idform::testing::entra;

TEST_CASE("entra: the plan right after a membership change reads what the apply wrote", "[entra][hardening]") {
  TestbedOptions options;
  options.sim_args = {"--time-scale", "0.01", "--consistency-delay-ms", "5000"};
  Testbed bed(options);
  auto desired = bed.load({{"groups/team.yaml", "kind: Group\nname: raw-team\nmembers: [alice@acme.example]\n"}});
  bed.apply(bed.plan(desired));
  bed.sim().advance_clock(10);  // the create itself is not what this test is about
  bed.expect_converged(desired);

  desired = bed.load({{"groups/team.yaml", "kind: Group\nname: raw-team\nmembers: [bob@acme.example, carol@acme.example]\n"}});
  auto plan = bed.plan(desired);
  REQUIRE(summary(plan) == std::vector<std::string>{"update group:raw-team"});
  bed.apply(plan);
  bed.expect_converged(desired);  // no clock advance: the apply already waited for the members
}

TEST_CASE("entra: the plan right after an owner or assignment change reads what the apply wrote", "[entra][hardening]") {
  TestbedOptions options;
  options.sim_args = {"--time-scale", "0.01", "--consistency-delay-ms", "5000"};
  Testbed bed(options);
  auto files = [](const std::string& owners, const std::string& assignments) {
    return std::map<std::string, std::string>{
        {"groups/team.yaml", "kind: Group\nname: raw-owned\nowners: [" + owners + "]\nmembers: [alice@acme.example]\n"
                             "---\nkind: Group\nname: raw-other\nmembers: [bob@acme.example]\n"},
        {"apps/portal.yaml", "kind: Application\nname: raw-portal\nsso:\n  protocol: oidc\n  oidc:\n"
                             "    redirect_uris: [\"https://portal.acme.example/callback\"]\nassignments:\n" +
                                 assignments}};
  };
  auto desired = bed.load(files("alice@acme.example", "  - group: raw-owned\n"));
  bed.apply(bed.plan(desired));
  bed.sim().advance_clock(10);  // the creates are not what this test is about
  bed.expect_converged(desired);

  desired = bed.load(files("bob@acme.example", "  - group: raw-other\n  - user: carol@acme.example\n"));
  auto plan = bed.plan(desired);
  std::vector<std::string> changes = summary(plan);
  std::sort(changes.begin(), changes.end());
  REQUIRE(changes == std::vector<std::string>{"update app:raw-portal", "update group:raw-owned"});
  bed.apply(plan);
  bed.expect_converged(desired);  // no clock advance: the apply waited for owners and assignments
}

TEST_CASE("entra: an application without its service principal gets one when an update needs it", "[entra][hardening]") {
  // What an apply stopped between POST /applications and POST /servicePrincipals leaves behind
  // (or an app registered elsewhere and never used in this tenant): the next plan updates the
  // application's assignments, which live on the missing service principal.
  Testbed bed;
  auto& graph = bed.provider->graph();
  auto created = graph.call("POST", "/applications", {{"displayName", "raw-half-made"}, {"signInAudience", "AzureADMyOrg"}});
  REQUIRE(created);
  REQUIRE(created->status == 201);
  bed.sim().advance_clock(10);
  auto desired = bed.load({{"groups/team.yaml", "kind: Group\nname: raw-viewers\nmembers: [alice@acme.example]\n"},
                           {"apps/half.yaml", "kind: Application\nname: raw-half-made\nsso:\n  protocol: oidc\n  oidc:\n"
                                              "    redirect_uris: [\"https://half.acme.example/callback\"]\n"
                                              "assignments:\n  - group: raw-viewers\n"}});
  auto plan = bed.plan(desired);
  std::vector<std::string> changes = summary(plan);
  CHECK(std::count(changes.begin(), changes.end(), "update app:raw-half-made") == 1);
  bed.apply(plan);  // every change must apply
  bed.sim().advance_clock(10);
  bed.expect_converged(desired);
}
