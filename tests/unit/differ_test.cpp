// The differ's behaviour, case by case: each row is a desired object, a live object and the
// plan we expect between them.

#include <catch2/catch.hpp>

#include "reconciler/plan/differ.hpp"
#include "support/resources.hpp"

using namespace idform;
using nlohmann::json;

namespace {

using idform::testing::resource;

model::LiveState live_of(std::vector<model::Resource> resources) {
  model::LiveState live;
  live.resources = std::move(resources);
  for (const char* email : {"alice@acme.example", "bob@acme.example", "carol@acme.example"})
    live.users.push_back({std::string("u-") + email, email, ""});
  return live;
}

plan::DiffResult run(std::vector<model::Resource> desired, std::vector<model::Resource> live,
                     plan::DiffSettings settings = {.manage = {}, .today = "2026-06-01"}) {
  model::DesiredState state;
  state.resources = std::move(desired);
  return plan::diff(state, live_of(std::move(live)), settings);
}

const plan::AttributeChange* attribute(const plan::Change& change, const std::string& path) {
  for (const auto& item : change.attributes)
    if (item.path == path) return &item;
  return nullptr;
}

}  // namespace

TEST_CASE("scalar and set attributes compare with the catalogue's semantics", "[differ]") {
  using model::Kind;
  struct Row {
    const char* name;
    model::Kind kind;
    json desired;
    json live;
    bool changed;
  };
  std::vector<Row> rows = {
      {"equal description", Kind::group, {{"description", "x"}}, {{"description", "x"}}, false},
      {"changed description", Kind::group, {{"description", "x"}}, {{"description", "y"}}, true},
      {"absent field is unmanaged", Kind::group, json::object(), {{"description", "y"}}, false},
      {"members compare as sets", Kind::group, {{"members", {"user:bob@acme.example", "user:alice@acme.example"}}},
       {{"members", {"user:alice@acme.example", "user:bob@acme.example"}}}, false},
      {"emails compare case-insensitively", Kind::group, {{"members", {"user:Alice@ACME.example"}}},
       {{"members", {"user:alice@acme.example"}}}, false},
      {"owners case-insensitive", Kind::group, {{"owners", {"ALICE@acme.example"}}}, {{"owners", {"alice@acme.example"}}}, false},
      {"explicit empty list is enforced", Kind::group, {{"members", json::array()}}, {{"members", {"user:alice@acme.example"}}}, true},
      {"empty list equals absent live list", Kind::group, {{"members", json::array()}}, json::object(), false},
      {"cidr without prefix is /32", Kind::named_location, {{"ip_ranges", {"10.0.0.1"}}}, {{"ip_ranges", {"10.0.0.1/32"}}}, false},
      {"ipv6 case", Kind::named_location, {{"ip_ranges", {"2001:DB8::/32"}}}, {{"ip_ranges", {"2001:db8::/32"}}}, false},
      {"countries upper-cased", Kind::named_location, {{"countries", {"de", "fr"}}}, {{"countries", {"FR", "DE"}}}, false},
      {"durations normalised", Kind::conditional_access_policy, {{"session", {{"sign_in_frequency", "24h"}}}},
       {{"session", {{"sign_in_frequency", "1d"}}}}, false},
      {"duration changed", Kind::conditional_access_policy, {{"session", {{"sign_in_frequency", "8h"}}}},
       {{"session", {{"sign_in_frequency", "1d"}}}}, true},
      {"nested scalar", Kind::application, {{"sso", {{"saml", {{"entity_id", "a"}}}}}},
       {{"sso", {{"saml", {{"entity_id", "b"}, {"acs_urls", {"x"}}}}}}}, true},
      {"boolean", Kind::named_location, {{"trusted", true}}, {{"trusted", false}}, true},
  };
  for (const Row& row : rows) {
    SECTION(row.name) {
      auto result = run({resource(row.kind, "x", row.desired)}, {resource(row.kind, "x", row.live, "id-1")});
      REQUIRE(result.errors.empty());
      CHECK(result.plan.changes.size() == (row.changed ? 1u : 0u));
      CHECK(result.plan.unchanged == (row.changed ? 0 : 1));
    }
  }
}

