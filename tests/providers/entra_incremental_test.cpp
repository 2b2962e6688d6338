// The Entra provider's incremental read (providers/entra/incremental_read.hpp) against idp-sim:
// after random changes made through Graph as an administrator would (groups created, renamed and
// deleted, members added and removed, applications and their assignments, named locations created,
// renamed and deleted),
// bursts of them read while still inside idp-sim's consistency delay, the snapshot brought up to
// date from the change feeds equals a full read of the tenant. The seed is printed;
// IDFORM_INCREMENTAL_SEED and IDFORM_INCREMENTAL_STEPS reproduce or lengthen a run.

#include <catch2/catch.hpp>

#include <memory>
#include <thread>

#include "providers/entra/incremental_read.hpp"
#include "providers/entra_testbed.hpp"
#include "support/incremental_property.hpp"
#include "support/live_state_compare.hpp"
#include "support/tenant_generator.hpp"

using namespace idform::testing::entra;
using idform::testing::generator::Rng;
using nlohmann::json;

namespace {

constexpr const char* kDefaultRole = "00000000-0000-0000-0000-000000000000";

// The tenant as the changes below know it, to pick targets from.
struct EntraWorld {
  std::vector<std::string> users;
  std::vector<std::string> groups;
  std::vector<std::pair<std::string, std::string>> principals;  // (service principal id, appId)
  std::vector<std::string> applications;                          // object ids, in step with principals
  std::vector<std::pair<std::string, std::string>> assignments;  // (service principal id, assignment id)
  std::vector<std::string> locations;                            // named location ids
  int created = 0;
};

json graph_ok(idform::providers::entra::GraphClient& graph, const std::string& method, const std::string& path,
          const json& body = nullptr) {
  auto response = graph.call(method, path, body);
  REQUIRE(response);
  INFO(method << " " << path << " -> " << response->status << " " << response->body.dump());
  REQUIRE(response->ok());
  return response->body;
}

std::string create_group(idform::providers::entra::GraphClient& graph, EntraWorld& world) {
  std::string name = "inc-group-" + std::to_string(++world.created);
  json group = graph_ok(graph, "POST", "/groups",
                    {{"displayName", name}, {"mailEnabled", false}, {"mailNickname", name}, {"securityEnabled", true}});
  world.groups.push_back(group["id"]);
  return group["id"];
}

void create_application(idform::providers::entra::GraphClient& graph, EntraWorld& world) {
  json app = graph_ok(graph, "POST", "/applications", {{"displayName", "inc-app-" + std::to_string(++world.created)}});
  json principal = graph_ok(graph, "POST", "/servicePrincipals", {{"appId", app["appId"]}});
  world.principals.push_back({principal["id"], app["appId"]});
  world.applications.push_back(app["id"]);
}

// A named location created, renamed or deleted: conditional access is read again only when the
// audit log records such a change.
std::string change_location(idform::providers::entra::GraphClient& graph, EntraWorld& world, Rng& rng) {
  const std::string path = "/identity/conditionalAccess/namedLocations";
  const std::string type = "#microsoft.graph.ipNamedLocation";
  const std::string name = "inc-location-" + std::to_string(++world.created);
  if (world.locations.size() < 2 || rng.chance(0.3)) {
    json range = {{"@odata.type", "#microsoft.graph.iPv4CidrRange"}, {"cidrAddress", "203.0.113.0/24"}};
    json location = graph_ok(
        graph, "POST", path,
        {{"@odata.type", type}, {"displayName", name}, {"isTrusted", false}, {"ipRanges", json::array({range})}});
    world.locations.push_back(location["id"]);
    return "create location " + name;
  }
  size_t index = static_cast<size_t>(rng.between(0, static_cast<int>(world.locations.size()) - 1));
  std::string id = world.locations[index];
  if (rng.chance(0.5)) {
    graph_ok(graph, "PATCH", path + "/" + id, {{"@odata.type", type}, {"displayName", name}});
    return "rename location " + id;
  }
  graph_ok(graph, "DELETE", path + "/" + id);
  world.locations.erase(world.locations.begin() + static_cast<long>(index));
  return "delete location " + id;
}

// One random change; returns what it did, for the failure message.
std::string random_change(idform::providers::entra::GraphClient& graph, EntraWorld& world, Rng& rng) {
  const std::string base = graph.settings().graph_endpoint;
  switch (rng.between(0, 9)) {
    case 0: return "create group " + create_group(graph, world);
    case 1: {
      std::string id = rng.pick(world.groups);
      graph_ok(graph, "PATCH", "/groups/" + id, {{"displayName", "inc-renamed-" + std::to_string(++world.created)}});
      return "rename group " + id;
    }
    case 2:
    case 3: {
      std::string group = rng.pick(world.groups), user = rng.pick(world.users);
      auto response = graph.call("POST", "/groups/" + group + "/members/$ref", {{"@odata.id", base + "/directoryObjects/" + user}});
      REQUIRE(response);
      return "add member " + user + " to " + group + " (" + std::to_string(response->status) + ")";
    }
    case 4: {
      std::string group = rng.pick(world.groups), user = rng.pick(world.users);
      auto response = graph.call("DELETE", "/groups/" + group + "/members/" + user + "/$ref");
      REQUIRE(response);
      return "remove member " + user + " from " + group + " (" + std::to_string(response->status) + ")";
    }
    case 5: {
      if (world.groups.size() < 3) return "create group " + create_group(graph, world);
      size_t index = static_cast<size_t>(rng.between(0, static_cast<int>(world.groups.size()) - 1));
      std::string id = world.groups[index];
      graph_ok(graph, "DELETE", "/groups/" + id);
      world.groups.erase(world.groups.begin() + static_cast<long>(index));
      return "delete group " + id;
    }
    case 6: {
      auto [principal, app_id] = rng.pick(world.principals);
      auto response = graph.call("POST", "/servicePrincipals/" + principal + "/appRoleAssignedTo",
                                 {{"principalId", rng.pick(world.groups)}, {"resourceId", principal}, {"appRoleId", kDefaultRole}});
      REQUIRE(response);
      // Graph answers 400 "Permission being assigned already exists" for a group assigned already.
      if (response->status == 400) return "assign app " + app_id + " (assigned already)";
      REQUIRE(response->status == 201);
      world.assignments.push_back({principal, response->body["id"]});
      return "assign app " + app_id;
    }
    case 7: {
      if (world.assignments.empty()) return "nothing";
      size_t index = static_cast<size_t>(rng.between(0, static_cast<int>(world.assignments.size()) - 1));
      auto [principal, assignment] = world.assignments[index];
      world.assignments.erase(world.assignments.begin() + static_cast<long>(index));
      auto response = graph.call("DELETE", "/servicePrincipals/" + principal + "/appRoleAssignedTo/" + assignment);
      REQUIRE(response);
      return "unassign " + assignment + " (" + std::to_string(response->status) + ")";
    }
    case 8: return change_location(graph, world, rng);
    default: {
      if (world.principals.size() < 6) {
        create_application(graph, world);
        return "create application";
      }
      // An application deleted with its service principal (and so its assignments): the world
      // stays small, so the thousands of steps cost the same each.
      size_t index = static_cast<size_t>(rng.between(0, static_cast<int>(world.principals.size()) - 1));
      auto [principal, app_id] = world.principals[index];
      std::string application = world.applications[index];
      world.principals.erase(world.principals.begin() + static_cast<long>(index));
      world.applications.erase(world.applications.begin() + static_cast<long>(index));
      std::erase_if(world.assignments, [&](const auto& assignment) { return assignment.first == principal; });
      graph_ok(graph, "DELETE", "/servicePrincipals/" + principal);
      graph_ok(graph, "DELETE", "/applications/" + application);
      return "delete application " + app_id;
    }
  }
}

idform::provider::ReadResponse entra_read(idform::providers::entra::EntraProvider& provider, const json* baseline) {
  idform::provider::ReadRequest request;
  request.baseline = baseline;
  request.keep_state = baseline != nullptr;
  auto response = provider.read(request);
  INFO("read failed: " << (response ? std::string() : response.error().to_string()));
  REQUIRE(response);
  return std::move(*response);
}

// The saved state with a groups deltaLink this idp-sim never issued, which Graph answers with
// 410 syncStateNotFound.
json with_unissued_groups_link(json state) {
  std::string link = state["cursors"]["groups"];
  link.replace(link.find("$deltatoken=") + 12, std::string::npos, "not-a-token-we-issued");
  state["cursors"]["groups"] = link;
  return state;
}

}  // namespace

