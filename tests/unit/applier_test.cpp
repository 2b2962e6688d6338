// The parallel applier against a fake provider: dependency order, skipping dependents of a
// failure, ids of objects created earlier in the same apply, bounded parallelism.

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include "reconciler/apply/applier.hpp"

using namespace idform;

namespace {

// A provider whose apply is a std::function, recording the order of calls.
class FakeProvider : public provider::Provider {
 public:
  std::function<Result<provider::ApplyResponse>(const provider::ApplyRequest&)> on_apply;
  std::vector<std::string> calls;
  std::mutex mutex;
  std::atomic<int> running{0};
  std::atomic<int> peak{0};

  std::string name() const override { return "fake"; }
  Result<provider::ReadResponse> read(const provider::ReadRequest&) override { return provider::ReadResponse{}; }
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override {
    int now = ++running;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    {
      std::lock_guard lock(mutex);
      calls.push_back(request.change.address);
    }
    auto result = on_apply ? on_apply(request) : Result<provider::ApplyResponse>(provider::ApplyResponse{"id-" + request.change.name});
    --running;
    return result;
  }
};

plan::Change change(std::string address, plan::Action action, std::vector<std::string> depends_on = {},
                    nlohmann::json desired = nullptr) {
  plan::Change out;
  out.address = address;
  out.name = address.substr(address.find(':') + 1);
  out.kind = *model::kind_from_prefix(address.substr(0, address.find(':')));
  out.action = action;
  out.depends_on = std::move(depends_on);
  out.desired = std::move(desired);
  return out;
}

size_t position(const std::vector<std::string>& calls, const std::string& address) {
  return static_cast<size_t>(std::find(calls.begin(), calls.end(), address) - calls.begin());
}

}  // namespace

TEST_CASE("a failed change skips its dependents transitively - independent changes go on", "[apply]") {
  plan::Plan plan;
  plan.changes = {change("group:a", plan::Action::create), change("group:b", plan::Action::create),
                  change("app:x", plan::Action::create, {"group:a"}),
                  change("policy:p", plan::Action::create, {"app:x"}),
                  change("app:y", plan::Action::create, {"group:b"})};
  FakeProvider provider;
  provider.on_apply = [](const provider::ApplyRequest& request) -> Result<provider::ApplyResponse> {
    if (request.change.address == "group:a") return fail("boom");
    return provider::ApplyResponse{"id"};
  };
  auto report = apply::apply_plan(plan, {}, provider, {.parallelism = 4, .on_outcome = {}});
  CHECK(report.applied == 2);
  CHECK(report.failed == 1);
  CHECK(report.skipped == 2);
  CHECK(report.outcomes[2].status == apply::Status::skipped);
  CHECK(report.outcomes[3].status == apply::Status::skipped);
  CHECK_THAT(report.outcomes[3].error, Catch::Contains("app:x"));
  CHECK(report.outcomes[4].status == apply::Status::applied);
  CHECK(std::find(provider.calls.begin(), provider.calls.end(), "app:x") == provider.calls.end());
}

TEST_CASE("dependencies run first and pass their new ids to dependents", "[apply]") {
  plan::Plan plan;
  plan.changes = {change("group:bg", plan::Action::create),
                  change("policy:CA-1", plan::Action::create, {"group:bg"},
                         {{"users", {{"exclude", {"group:bg", "group:existing"}}}}})};
  model::LiveState live;
  model::Resource existing;
  existing.kind = model::Kind::group;
  existing.name = "existing";
  existing.id = "g-existing";
  live.resources.push_back(existing);
  FakeProvider provider;
  std::map<std::string, std::string> seen;
  provider.on_apply = [&](const provider::ApplyRequest& request) -> Result<provider::ApplyResponse> {
    if (request.change.address == "policy:CA-1") seen = request.ids;
    return provider::ApplyResponse{"new-" + request.change.name};
  };
  auto report = apply::apply_plan(plan, live, provider, {.parallelism = 4, .on_outcome = {}});
  REQUIRE(report.ok());
  CHECK(seen.at("group:bg") == "new-bg");
  CHECK(seen.at("group:existing") == "g-existing");
  CHECK(position(provider.calls, "group:bg") < position(provider.calls, "policy:CA-1"));
}

TEST_CASE("parallelism is bounded and every change reports exactly once", "[apply]") {
  plan::Plan plan;
  for (int i = 0; i < 40; ++i) plan.changes.push_back(change("group:g" + std::to_string(i), plan::Action::create));
  for (int limit : {1, 3}) {
    FakeProvider provider;
    int outcomes = 0;
    auto report = apply::apply_plan(plan, {}, provider,
                                    {.parallelism = limit, .on_outcome = [&](const apply::Outcome&) { ++outcomes; }});
    CHECK(report.applied == 40);
    CHECK(outcomes == 40);
    CHECK(provider.peak.load() <= limit);
    if (limit == 3) CHECK(provider.peak.load() > 1);
  }
}