TEST_CASE("member changes list the elements added and removed", "[differ]") {
  auto result = run({resource(model::Kind::group, "eng", {{"members", {"user:alice@acme.example", "user:bob@acme.example"}}})},
                    {resource(model::Kind::group, "eng", {{"members", {"user:bob@acme.example", "user:carol@acme.example"}}}, "g1")});
  REQUIRE(result.plan.changes.size() == 1);
  const plan::Change& change = result.plan.changes[0];
  CHECK(change.action == plan::Action::update);
  CHECK(change.id == "g1");
  const auto* members = attribute(change, "members");
  REQUIRE(members);
  CHECK(members->added == std::vector<std::string>{"user:alice@acme.example"});
  CHECK(members->removed == std::vector<std::string>{"user:carol@acme.example"});
}

TEST_CASE("additive membership never removes, but expired entries still go", "[differ]") {
  model::Resource desired = resource(model::Kind::group, "mkt", {{"members", {"user:alice@acme.example", "user:bob@acme.example"}}});
  desired.additive_members = true;
  desired.entry_info["user:bob@acme.example"] = {"2026-01-31", "temp", {}};
  auto result = run({desired}, {resource(model::Kind::group, "mkt",
                                         {{"members", {"user:alice@acme.example", "user:bob@acme.example", "user:carol@acme.example"}}}, "g1")});
  REQUIRE(result.plan.changes.size() == 1);
  const auto* members = attribute(result.plan.changes[0], "members");
  REQUIRE(members);
  CHECK(members->removed == std::vector<std::string>{"user:bob@acme.example"});
  CHECK(members->notes.at("user:bob@acme.example") == "expired on 2026-01-31");
  CHECK(members->added.empty());
}

TEST_CASE("an entry that has not expired yet stays", "[differ]") {
  model::Resource desired = resource(model::Kind::group, "g", {{"members", {"user:bob@acme.example"}}});
  desired.entry_info["user:bob@acme.example"] = {"2026-06-01", "", {}};  // expires today: still valid today
  auto result = run({desired}, {resource(model::Kind::group, "g", {{"members", {"user:bob@acme.example"}}}, "g1")});
  CHECK(result.plan.changes.empty());
}

TEST_CASE("create, delete by state: absent, and unmanaged objects", "[differ]") {
  model::Resource gone = resource(model::Kind::group, "old", json::object());
  gone.lifecycle = model::Lifecycle::absent;
  auto result = run({resource(model::Kind::group, "new", {{"description", "d"}}), gone},
                    {resource(model::Kind::group, "old", json::object(), "g-old"),
                     resource(model::Kind::group, "stray", json::object(), "g-stray")});
  REQUIRE(result.errors.empty());
  REQUIRE(result.plan.changes.size() == 2);
  CHECK(result.plan.changes[0].action == plan::Action::create);
  CHECK(result.plan.changes[1].action == plan::Action::delete_);
  CHECK(result.plan.changes[1].reason == "state: absent");
  REQUIRE(result.plan.unmanaged.size() == 1);
  CHECK(result.plan.unmanaged[0].address == "group:stray");
}

TEST_CASE("pruning deletes only unmanaged objects whose name matches", "[differ]") {
  plan::DiffSettings settings{{{model::Kind::conditional_access_policy, {true, "^CA-"}}}, "2026-06-01"};
  auto result = run({}, {resource(model::Kind::conditional_access_policy, "CA-9 old", json::object(), "p1"),
                         resource(model::Kind::conditional_access_policy, "Vendor baseline", json::object(), "p2")},
                    settings);
  REQUIRE(result.plan.changes.size() == 1);
  CHECK(result.plan.changes[0].address == "policy:CA-9 old");
  CHECK(result.plan.changes[0].action == plan::Action::delete_);
  REQUIRE(result.plan.unmanaged.size() == 1);
  CHECK(result.plan.unmanaged[0].address == "policy:Vendor baseline");
}

TEST_CASE("a pinned id turns a rename into an in-place update", "[differ]") {
  auto result = run({resource(model::Kind::group, "payments-approvers", json::object(), "g1")},
                    {resource(model::Kind::group, "payments-admins", json::object(), "g1")});
  REQUIRE(result.plan.changes.size() == 1);
  const plan::Change& change = result.plan.changes[0];
  CHECK(change.action == plan::Action::update);
  const auto* name = attribute(change, "name");
  REQUIRE(name);
  CHECK(name->before == "payments-admins");
  CHECK(name->after == "payments-approvers");
  CHECK(result.plan.unmanaged.empty());
}

TEST_CASE("two live objects with one name is an error naming both ids", "[differ]") {
  auto result = run({resource(model::Kind::group, "dup", json::object())},
                    {resource(model::Kind::group, "dup", json::object(), "g1"),
                     resource(model::Kind::group, "dup", json::object(), "g2")});
  REQUIRE(result.errors.size() == 1);
  CHECK_THAT(result.errors[0].summary, Catch::Contains("g1") && Catch::Contains("g2"));
  CHECK(result.plan.changes.empty());
  CHECK(result.plan.unmanaged.empty());
}

