// engine::make_plan, the one way a plan is made: it asks the read for the users the config names
// (lower-cased, sorted, once, none pinned by id), diffs, evaluates the guards of idform.yaml and
// records the config's source; problems between config and tenant come back one by one.

#include <catch2/catch.hpp>

#include "reconciler/engine/make_plan.hpp"
#include "reconciler/plan/guards.hpp"
#include "support/temp_dir.hpp"

using namespace idform;

namespace {

// A tenant held in memory that remembers what the last read asked for.
class RecordingTenant : public provider::Provider {
 public:
  model::LiveState live;
  provider::ReadRequest asked;
  bool every_user = false;

  std::string name() const override { return "memory"; }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override {
    asked = request;
    provider::ReadResponse response;
    response.state = live;
    return response;
  }
  bool reads_every_user() const override { return every_user; }
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest&) override { return fail("read only"); }
};

model::Resource engine_live_group(const std::string& name, const std::string& id, nlohmann::json members) {
  model::Resource group;
  group.kind = model::Kind::group;
  group.name = name;
  group.id = id;
  group.spec = {{"members", std::move(members)}};
  return group;
}

config::LoadedConfig load_engine_tree(const testing::TempDir& dir, const std::string& project,
                                      const std::string& groups) {
  dir.write("idform.yaml", project);
  dir.write("groups/groups.yaml", groups);
  config::LoadResult loaded = config::load_config(dir.path());
  for (const Error& error : loaded.diagnostics) FAIL_CHECK(error.to_string());
  REQUIRE(loaded.ok());
  return loaded.config;
}

// A plan of target "t" on a fixed day.
engine::PlanRequest engine_request(const config::LoadedConfig& config, RecordingTenant& tenant) {
  engine::PlanRequest request;
  request.config = &config;
  request.target = "t";
  request.provider = &tenant;
  request.today = "2026-11-29";
  return request;
}

}  // namespace

TEST_CASE("make_plan reads the users the config names, diffs, and evaluates the guards", "[engine]") {
  testing::TempDir dir;
  config::LoadedConfig config = load_engine_tree(
      dir, "version: 1\ndefault_target: t\ntargets:\n  t: {provider: local}\nguards:\n  max_member_removals: 1\n",
      "kind: Group\nname: admins\nowners: [Owner@Acme.Example]\nmembers:\n  - Bob@Acme.Example\n  - "
      "alice@acme.example\n"
      "  - id:00u42\n");
  RecordingTenant tenant;
  tenant.live.resources.push_back(engine_live_group(
      "admins", "g1", {"user:bob@acme.example", "user:carol@acme.example", "user:dave@acme.example"}));
  for (const char* email :
       {"alice@acme.example", "bob@acme.example", "carol@acme.example", "dave@acme.example", "owner@acme.example"})
    tenant.live.users.push_back({std::string("id-") + email, email, email});
  engine::PlanRequest request = engine_request(config, tenant);
  auto made = engine::make_plan(request);
  REQUIRE(made);
  CHECK(tenant.asked.user_emails ==
        std::vector<std::string>{"alice@acme.example", "bob@acme.example", "owner@acme.example"});
  const plan::Plan& plan = made->plan;
  CHECK(plan.target == "t");
  CHECK(plan.provider == "memory");
  CHECK(plan.source.hash == engine::config_hash(config));
  CHECK(plan.source.commit.empty());  // a temporary directory is in no git repository
  REQUIRE(plan.changes.size() == 1);
  CHECK(plan.changes[0].address == "group:admins");
  // Two members removed against a budget of one: the guard the driver used to skip.
  REQUIRE(plan.blocked());
  CHECK(plan.guards.front().guard == plan::kGuardMaxMemberRemovals);
  REQUIRE(made->live.resources.size() == 1);

  tenant.every_user = true;  // the sandbox returns every user: none are worked out for it
  REQUIRE(engine::make_plan(request));
  CHECK(tenant.asked.user_emails.empty());
}

TEST_CASE("make_plan returns the differ's problems one by one, and a failed read as it came", "[engine]") {
  testing::TempDir dir;
  config::LoadedConfig config = load_engine_tree(
      dir, "version: 1\ndefault_target: t\ntargets:\n  t: {provider: local}\n", "kind: Group\nname: admins\n");
  RecordingTenant tenant;
  tenant.live.resources.push_back(engine_live_group("admins", "g1", nlohmann::json::array()));
  tenant.live.resources.push_back(engine_live_group("admins", "g2", nlohmann::json::array()));
  engine::PlanRequest request = engine_request(config, tenant);
  auto made = engine::make_plan(request);
  REQUIRE_FALSE(made);
  REQUIRE(made.error().problems.size() == 1);
  CHECK(made.error().problems[0].address == "group:admins");
  CHECK(made.error().error.summary == "cannot plan: 1 problem(s) between the configuration and the tenant");

  struct FailingReader : engine::LiveReader {
    Result<provider::ReadResponse> read(provider::ReadRequest) override {
      return fail(ErrorCategory::throttled, "the tenant said slow down");
    }
  } reader;
  request.reader = &reader;
  auto unread = engine::make_plan(request);
  REQUIRE_FALSE(unread);
  CHECK(unread.error().problems.empty());
  CHECK(unread.error().error.category == ErrorCategory::throttled);
}