TEST_CASE("Entra incremental read: after random changes, the same live state as a full read", "[entra][incremental]") {
  const std::uint32_t seed = idform::testing::seed_from_env("IDFORM_INCREMENTAL_SEED", 20261207);
  const int steps = idform::testing::count_from_env("IDFORM_INCREMENTAL_STEPS", 1000);
  WARN("Entra incremental property: seed " << seed << ", " << steps << " steps (IDFORM_INCREMENTAL_SEED to reproduce)");
  TestbedOptions options;
  // Consistency delay 2,000 vendor ms = 2 ms here: bursts read inside it, the next read past it.
  options.sim_args = {"--time-scale", "0.001", "--consistency-delay-ms", "2000", "--throttle", "off", "--threads", "64"};
  options.policy_interval = std::chrono::milliseconds(2);  // Graph's 1 s between conditional access requests
  options.resource_unit_window = std::chrono::milliseconds(10);
  Testbed bed(options);
  // The audit log margin, 15 minutes against Graph, would re-read every object this test ever
  // touched on every step; a second covers the simulator's delay.
  bed.provider = bed.make_provider([](auto& settings) { settings.tuning.feed_margin = std::chrono::seconds(1); });
  auto& graph = bed.provider->graph();
  EntraWorld world;
  for (const auto& user : standard_users()) world.users.push_back(user["id"]);
  for (int i = 0; i < 4; ++i) create_group(graph, world);
  for (int i = 0; i < 2; ++i) create_application(graph, world);
  const auto past_delay = std::chrono::milliseconds(5);
  std::this_thread::sleep_for(past_delay);

  idform::provider::ReadRequest first;
  first.keep_state = true;
  auto full = bed.provider->read(first);
  REQUIRE(full);
  CHECK_FALSE(full->incremental);
  json saved = full->saved_state;
  REQUIRE(saved.is_object());

  idform::testing::IncrementalProperty run;
  run.seed = seed;
  run.steps = steps;
  run.past_delay = past_delay;
  run.change = [&graph, &world](Rng& rng) { return random_change(graph, world, rng); };
  run.read = [&bed](const json* baseline) { return entra_read(*bed.provider, baseline); };
  idform::testing::check_incremental_property(run, saved);
}

