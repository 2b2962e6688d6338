// The renderers against stored expected outputs (tests/golden/). A plan with every action kind,
// member changes, an expired entry, unmanaged objects and a blocked guard. To accept a deliberate
// change of output, run the tests with IDFORM_UPDATE_GOLDEN=1 and review the diff.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/plan/guards.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/render/drift.hpp"
#include "reconciler/render/markdown.hpp"
#include "reconciler/render/text.hpp"
#include "support/temp_dir.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

using namespace idform;
using nlohmann::json;

namespace {

using idform::testing::read_text;

plan::Plan sample_plan() {
  plan::Plan plan;
  plan.target = "sandbox";
  plan.provider = "local";
  plan.source = {"0123456789abcdef0123456789abcdef01234567", true, "feedface"};
  plan.unchanged = 7;

  plan::Change create;
  create.address = "group:payments-oncall";
  create.kind = model::Kind::group;
  create.name = "payments-oncall";
  create.action = plan::Action::create;
  create.desired = {{"description", "Payments on-call rotation"}, {"members", {"user:bob@acme.example"}}};
  create.attributes = {{"description", false, nullptr, "Payments on-call rotation", {}, {}, {}},
                       {"members", true, nullptr, json::array({"user:bob@acme.example"}), {"user:bob@acme.example"}, {}, {}}};

  plan::Change update;
  update.address = "group:payments-admins";
  update.kind = model::Kind::group;
  update.name = "payments-admins";
  update.id = "g-1";
  update.action = plan::Action::update;
  update.fingerprint = "abc";
  update.depends_on = {"group:payments-oncall"};
  update.attributes = {
      {"description", false, "Payouts", "Can approve payouts", {}, {}, {}},
      {"members", true, json::array({"user:alice@acme.example", "user:carol@acme.example", "user:mallory@acme.example"}),
       json::array({"group:payments-oncall", "user:alice@acme.example", "user:dave@acme.example"}),
       {"group:payments-oncall", "user:dave@acme.example"},
       {"user:carol@acme.example", "user:mallory@acme.example"}, {{"user:carol@acme.example", "expired on 2026-01-31"}}}};

  plan::Change app;
  app.address = "app:Salesforce";
  app.kind = model::Kind::application;
  app.name = "Salesforce";
  app.id = "a-1";
  app.action = plan::Action::update;
  app.attributes = {{"assignments", true, json::array(), json::array(), {"group:sales|role:Standard User"},
                     {"user:yusuf@acme.example|role:System Administrator"}, {}}};

  plan::Change policy;
  policy.address = "policy:CA-001 Require MFA";
  policy.kind = model::Kind::conditional_access_policy;
  policy.name = "CA-001 Require MFA";
  policy.id = "p-1";
  policy.action = plan::Action::update;
  policy.attributes = {{"state", false, "enabled", "report-only", {}, {}, {}},
                       {"users.exclude", true, json::array(), json::array(), {"group:contractors"}, {}, {}}};

  plan::Change remove;
  remove.address = "policy:CA-099 Old";
  remove.kind = model::Kind::conditional_access_policy;
  remove.name = "CA-099 Old";
  remove.id = "p-9";
  remove.action = plan::Action::delete_;
  remove.reason = "not in config (manage.conditional_access_policies.prune)";
  remove.live = {{"state", "report-only"}};

  plan.changes = {create, update, app, policy, remove};
  plan.unmanaged = {{"group:old-project-team", "g-7"}, {"app:Legacy CRM", "a-7"}};
  // Temporary access: one grant added by this plan and expiring soon, one kept, one expired.
  plan.grants = {
      {"group:payments-admins", "user:carol@acme.example", "members", "2026-01-31", "INC-4411 on-call cover", "expired", -1},
      {"group:payments-admins", "user:dave@acme.example", "members", "2026-12-05", "INC-4502 payout backlog", "added", 6},
      {"group:payments-admins", "user:alice@acme.example", "members", "2027-03-01", "audit season", "kept", 92},
  };
  // mallory was added outside the config: removing her from the protected group is remediation.
  plan::evaluate_guards(plan, {std::nullopt, 0, {"group:payments-admins"}});
  return plan;
}

void check_golden(const std::string& name, const std::string& actual) {
  std::filesystem::path path = std::filesystem::path(IDFORM_SOURCE_DIR) / "tests" / "golden" / name;
  if (std::getenv("IDFORM_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::trunc) << actual;
    WARN("updated " << path);
  }
  INFO("golden file " << path << " (IDFORM_UPDATE_GOLDEN=1 rewrites it)");
  CHECK(read_text(path) == actual);
}

}  // namespace

TEST_CASE("text renderer matches the golden file", "[render]") {
  check_golden("plan.txt", render::render_text(sample_plan(), {false, true}));
  check_golden("plan-color.txt", render::render_text(sample_plan(), {true, false}));
}

TEST_CASE("markdown renderer matches the golden file", "[render]") {
  check_golden("plan.md", render::render_markdown(sample_plan(), {}));
}

TEST_CASE("JSON plan matches the golden file and reads back unchanged", "[render]") {
  json document = plan::to_json(sample_plan());
  check_golden("plan.json", document.dump(2) + "\n");
  auto back = plan::plan_from_json(document);
  REQUIRE(back);
  CHECK(plan::to_json(*back) == document);
}

TEST_CASE("the JSON plan conforms to schemas/plan.schema.json", "[render]") {
  std::ifstream in(std::filesystem::path(IDFORM_SOURCE_DIR) / "schemas" / "plan.schema.json");
  json schema_document = json::parse(in);
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_document);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  json plan_document = plan::to_json(sample_plan());
  valijson::adapters::NlohmannJsonAdapter plan_adapter(plan_document);
  valijson::ValidationResults results;
  bool valid = validator.validate(schema, plan_adapter, &results);
  valijson::ValidationResults::Error error;
  std::string problems;
  while (results.popError(error)) problems += error.description + "\n";
  INFO(problems);
  CHECK(valid);
  // And it can fail: a plan with an unknown action does not conform.
  plan_document["changes"][0]["action"] = "explode";
  valijson::adapters::NlohmannJsonAdapter broken_adapter(plan_document);
  CHECK_FALSE(validator.validate(schema, broken_adapter, nullptr));
}

