// Regression tests for the hardening campaign (issue 14) that need no server or binary:
// dependency cycles are errors naming the cycle and never hang the applier; an exception in a
// provider is a failed change; unknown users are reported with their lines in one pass; plan
// and sandbox files of the wrong shape name the file and field; control characters in tenant
// names are neutralised in every renderer; a saved plan is compared with the plan made now;
// output files are private; the sandbox keeps its mode and serialises processes.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <future>

#include "providers/local/local_provider.hpp"
#include "reconciler/apply/applier.hpp"
#include "reconciler/apply/saved_plan_check.hpp"
#include "reconciler/plan/differ.hpp"
#include "reconciler/plan/ordering.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/render/drift.hpp"
#include "reconciler/render/markdown.hpp"
#include "reconciler/render/printable.hpp"
#include "reconciler/render/text.hpp"
#include "reconciler/util/private_file.hpp"
#include "support/temp_dir.hpp"

using namespace idform;
using nlohmann::json;

namespace {

plan::Change group_change(const std::string& name, plan::Action action, json desired, json live) {
  plan::Change change;
  change.address = "group:" + name;
  change.kind = model::Kind::group;
  change.name = name;
  change.id = action == plan::Action::create ? "" : "id-" + name;
  change.action = action;
  change.desired = std::move(desired);
  change.live = std::move(live);
  return change;
}

class ThrowingProvider : public provider::Provider {
 public:
  std::string name() const override { return "throwing"; }
  Result<provider::ReadResponse> read(const provider::ReadRequest&) override { return provider::ReadResponse{}; }
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override {
    if (request.change.name == "bad") throw json::type_error::create(302, "type must be string, but is number", nullptr);
    return provider::ApplyResponse{"id-" + request.change.name};
  }
};

int mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return static_cast<int>(info.st_mode & 0777);
}

}  // namespace

TEST_CASE("ordering: two groups nested in each other, both deleted, is no cycle", "[hardening][cycles]") {
  std::vector<plan::Change> changes = {
      group_change("a", plan::Action::delete_, nullptr, {{"members", {"group:b"}}}),
      group_change("b", plan::Action::delete_, nullptr, {{"members", {"group:a"}}}),
  };
  CHECK(plan::order_changes(changes).empty());
  CHECK(changes.size() == 2);
}

TEST_CASE("ordering: creates that refer to each other are a cycle, named", "[hardening][cycles]") {
  std::vector<plan::Change> changes = {
      group_change("a", plan::Action::create, {{"members", {"group:b"}}}, nullptr),
      group_change("b", plan::Action::create, {{"members", {"group:a"}}}, nullptr),
      group_change("c", plan::Action::create, {{"members", json::array()}}, nullptr),
  };
  auto cycles = plan::order_changes(changes);
  REQUIRE(cycles.size() == 1);
  CHECK(cycles[0] == "group:a -> group:b -> group:a");
  CHECK(changes.size() == 3);  // nothing lost
}

TEST_CASE("the differ reports a dependency cycle as an error naming it", "[hardening][cycles]") {
  model::DesiredState desired;
  for (const char* pair : {"a:b", "b:a"}) {
    model::Resource resource;
    resource.kind = model::Kind::group;
    resource.name = std::string(pair).substr(0, 1);
    resource.spec = {{"members", {"group:" + std::string(pair).substr(2)}}};
    desired.resources.push_back(resource);
  }
  auto result = plan::diff(desired, {}, {.manage = {}, .today = "2026-06-01"});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].summary.find("group:a -> group:b -> group:a") != std::string::npos);
}