TEST_CASE("Entra incremental read: a refused delta link means a full read, and says so", "[entra][incremental]") {
  Testbed bed;
  idform::provider::ReadRequest first;
  first.keep_state = true;
  auto full = bed.provider->read(first);
  REQUIRE(full);
  json saved = with_unissued_groups_link(full->saved_state);
  auto again = entra_read(*bed.provider, &saved);
  CHECK_FALSE(again.incremental);
  CHECK_THAT(again.full_read_reason, Catch::Contains("refused the groups delta link"));
  CHECK(again.saved_state.is_object());
  CHECK(idform::testing::canonical_resources(again.state) == idform::testing::canonical_resources(full->state));

  json other = full->saved_state;
  other["version"] = "entra-state-0";
  auto other_version = entra_read(*bed.provider, &other);
  CHECK_FALSE(other_version.incremental);
  CHECK_THAT(other_version.full_read_reason, Catch::Contains("not one this provider version reads"));
}

namespace {

// A tenant with one group, read in full once with its state kept: the cache the early-read tests
// start from.
json first_saved_state(Testbed& bed, EntraWorld& world) {
  for (const auto& user : standard_users()) world.users.push_back(user["id"]);
  create_group(bed.provider->graph(), world);
  idform::provider::ReadRequest first;
  first.keep_state = true;
  auto full = bed.provider->read(first);
  REQUIRE(full);
  return full->saved_state;
}

long long groups_delta_requests(Testbed& bed) {
  return bed.sim().stats()["requests"].value("GET /groups/delta", 0LL);
}

bool has_resource(const idform::model::LiveState& state, const std::string& id) {
  for (const auto& resource : state.resources)
    if (resource.id == id) return true;
  return false;
}

}  // namespace

