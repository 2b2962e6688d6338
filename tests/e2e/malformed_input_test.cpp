// Regression tests for issue 14's defect 10 ("internal error: [json.exception...]" naming neither
// file nor field): saved plans, sandbox files and sandbox journals damaged in ways the first fix
// did not cover give an error naming the file and the field, through the CLI and in-process,
// never the JSON library's message.

#include <catch2/catch.hpp>

#include "e2e/e2e_support.hpp"
#include "providers/local/sandbox_journal.hpp"
#include "reconciler/plan/plan_json.hpp"

using idform::testing::AcmeCopy;
using idform::testing::ProcessResult;
using Catch::Contains;
using nlohmann::json;

namespace {

void expect_clean_error(const ProcessResult& result) {
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("internal error") == std::string::npos);
  CHECK(result.err.find("json.exception") == std::string::npos);
}

json golden_plan() {
  std::ifstream in(std::filesystem::path(IDFORM_SOURCE_DIR) / "tests" / "golden" / "plan.json");
  return json::parse(in);
}

// Every node of `document` (lists: their first two items), as JSON pointers.
void pointers_of(const json& node, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  out.push_back(at);
  if (node.is_object())
    for (const auto& [key, value] : node.items()) pointers_of(value, at / key, out);
  else if (node.is_array())
    for (size_t i = 0; i < std::min<size_t>(node.size(), 2); ++i) pointers_of(node[i], at / i, out);
}

}  // namespace

TEST_CASE("show and apply name the plan file and field for a guard or grant of the wrong type",
          "[e2e][hardening][plan-file]") {
  AcmeCopy acme;
  auto plan_path = acme.dir() / "plan.json";
  REQUIRE(acme.idform({"plan", "--out", plan_path.string()}).exit_code == 0);
  json plan = json::parse(acme.read_text(plan_path));
  REQUIRE_FALSE(plan["grants"].empty());
  plan["grants"][0]["address"] = 7;
  plan["guards"] = json::array({{{"guard", nullptr}}});
  std::ofstream(plan_path, std::ios::trunc) << plan.dump();
  for (const char* command : {"show", "apply"}) {
    ProcessResult result = acme.idform({command, plan_path.string(), "--auto-approve"});
    expect_clean_error(result);
    CHECK_THAT(result.err, Contains("plan file " + plan_path.string() + ": malformed plan file: "));
    CHECK_THAT(result.err, Contains("guards[0].guard has the wrong type (null)"));
  }
}

TEST_CASE("every node of a saved plan replaced by every JSON type is read or refused by name",
          "[hardening][plan-file]") {
  const json golden = golden_plan();
  std::vector<json::json_pointer> pointers;
  pointers_of(golden, json::json_pointer(), pointers);
  const json replacements[] = {nullptr, 7, -1, 1.5, "x", true, json::array(), json::array({1}), json::object(),
                               json{{"a", 1}}};
  int refused = 0;
  for (const auto& pointer : pointers)
    for (const json& replacement : replacements) {
      json edited = golden;
      edited[pointer] = replacement;
      auto plan = idform::plan::plan_from_json(edited);
      if (plan) continue;
      ++refused;
      INFO(pointer.to_string() << " = " << replacement.dump() << ": " << plan.error().to_string());
      CHECK(plan.error().summary.find("json.exception") == std::string::npos);
    }
  CHECK(refused > 0);
}

TEST_CASE("a sandbox whose format or a policy's state has the wrong type gives no internal error",
          "[e2e][hardening][sandbox]") {
  AcmeCopy acme;
  json tenant = acme.read_sandbox();
  SECTION("format is a number") {
    tenant["format"] = 7;
    acme.write_sandbox(tenant);
    ProcessResult result = acme.idform({"plan"});
    expect_clean_error(result);
    CHECK_THAT(result.err, Contains("is not an idform sandbox"));
  }
  SECTION("a policy's state is null") {
    REQUIRE_FALSE(tenant["conditional_access_policies"].empty());
    tenant["conditional_access_policies"][0]["state"] = nullptr;
    acme.write_sandbox(tenant);
    ProcessResult result = acme.idform({"plan", "--no-color"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.find("internal error") == std::string::npos);
  }
}

TEST_CASE("a damaged sandbox journal is named, not replayed", "[e2e][hardening][sandbox]") {
  AcmeCopy acme;
  auto identity = idform::providers::FileIdentity::of(acme.sandbox());
  REQUIRE(identity);
  json header = {{"journal", "idform-sandbox/1"}, {"base_size", identity->size}, {"base_modified", identity->modified}};
  for (const std::string& entry : {std::string("7"), std::string(R"({"put":"groups","object":{"id":3}})"),
                                   std::string(R"({"put":"groups","object":{"id":"g1","name":"x","members":"all"}})")}) {
    DYNAMIC_SECTION("entry " << entry) {
      std::ofstream(acme.sandbox().string() + ".journal", std::ios::trunc) << header.dump() << "\n" << entry << "\n";
      ProcessResult result = acme.idform({"plan"});
      expect_clean_error(result);
      CHECK_THAT(result.err, Contains(acme.sandbox().string() + ".journal"));
    }
  }
}
