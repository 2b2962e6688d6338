// The Okta provider's incremental read (providers/okta/incremental_read.hpp) against idp-sim:
// after random changes made through the Okta API as an administrator would (groups created,
// renamed and deleted, members added and removed, apps assigned to groups and unassigned, zones),
// the snapshot brought up to date from the lists' timestamps and the System Log equals a full
// read; and the saved state never holds an app's client secret. The seed is printed;
// IDFORM_INCREMENTAL_SEED and IDFORM_INCREMENTAL_STEPS reproduce or lengthen a run.

#include <catch2/catch.hpp>

#include <thread>

#include "fixtures/okta/okta_testbed.hpp"
#include "providers/okta/incremental_read.hpp"
#include "support/incremental_property.hpp"
#include "support/live_state_compare.hpp"
#include "support/tenant_generator.hpp"

using namespace idform::testing::okta;
using idform::testing::generator::Rng;
using nlohmann::json;

namespace {

struct OktaWorld {
  std::vector<std::string> users;
  std::vector<std::string> groups;
  std::vector<std::string> apps;
  int created = 0;
};

long okta_call(Testbed& bed, const std::string& method, const std::string& path, const json& body, json* out = nullptr) {
  auto response = bed.provider->client().call(method, path, body);
  REQUIRE(response);
  if (out) *out = response->body;
  return response->status;
}

std::string create_okta_group(Testbed& bed, OktaWorld& world) {
  json group;
  REQUIRE(okta_call(bed, "POST", "/api/v1/groups", {{"profile", {{"name", "inc-group-" + std::to_string(++world.created)}}}},
                    &group) == 200);
  world.groups.push_back(group["id"]);
  return group["id"];
}

std::string random_okta_change(Testbed& bed, OktaWorld& world, Rng& rng) {
  switch (rng.between(0, 8)) {
    case 0: return "create group " + create_okta_group(bed, world);
    case 1: {
      std::string id = rng.pick(world.groups);
      long status = okta_call(bed, "PUT", "/api/v1/groups/" + id,
                              {{"profile", {{"name", "inc-renamed-" + std::to_string(++world.created)}}}});
      return "rename group " + id + " (" + std::to_string(status) + ")";
    }
    case 2:
    case 3: {
      std::string group = rng.pick(world.groups), user = rng.pick(world.users);
      long status = okta_call(bed, "PUT", "/api/v1/groups/" + group + "/users/" + user, nullptr);
      return "add " + user + " to " + group + " (" + std::to_string(status) + ")";
    }
    case 4: {
      std::string group = rng.pick(world.groups), user = rng.pick(world.users);
      long status = okta_call(bed, "DELETE", "/api/v1/groups/" + group + "/users/" + user, nullptr);
      return "remove " + user + " from " + group + " (" + std::to_string(status) + ")";
    }
    case 5: {
      if (world.groups.size() < 3) return "create group " + create_okta_group(bed, world);
      size_t index = static_cast<size_t>(rng.between(0, static_cast<int>(world.groups.size()) - 1));
      std::string id = world.groups[index];
      world.groups.erase(world.groups.begin() + static_cast<long>(index));
      long status = okta_call(bed, "DELETE", "/api/v1/groups/" + id, nullptr);
      return "delete group " + id + " (" + std::to_string(status) + ")";
    }
    case 6:
    case 7: {
      std::string app = rng.pick(world.apps), group = rng.pick(world.groups);
      long status = okta_call(bed, "PUT", "/api/v1/apps/" + app + "/groups/" + group, json::object());
      return "assign " + app + " to " + group + " (" + std::to_string(status) + ")";
    }
    default: {
      std::string app = rng.pick(world.apps), group = rng.pick(world.groups);
      long status = okta_call(bed, "DELETE", "/api/v1/apps/" + app + "/groups/" + group, nullptr);
      return "unassign " + app + " from " + group + " (" + std::to_string(status) + ")";
    }
  }
}

idform::provider::ReadResponse okta_read(Testbed& bed, const json* baseline) {
  idform::provider::ReadRequest request;
  request.baseline = baseline;
  request.keep_state = baseline != nullptr;
  auto response = bed.provider->read(request);
  INFO("read failed: " << (response ? std::string() : response.error().to_string()));
  REQUIRE(response);
  return std::move(*response);
}

// Two OIDC apps (one confidential, with a client secret) and two groups, through the engine.
OktaWorld seeded_world(Testbed& bed) {
  auto desired = bed.load({{"config.yaml", R"(kind: Group
name: inc-base-1
members: [alice@acme.example]
---
kind: Group
name: inc-base-2
---
kind: Application
name: inc-portal
sso:
  protocol: oidc
  oidc:
    redirect_uris: ["https://portal.acme.example/callback"]
assignments: [{group: inc-base-1}]
---
kind: Application
name: inc-spa
sso:
  protocol: oidc
  oidc:
    spa_redirect_uris: ["https://spa.acme.example/cb"]
    grant_types: [authorization_code]
)"}});
  bed.apply(bed.plan(desired));
  REQUIRE(bed.plan(desired).changes.empty());  // and live() now has the ids
  OktaWorld world;
  for (const auto& user : standard_users()) world.users.push_back(user["id"]);
  for (const auto& resource : bed.live().resources) {
    if (resource.kind == idform::model::Kind::group && !resource.read_only) world.groups.push_back(resource.id);
    if (resource.kind == idform::model::Kind::application && !resource.read_only) world.apps.push_back(resource.id);
  }
  REQUIRE(world.apps.size() == 2);
  return world;
}

}  // namespace

TEST_CASE("Okta incremental read: after random changes, the same live state as a full read", "[okta-provider][incremental]") {
  const std::uint32_t seed = idform::testing::seed_from_env("IDFORM_INCREMENTAL_SEED", 20261207);
  const int steps = idform::testing::count_from_env("IDFORM_INCREMENTAL_STEPS", 1000);
  WARN("Okta incremental property: seed " << seed << ", " << steps << " steps (IDFORM_INCREMENTAL_SEED to reproduce)");
  TestbedOptions options;
  // Consistency delay 2,000 vendor ms = 2 ms here: bursts read inside it, the next read past it.
  options.sim_args = {"--time-scale", "0.001", "--consistency-delay-ms", "2000", "--throttle", "off", "--threads", "64"};
  Testbed bed(options);
  // The System Log margin, 15 minutes against Okta, would re-read every object this test ever
  // touched on every step; a second covers the simulator's delay.
  bed.provider = bed.make_provider([](auto& settings) { settings.tuning.feed_margin = std::chrono::seconds(1); });
  OktaWorld world = seeded_world(bed);
  const auto past_delay = std::chrono::milliseconds(5);
  std::this_thread::sleep_for(past_delay);

  idform::provider::ReadRequest first;
  first.keep_state = true;
  auto full = bed.provider->read(first);
  REQUIRE(full);
  json saved = full->saved_state;
  REQUIRE(saved.is_object());

  idform::testing::IncrementalProperty run;
  run.seed = seed;
  run.steps = steps;
  run.past_delay = past_delay;
  run.change = [&bed, &world](Rng& rng) { return random_okta_change(bed, world, rng); };
  run.read = [&bed](const json* baseline) { return okta_read(bed, baseline); };
  idform::testing::check_incremental_property(run, saved);
}

TEST_CASE("Okta incremental read: the saved state holds no client secret", "[okta-provider][incremental]") {
  Testbed bed;
  OktaWorld world = seeded_world(bed);
  std::string secret;
  for (const std::string& app : world.apps) {
    json object = bed.get("/api/v1/apps/" + app);
    if (object["credentials"]["oauthClient"].contains("client_secret"))
      secret = object["credentials"]["oauthClient"]["client_secret"];
  }
  REQUIRE(secret.size() > 8);  // the confidential client has one, so the check below can fail
  idform::provider::ReadRequest request;
  request.keep_state = true;
  auto read = bed.provider->read(request);
  REQUIRE(read);
  CHECK(read->saved_state.dump().find(secret) == std::string::npos);
  auto again = okta_read(bed, &read->saved_state);
  CHECK(again.incremental);
  CHECK(again.saved_state.dump().find(secret) == std::string::npos);
}

TEST_CASE("idform drift on Okta: portal drift is in the next, incremental drift report as in a full one",
          "[okta-provider][incremental][cli]") {
  Testbed bed;
  seeded_world(bed);  // the config and the org, applied
  auto drift = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {IDFORM_BINARY, "drift"});
    args.insert(args.end(), {"--config", bed.config_dir().string(), "--no-color"});
    return idform::testing::run_process(args, {{kTokenEnv, kApiToken}, {"IDFORM_TODAY", "2026-11-29"}});
  };
  auto first = drift({});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.err, Catch::Contains("read target \"okta-sim\" in full: no cache at"));

  // In the Admin Console: dave joins inc-base-1, inc-base-2 is assigned to inc-portal. (By name:
  // the live state's order follows the org's random ids, and not every group is managed.)
  std::map<std::string, std::string> id_of;
  for (const auto& resource : bed.live().resources) id_of[resource.address()] = resource.id;
  REQUIRE(id_of.contains("group:inc-base-1"));
  REQUIRE(id_of.contains("group:inc-base-2"));
  REQUIRE(id_of.contains("app:inc-portal"));
  REQUIRE(okta_call(bed, "PUT", "/api/v1/groups/" + id_of["group:inc-base-1"] + "/users/00u0dave000000000004", nullptr) ==
          204);
  REQUIRE(okta_call(bed, "PUT", "/api/v1/apps/" + id_of["app:inc-portal"] + "/groups/" + id_of["group:inc-base-2"],
                    json::object()) == 200);
  auto incremental = drift({});
  INFO(incremental.err);
  CHECK(incremental.exit_code == 2);
  CHECK_THAT(incremental.err, Catch::Contains("read target \"okta-sim\" incrementally"));
  CHECK_THAT(incremental.out, Catch::Contains("dave@acme.example"));
  auto full = drift({"--refresh=full"});
  CHECK(full.exit_code == 2);
  CHECK(full.out == incremental.out);
}
