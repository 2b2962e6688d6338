// Reading a large tenant costs a fixed number of HTTP requests, not one per object: list
// endpoints at $top=999 with $select, relationships through $batch (20 per envelope), service
// principals by `appId in (...)`. Counted by idp-sim's /_sim/stats.

#include <catch2/catch.hpp>

#include "providers/entra_testbed.hpp"

using namespace idform::testing::entra;
using nlohmann::json;

namespace {

constexpr int kGroups = 1000, kMembersPerGroup = 20, kApplications = 100, kPolicies = 50, kUsers = 400;

std::string guid(int kind, int index) {
  char text[40];
  std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012x", kind, index);
  return text;
}

void seed_large_tenant(const std::filesystem::path& seed) {
  json users = json::array();
  for (int u = 0; u < kUsers; ++u)
    users.push_back(graph_user(guid(1, u), "user" + std::to_string(u) + "@acme.example", "User " + std::to_string(u)));
  write_json(seed, "users.json", list_of("users", users));

  json groups = json::array();
  for (int g = 0; g < kGroups; ++g) {
    groups.push_back({{"id", guid(2, g)}, {"displayName", "group-" + std::to_string(g)}, {"description", "Group " + std::to_string(g)},
                      {"mailEnabled", false}, {"mailNickname", "group-" + std::to_string(g)}, {"securityEnabled", true},
                      {"groupTypes", json::array()}});
    json members = json::array();
    for (int m = 0; m < kMembersPerGroup; ++m) {
      json user = users[(g * 7 + m * 13) % kUsers];
      user["@odata.type"] = "#microsoft.graph.user";
      members.push_back(user);
    }
    write_json(seed, "groups/" + guid(2, g) + "/members.json", list_of("directoryObjects", members));
    json owner = users[g % kUsers];
    owner["@odata.type"] = "#microsoft.graph.user";
    write_json(seed, "groups/" + guid(2, g) + "/owners.json", list_of("directoryObjects", json::array({owner})));
  }
  write_json(seed, "groups.json", list_of("groups", groups));

  json applications = json::array(), principals = json::array();
  for (int a = 0; a < kApplications; ++a) {
    applications.push_back({{"id", guid(3, a)}, {"appId", guid(4, a)}, {"displayName", "app-" + std::to_string(a)},
                            {"signInAudience", "AzureADMyOrg"}, {"web", {{"redirectUris", {"https://app" + std::to_string(a) + ".acme.example/cb"}}}}});
    principals.push_back({{"id", guid(5, a)}, {"appId", guid(4, a)}, {"displayName", "app-" + std::to_string(a)},
                          {"preferredSingleSignOnMode", "oidc"}});
    json assignments = json::array();
    for (int k = 0; k < 2; ++k)
      assignments.push_back({{"id", "assignment-" + std::to_string(a) + "-" + std::to_string(k)},
                             {"appRoleId", "00000000-0000-0000-0000-000000000000"}, {"principalId", guid(2, a * 2 + k)},
                             {"principalType", "Group"}, {"resourceId", guid(5, a)}});
    write_json(seed, "servicePrincipals/" + guid(5, a) + "/appRoleAssignedTo.json", list_of("appRoleAssignments", assignments));
  }
  write_json(seed, "applications.json", list_of("applications", applications));
  write_json(seed, "servicePrincipals.json", list_of("servicePrincipals", principals));

  json policies = json::array();
  for (int p = 0; p < kPolicies; ++p)
    policies.push_back({{"id", guid(6, p)}, {"displayName", "CA-" + std::to_string(p)}, {"state", "enabled"},
                        {"conditions", {{"users", {{"includeUsers", {"All"}}, {"excludeGroups", {guid(2, p)}}}},
                                        {"applications", {{"includeApplications", {guid(4, p)}}}},
                                        {"clientAppTypes", {"all"}}}},
                        {"grantControls", {{"operator", "OR"}, {"builtInControls", {"mfa"}}}}});
  write_json(seed, "conditionalAccessPolicies.json", list_of("identity/conditionalAccess/policies", policies));
}

}  // namespace