TEST_CASE("the applier fails changes whose dependencies form a cycle instead of waiting forever", "[hardening][cycles]") {
  // A plan file can say anything: the applier must not trust its dependencies to be acyclic.
  plan::Plan plan;
  plan.changes = {group_change("a", plan::Action::create, json::object(), nullptr),
                  group_change("b", plan::Action::create, json::object(), nullptr),
                  group_change("c", plan::Action::create, json::object(), nullptr)};
  plan.changes[0].depends_on = {"group:b"};
  plan.changes[1].depends_on = {"group:a"};
  ThrowingProvider provider;
  auto running = std::async(std::launch::async, [&] { return apply::apply_plan(plan, {}, provider, {}); });
  // A deadlock detector, not a timing assertion: a correct applier answers at once.
  REQUIRE(running.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  auto report = running.get();
  CHECK(report.applied == 1);
  CHECK(report.failed == 2);
  CHECK(report.outcomes[0].error.find("cycle") != std::string::npos);
}

TEST_CASE("an exception in an apply worker is a failed change, and the rest still applies", "[hardening]") {
  plan::Plan plan;
  plan.changes = {group_change("bad", plan::Action::create, json::object(), nullptr),
                  group_change("good", plan::Action::create, json::object(), nullptr)};
  ThrowingProvider provider;
  std::vector<std::string> reported;
  apply::ApplyOptions options;
  options.on_outcome = [&](const apply::Outcome& outcome) { reported.push_back(outcome.address); };
  auto report = apply::apply_plan(plan, {}, provider, options);
  CHECK(report.failed == 1);
  CHECK(report.applied == 1);
  CHECK(reported.size() == 2);  // the summary and the audit log hear of both
  CHECK(report.outcomes[0].error.find("internal error while applying group:bad") != std::string::npos);
}

TEST_CASE("unknown users are reported with the line each was written on", "[hardening]") {
  // Many unknown members in one group: one pass over the locations (this was quadratic).
  model::Resource group;
  group.kind = model::Kind::group;
  group.name = "big";
  json members = json::array();
  std::vector<model::Locations::Written> written;
  for (int i = 0; i < 3000; ++i) {
    std::string email = "user" + std::to_string(i) + "@acme.example";
    members.push_back("user:" + email);
    written.push_back({"members[user:" + email + "]", i + 3, 5});
  }
  group.spec = {{"members", members}};
  group.locations = model::Locations("groups/big.yaml", std::move(written));
  model::DesiredState desired;
  desired.resources.push_back(group);
  auto result = plan::diff(desired, {}, {.manage = {}, .today = "2026-06-01"});
  REQUIRE(result.errors.size() == 3000);
  std::map<std::string, int> line_of;
  for (const Error& error : result.errors) line_of[error.summary] = error.where.line;
  CHECK(line_of["user \"user0@acme.example\" does not exist in the tenant"] == 3);
  CHECK(line_of["user \"user2999@acme.example\" does not exist in the tenant"] == 3002);
}

TEST_CASE("a plan file of the wrong shape names the field", "[hardening][plan-file]") {
  json plan = plan::to_json(plan::Plan{});
  plan["changes"] = json::array({{{"address", "group:x"}, {"kind", "group"}, {"name", 5}, {"action", "create"},
                                  {"attributes", json::array()}}});
  auto read = plan::plan_from_json(plan);
  REQUIRE(!read);
  CHECK(read.error().summary == "malformed plan file: changes[0].name has the wrong type (number)");
  plan["changes"][0]["name"] = "x";
  plan["changes"][0]["attributes"] = json::array({{{"path", "members"}, {"added", {1}}}});
  read = plan::plan_from_json(plan);
  REQUIRE(!read);
  CHECK(read.error().summary == "malformed plan file: changes[0].attributes[0].added has the wrong type (array)");
  CHECK(read.error().to_string().find("json.exception") == std::string::npos);
}

TEST_CASE("a saved plan differing from the plan made now is described change by change", "[hardening][plan-file]") {
  plan::Plan fresh;
  fresh.changes = {group_change("a", plan::Action::create, {{"description", "x"}}, nullptr)};
  CHECK(apply::saved_plan_differences(fresh, fresh).empty());

  plan::Plan injected = fresh;
  injected.changes.push_back(group_change("b", plan::Action::delete_, nullptr, json::object()));
  CHECK(apply::saved_plan_differences(injected, fresh) ==
        std::vector<std::string>{"group:b: in the plan file but not planned now"});

  plan::Plan unguarded = fresh;
  fresh.changes[0].guards = {"max_deletes"};
  CHECK(apply::saved_plan_differences(unguarded, fresh) ==
        std::vector<std::string>{"group:a: differs from the plan made now in guards"});

  plan::Plan flipped = fresh;
  flipped.changes[0].name = "A";
  CHECK(apply::saved_plan_differences(flipped, fresh) ==
        std::vector<std::string>{"group:a: differs from the plan made now in name"});
}

TEST_CASE("control characters in tenant names are shown as escapes in every rendering", "[hardening][render]") {
  CHECK(render::printable("a\x1b[2Jb\r\nc\x7f") == "a\\x1b[2Jb\\x0d\\x0ac\\x7f");
  CHECK(render::printable("x\xc2\x9b" "31m") == "x\\u009b31m");  // C1 CSI
  CHECK(render::printable("evil\xe2\x80\xae" "txt.exe") == "evil\\u202etxt.exe");  // right-to-left override
  CHECK(render::printable("caf\xc3\xa9 \xe2\x9c\x93") == "caf\xc3\xa9 \xe2\x9c\x93");  // other UTF-8 untouched

  plan::Plan plan;
  plan.target = "sandbox";
  plan.provider = "local";
  std::string hostile = "ops\x1b]0;pwned\x07\x1b[2K\rfake line";
  plan::Change change = group_change(hostile, plan::Action::update, {{"description", "d"}}, {{"description", "e\x1b[8m"}});
  change.attributes.push_back({"description", false, "e\x1b[8m", "d", {}, {}, {}});
  change.attributes.push_back({"members", true, nullptr, nullptr, {"user:a\x1b@x"}, {"group:\x9b"}, {{"group:\x9b", "n\r"}}});
  plan.changes.push_back(change);
  plan.unmanaged.push_back({"group:\x1b[31mred", "id\x1b"});
  for (const std::string& out : {render::render_text(plan, {false, true}), render::render_markdown(plan, {}),
                                 render::render_drift_text(plan, {false, true}), render::render_drift_markdown(plan)}) {
    INFO(out);
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find('\r') == std::string::npos);
    CHECK(out.find('\x07') == std::string::npos);
    CHECK(out.find("ops\\x1b]0;pwned") != std::string::npos);
  }
  // With colour on, the only escape sequences are the renderer's own.
  std::string colored = render::render_text(plan, {true, true});
  CHECK(colored.find("\x1b]0;") == std::string::npos);
  CHECK(colored.find("\x1b[8m") == std::string::npos);
  CHECK(colored.find("\x1b[2K") == std::string::npos);
}