TEST_CASE("a user the tenant does not know is an error", "[differ]") {
  auto result = run({resource(model::Kind::group, "g", {{"members", {"user:nobody@acme.example"}}})}, {});
  REQUIRE(result.errors.size() == 1);
  CHECK_THAT(result.errors[0].summary, Catch::Contains("nobody@acme.example"));
}

TEST_CASE("changes are ordered by dependency - deletes come last, in reverse", "[differ]") {
  plan::DiffSettings settings{{{model::Kind::group, {true, ""}}, {model::Kind::conditional_access_policy, {true, ""}}}, "2026-06-01"};
  auto result = run(
      {resource(model::Kind::conditional_access_policy, "CA-1", {{"users", {{"exclude", {"group:bg"}}}}}),
       resource(model::Kind::group, "bg", json::object())},
      {resource(model::Kind::group, "stale", json::object(), "g9"),
       resource(model::Kind::conditional_access_policy, "CA-old", {{"users", {{"include", {"group:stale"}}}}}, "p9")},
      settings);
  REQUIRE(result.plan.changes.size() == 4);
  std::vector<std::string> order;
  for (const auto& change : result.plan.changes) order.push_back(change.address);
  CHECK(order == std::vector<std::string>{"group:bg", "policy:CA-1", "policy:CA-old", "group:stale"});
  CHECK(result.plan.changes[1].depends_on == std::vector<std::string>{"group:bg"});
  // A delete also waits for the create of its kind that may replace it (here the only one).
  CHECK(result.plan.changes[2].depends_on == std::vector<std::string>{"policy:CA-1"});
  CHECK(result.plan.changes[2].replaced_by == "policy:CA-1");
  CHECK(result.plan.changes[3].depends_on == std::vector<std::string>{"group:bg", "policy:CA-old"});
  CHECK(result.plan.changes[3].replaced_by == "group:bg");
}

TEST_CASE("a delete is replaced by the create its references moved to", "[differ]") {
  plan::DiffSettings settings{{{model::Kind::group, {true, ""}}}, "2026-06-01"};
  auto result = run(
      {resource(model::Kind::conditional_access_policy, "CA-1", {{"users", {{"exclude", {"group:bg-new"}}}}}, "p1"),
       resource(model::Kind::group, "bg-new", json::object()), resource(model::Kind::group, "unrelated", json::object())},
      {resource(model::Kind::group, "bg-old", json::object(), "g9"),
       resource(model::Kind::conditional_access_policy, "CA-1", {{"users", {{"exclude", {"group:bg-old"}}}}}, "p1")},
      settings);
  const plan::Change* old_group = nullptr;
  for (const auto& change : result.plan.changes)
    if (change.address == "group:bg-old") old_group = &change;
  REQUIRE(old_group);
  CHECK(old_group->replaced_by == "group:bg-new");
  CHECK(old_group->depends_on == std::vector<std::string>{"policy:CA-1", "group:bg-new"});
}

TEST_CASE("a built-in object declared by name and id only plans to nothing, one with fields is an error",
          "[differ][import]") {
  model::Resource everyone = resource(model::Kind::group, "Everyone", {{"members", {"user:alice@acme.example"}}}, "g-1");
  everyone.read_only = true;
  auto declared = run({resource(model::Kind::group, "Everyone", json::object(), "g-1")}, {everyone});
  CHECK(declared.errors.empty());
  CHECK(declared.plan.changes.empty());
  auto managed = run({resource(model::Kind::group, "Everyone", {{"members", json::array()}}, "g-1")}, {everyone});
  REQUIRE(managed.errors.size() == 1);
  CHECK(managed.errors[0].summary == "group:Everyone is built in to the identity provider and cannot be managed");
}

TEST_CASE("a user known only by id is not looked up, and compares with its case kept", "[differ][import]") {
  auto result = run({resource(model::Kind::conditional_access_policy, "p",
                              {{"users", {{"exclude", {"user:id:00uAbC"}}}}}, "p-1")},
                    {resource(model::Kind::conditional_access_policy, "p",
                              {{"users", {{"exclude", {"user:id:00uAbC"}}}}}, "p-1")});
  CHECK(result.errors.empty());
  CHECK(result.plan.changes.empty());
}