TEST_CASE("reading 1000 groups of 20 members plus 100 applications and 50 policies takes 112 requests", "[entra]") {
  TestbedOptions options;
  options.seed = seed_large_tenant;
  Testbed bed(options);
  bed.sim().reset();

  auto live = bed.read({});
  std::map<idform::model::Kind, int> counts;
  for (const auto& resource : live.resources) ++counts[resource.kind];
  CHECK(counts[idform::model::Kind::group] == kGroups);
  CHECK(counts[idform::model::Kind::application] == kApplications);
  CHECK(counts[idform::model::Kind::conditional_access_policy] == kPolicies);
  for (const auto& resource : live.resources) {
    if (resource.kind == idform::model::Kind::group) REQUIRE(resource.spec["members"].size() == kMembersPerGroup);
    if (resource.name == "app-7") CHECK(resource.spec["assignments"] == json({"group:group-14", "group:group-15"}));
    if (resource.name == "CA-3") CHECK(resource.spec["users"]["exclude"] == json({"group:group-3"}));
  }

  json stats = bed.sim().stats();
  INFO(stats.dump(2));
  // The formula, request by request:
  //   1                      token
  //   ceil(1000 / 999) = 2   GET /groups pages
  //   ceil(2 x 1000 / 20)    $batch envelopes of members and owners lists           = 100
  //   ceil(100 / 999) = 1    GET /applications
  //   ceil(ceil(100/15)/20)  $batch of servicePrincipals?$filter=appId in (15 ids)   = 1
  //   ceil(100 / 20)         $batch of appRoleAssignedTo lists                       = 5
  //   1 + 1                  GET namedLocations, GET policies
  const int expected = 1 + 2 + 100 + 1 + 1 + 5 + 1 + 1;
  CHECK(stats["throttled"] == 0);
  CHECK(stats["requests_total"] == expected);
  CHECK(stats["requests"]["POST /$batch"] == 106);
  CHECK(stats["batch_items"]["GET /groups/{id}/members"] == kGroups);
  CHECK(stats["batch_items"]["GET /groups/{id}/owners"] == kGroups);
  // No per-object GETs.
  for (const char* route : {"GET /groups/{id}", "GET /applications/{id}", "GET /servicePrincipals/{id}"}) {
    CHECK_FALSE(stats["requests"].contains(route));
    CHECK_FALSE(stats["batch_items"].contains(route));
  }
  CHECK(stats["peak_concurrency"] >= 2);  // several envelopes in flight
}

// Resource units of the read above (idp-sim's costs, docs/idp-sim.md): members lists 2 each
// (3, $select -1), owners lists 1, the rest 1 per request: group pages, application page,
// service principal lookups and assignment lists.
constexpr double kReadUnits = kGroups * 2 + kGroups * 1 + 2 + 1 + 7 + kApplications;

TEST_CASE("a read over Graph's resource-unit budget is paced instead of running into 429s", "[entra]") {
  // The read costs kReadUnits RU; with a budget of 500 RU per 10 s (time scale 0.01: 500 RU per
  // 100 ms of real time) it must wait for the refill several times over. Graph charges rejected
  // requests like accepted ones, so a client that keeps sending after its first 429 pays for
  // every rejection and meets thousands of them.
  TestbedOptions options;
  options.seed = seed_large_tenant;
  options.sim_args = {"--time-scale", "0.01", "--resource-unit-budget", "500"};
  Testbed bed(options);
  bed.sim().reset();

  auto live = bed.read({});
  int groups = 0;
  for (const auto& resource : live.resources) groups += resource.kind == idform::model::Kind::group;
  CHECK(groups == kGroups);

  json stats = bed.sim().stats();
  INFO(stats.dump(2));
  // Without pacing this read meets thousands of 429s (and gives up after 10 rounds); paced, a
  // few envelopes' worth: those in flight when the budget ran out and a few while the pacer's
  // rate settles (measured: about 120 at this time scale on an idle machine; a loaded one, where
  // a 10 ms refill window is easily overrun, sees more).
  CHECK(stats["throttled"].get<int>() <= 400);
  double spent = stats["resource_units"].get<double>();
  CHECK(spent >= kReadUnits);
  CHECK(spent <= kReadUnits + 400 * 2);  // only those rejections are paid for
}