TEST_CASE("plan and audit files are created owner-only, and existing audit logs keep their mode", "[hardening][permissions]") {
  testing::TempDir temp;
  ::umask(022);
  auto plan_file = temp.path() / "plan.json";
  REQUIRE(util::prepare_private_file(plan_file, true));
  CHECK(mode_of(plan_file) == 0600);
  std::ofstream(temp.path() / "old-plan.json") << "{}";
  std::filesystem::permissions(temp.path() / "old-plan.json", std::filesystem::perms(0644));
  REQUIRE(util::prepare_private_file(temp.path() / "old-plan.json", true));
  CHECK(mode_of(temp.path() / "old-plan.json") == 0600);
  std::ofstream(temp.path() / "audit.log") << "";
  std::filesystem::permissions(temp.path() / "audit.log", std::filesystem::perms(0640));
  REQUIRE(util::prepare_private_file(temp.path() / "audit.log", false));
  CHECK(mode_of(temp.path() / "audit.log") == 0640);
}

TEST_CASE("the sandbox keeps its mode across an apply, and a new one is owner-only", "[hardening][permissions]") {
  testing::TempDir temp;
  ::umask(022);
  auto file = temp.path() / "sandbox.json";
  std::ofstream(file) << R"({"format": "idform-sandbox/1", "users": []})";
  std::filesystem::permissions(file, std::filesystem::perms(0600));
  provider::ApplyRequest request;
  request.change = group_change("new", plan::Action::create, json::object(), nullptr);
  {
    providers::LocalProvider provider(file);
    REQUIRE(provider.read({}));
    REQUIRE(provider.apply(request));
  }
  CHECK(mode_of(file) == 0600);
  auto fresh = temp.path() / "new" / "sandbox.json";
  {
    providers::LocalProvider provider(fresh);
    REQUIRE(provider.apply(request));
  }
  CHECK(mode_of(fresh) == 0600);
}

TEST_CASE("a sandbox field of the wrong type is an error naming the file, object and field", "[hardening]") {
  testing::TempDir temp;
  auto file = temp.path() / "sandbox.json";
  struct Case {
    const char* tenant;
    const char* expected;
  };
  const Case cases[] = {
      {R"({"format": "idform-sandbox/1", "groups": [{"id": "g1", "name": "ops", "members": "user:u1"}]})",
       "groups[0] (ops) members must be a list of strings"},
      {R"({"format": "idform-sandbox/1", "groups": [{"id": "g1", "name": 7}]})", "groups[0] name must be a string"},
      {R"({"format": "idform-sandbox/1", "users": [{"id": "u1", "email": null}]})", "users[0] email must be a string"},
      {R"({"format": "idform-sandbox/1", "applications": [{"id": "a", "name": "x", "sso": {"saml": 3}}]})",
       "applications[0] (x) sso.saml must be an object"},
      {R"({"format": "idform-sandbox/1", "named_locations": [{"id": "l", "name": "hq", "trusted": "yes"}]})",
       "named_locations[0] (hq) trusted must be true or false"},
  };
  for (const auto& [tenant, expected] : cases) {
    std::ofstream(file, std::ios::trunc) << tenant;
    providers::LocalProvider provider(file);
    auto read = provider.read({});
    INFO(tenant);
    REQUIRE(!read);
    CHECK(read.error().summary == "sandbox file " + file.string() + ": " + expected);
  }
}