TEST_CASE("drift renderers match the golden files", "[render]") {
  check_golden("drift.txt", render::render_drift_text(sample_plan(), {false, false}));
  check_golden("drift.md", render::render_drift_markdown(sample_plan()));
}

TEST_CASE("guards in the sample plan: member removals, policy weakening, protected remediation", "[render][guards]") {
  plan::Plan plan = sample_plan();
  REQUIRE(plan.blocked());
  std::vector<std::string> names;
  for (const auto& finding : plan.guards) names.push_back(finding.guard);
  CHECK(names == std::vector<std::string>{"max_member_removals", "policy_weakening"});
  CHECK(plan::unaccepted_guards(plan, {"max_member_removals"}) == std::vector<std::string>{"policy_weakening"});
  REQUIRE(plan.remediations.size() == 1);
  CHECK(plan.remediations[0].guard == "protected");
}

TEST_CASE("a markdown plan of 5,000 changes stays within GitHub's limit and says what it left out", "[render]") {
  plan::Plan plan;
  plan.target = "entra-prod";
  plan.provider = "entra";
  for (int i = 0; i < 5000; ++i) {
    plan::Change change;
    change.address = "group:team-" + std::to_string(i);
    change.kind = model::Kind::group;
    change.name = "team-" + std::to_string(i);
    change.action = i % 10 == 0 ? plan::Action::delete_ : plan::Action::create;
    change.id = change.action == plan::Action::delete_ ? "g-" + std::to_string(i) : "";
    if (change.action == plan::Action::create)
      change.attributes = {{"members", true, nullptr, json::array(), {"user:a@acme.example", "user:b@acme.example"}, {}, {}}};
    plan.changes.push_back(change);
  }
  std::string markdown = render::render_markdown(plan, {});
  CHECK(markdown.size() <= render::kGitHubCommentLimit);
  CHECK_THAT(markdown, Catch::Contains("| ➕ create | 4500 |"));
  CHECK_THAT(markdown, Catch::Contains("are left out to stay within GitHub's 65536-character comment limit"));
  CHECK_THAT(markdown, Catch::Contains("… and 470 more"));  // 500 deletions, 30 listed
}