TEST_CASE("Entra incremental read started early: the feeds are read once, for the baseline read() is given",
          "[entra][incremental]") {
  Testbed bed;
  auto& graph = bed.provider->graph();
  EntraWorld world;
  auto baseline = std::make_shared<const json>(first_saved_state(bed, world));
  // A change behind idform's back, then the early read from the cache, then read() as the plan
  // makes it: one round of the groups feed, and the change is in the result.
  std::string added = create_group(graph, world);
  const long long before = groups_delta_requests(bed);
  bed.provider->start_reading_from(baseline);
  auto early = entra_read(*bed.provider, baseline.get());
  CHECK(early.incremental);
  CHECK(groups_delta_requests(bed) == before + 1);
  auto fresh = entra_read(*bed.provider, nullptr);
  CHECK(idform::testing::canonical_resources(early.state) == idform::testing::canonical_resources(fresh.state));
  CHECK(has_resource(early.state, added));

  // Given another baseline than the early read started from, read() reads from the one it is given.
  bed.provider->start_reading_from(baseline);
  json other = with_unissued_groups_link(early.saved_state);
  auto again = entra_read(*bed.provider, &other);
  CHECK_FALSE(again.incremental);
  CHECK_THAT(again.full_read_reason, Catch::Contains("refused the groups delta link"));
}

TEST_CASE("Entra feeds fetched from the cache header's cursors are used only for a baseline with those cursors",
          "[entra][incremental]") {
  Testbed bed;
  auto& graph = bed.provider->graph();
  EntraWorld world;
  const json saved = first_saved_state(bed, world);
  auto deltas = [&bed] { return groups_delta_requests(bed); };

  // The header's cursors are the state's: the feeds are fetched once, before the state is
  // decoded, and the change made behind idform's back is in the result.
  std::string added = create_group(graph, world);
  long long before = deltas();
  bed.provider->start_feeds(saved["cursors"]);
  auto early = entra_read(*bed.provider, &saved);
  CHECK(early.incremental);
  CHECK(deltas() == before + 1);
  CHECK(has_resource(early.state, added));
  auto fresh = entra_read(*bed.provider, nullptr);
  CHECK(idform::testing::canonical_resources(early.state) == idform::testing::canonical_resources(fresh.state));

  // A header whose cursors are not the state's (an edited or mismatched file): what was fetched
  // for them is dropped and the feeds are fetched again from the state's own cursors.
  json other_cursors = saved["cursors"];
  other_cursors["audits_since"] = "2000-01-01T00:00:00Z";
  before = deltas();
  bed.provider->start_feeds(other_cursors);
  auto refetched = entra_read(*bed.provider, &saved);
  CHECK(refetched.incremental);
  CHECK(deltas() == before + 2);
  CHECK(idform::testing::canonical_resources(refetched.state) == idform::testing::canonical_resources(fresh.state));

  // Cursors that are not cursors start nothing.
  before = deltas();
  bed.provider->start_feeds(json{{"groups", 1}});
  bed.provider->start_feeds(json::array());
  auto plain = entra_read(*bed.provider, &saved);
  CHECK(plain.incremental);
  CHECK(deltas() == before + 1);
}

TEST_CASE("Entra early read: users the config names that no object refers to are looked up after it",
          "[entra][incremental]") {
  Testbed bed;
  auto& graph = bed.provider->graph();
  EntraWorld world;
  auto baseline = std::make_shared<const json>(first_saved_state(bed, world));
  const json user = standard_users().front();
  const std::string email = user["userPrincipalName"];
  auto has_user = [&user](const idform::model::LiveState& state) {
    for (const auto& known : state.users)
      if (known.id == user["id"]) return true;
    return false;
  };
  REQUIRE_FALSE(baseline->at("users").contains(user["id"].get<std::string>()));

  // The early read maps the state before the config is loaded; the plan's read then names a user
  // in no group, who is looked up and reported, and the resources are those of a fresh read.
  create_group(graph, world);
  bed.provider->start_reading_from(baseline);
  idform::provider::ReadRequest request;
  request.baseline = baseline.get();
  request.keep_state = true;
  request.user_emails = {email};
  auto early = bed.provider->read(request);
  REQUIRE(early);
  CHECK(early->incremental);
  CHECK(has_user(early->state));
  idform::provider::ReadRequest fresh_request;
  fresh_request.user_emails = {email};
  auto fresh = bed.provider->read(fresh_request);
  REQUIRE(fresh);
  CHECK(idform::testing::canonical_resources(early->state) == idform::testing::canonical_resources(fresh->state));

  // Without such a user the early mapping is the answer, and it is a fresh read's too.
  bed.provider->start_reading_from(baseline);
  auto plain = entra_read(*bed.provider, baseline.get());
  CHECK(plain.incremental);
  CHECK_FALSE(has_user(plain.state));
  CHECK(idform::testing::canonical_resources(plain.state) == idform::testing::canonical_resources(fresh->state));
}