TEST_CASE("no delete starts before every create and update has finished", "[apply][ordering]") {
  plan::Plan plan;
  plan.changes = {change("group:slow", plan::Action::update), change("policy:new", plan::Action::create),
                  change("policy:old", plan::Action::delete_), change("location:gone", plan::Action::delete_)};
  for (int parallelism : {1, 2, 4, 8}) {
    FakeProvider provider;
    std::vector<std::string> events;
    provider.on_apply = [&](const provider::ApplyRequest& request) -> Result<provider::ApplyResponse> {
      {
        std::lock_guard lock(provider.mutex);
        events.push_back("start " + request.change.address);
      }
      if (request.change.action != plan::Action::delete_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard lock(provider.mutex);
      events.push_back("end " + request.change.address);
      return provider::ApplyResponse{"id"};
    };
    auto report = apply::apply_plan(plan, {}, provider, {.parallelism = parallelism, .on_outcome = {}});
    INFO("parallelism " << parallelism);
    REQUIRE(report.applied == 4);
    size_t last_end = std::max(position(events, "end group:slow"), position(events, "end policy:new"));
    CHECK(position(events, "start policy:old") > last_end);
    CHECK(position(events, "start location:gone") > last_end);
  }
}

TEST_CASE("a failed create or update holds back every delete, saying why", "[apply][ordering]") {
  const char* failing = GENERATE("policy:CA-new", "group:other");
  plan::Plan plan;
  plan.changes = {change("policy:CA-new", plan::Action::create), change("group:other", plan::Action::update),
                  change("policy:CA-old", plan::Action::delete_), change("group:stale", plan::Action::delete_)};
  FakeProvider provider;
  provider.on_apply = [&](const provider::ApplyRequest& request) -> Result<provider::ApplyResponse> {
    if (request.change.address == failing) return fail("injected");
    return provider::ApplyResponse{"id"};
  };
  auto report = apply::apply_plan(plan, {}, provider, {.parallelism = 4, .on_outcome = {}});
  INFO(failing);
  CHECK(report.failed == 1);
  CHECK(report.held_back == 2);
  CHECK_FALSE(report.ok());
  for (size_t i : {2, 3}) {
    CHECK(report.outcomes[i].status == apply::Status::held_back);
    CHECK_THAT(report.outcomes[i].error, Catch::Contains(failing) && Catch::Contains("did not apply"));
  }
  CHECK(std::find(provider.calls.begin(), provider.calls.end(), "policy:CA-old") == provider.calls.end());
  CHECK(std::find(provider.calls.begin(), provider.calls.end(), "group:stale") == provider.calls.end());
}

TEST_CASE("a member renamed in the same apply is not sent as an addition and a removal of the same object", "[apply]") {
  // Group a is renamed to a2 through its pinned id; group b's members move from group:a to
  // group:a2, which is the same object: sent as both, a provider would add it and remove it again.
  plan::Plan plan;
  plan::Change rename = change("group:a2", plan::Action::update, {}, {{"members", nlohmann::json::array()}});
  rename.id = "g-a";
  plan::Change members = change("group:b", plan::Action::update, {"group:a2"},
                                {{"members", {"group:a2", "user:carol@acme.example"}}});
  members.id = "g-b";
  members.live = {{"members", {"group:a", "user:dave@acme.example"}}};
  members.attributes.push_back({"members", true, nullptr, nullptr, {"group:a2", "user:carol@acme.example"},
                                {"group:a", "user:dave@acme.example"}, {}});
  plan.changes = {rename, members};
  model::LiveState live;
  for (const auto& [name, id] : std::map<std::string, std::string>{{"a", "g-a"}, {"b", "g-b"}}) {
    model::Resource group;
    group.kind = model::Kind::group;
    group.name = name;
    group.id = id;
    live.resources.push_back(group);
  }
  live.users = {{"u-c", "carol@acme.example", "Carol"}, {"u-d", "dave@acme.example", "Dave"}};
  FakeProvider provider;
  plan::AttributeChange sent;
  provider.on_apply = [&](const provider::ApplyRequest& request) -> Result<provider::ApplyResponse> {
    if (request.change.address == "group:b") sent = request.change.attributes.at(0);
    return provider::ApplyResponse{request.change.id};
  };
  auto report = apply::apply_plan(plan, live, provider, {.parallelism = 2, .on_outcome = {}});
  REQUIRE(report.ok());
  CHECK(sent.added == std::vector<std::string>{"user:carol@acme.example"});
  CHECK(sent.removed == std::vector<std::string>{"user:dave@acme.example"});
  // The plan itself still shows what the config says.
  CHECK(plan.changes[1].attributes[0].added.size() == 2);
}
