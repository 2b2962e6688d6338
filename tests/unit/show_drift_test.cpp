// `idform show` renders a saved plan exactly as `idform plan` rendered it (golden files), and the
// drift report stays machine-readable and within GitHub's size limit however large the drift.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/cli/cli.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/render/drift.hpp"
#include "reconciler/render/markdown.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using idform::testing::read_text;

struct Shown {
  int exit_code;
  std::string out;
  std::string err;
};

Shown show(std::vector<std::string> args) {
  std::ostringstream out, err;
  std::istringstream in;
  idform::cli::Io io{out, err, in, false, false, false, [](const std::string&) { return std::string(); }, false};
  idform::provider::Registry registry;
  args.insert(args.begin(), "show");
  int code = idform::cli::run(args, registry, io);
  return {code, out.str(), err.str()};
}

fs::path golden(const std::string& name) { return fs::path(IDFORM_SOURCE_DIR) / "tests" / "golden" / name; }

// A plan in which `count` groups each gained an extra member in the tenant.
idform::plan::Plan drifted_plan(int count) {
  idform::plan::Plan plan;
  plan.target = "entra-prod";
  plan.provider = "entra";
  for (int i = 0; i < count; ++i) {
    idform::plan::Change change;
    change.name = "team-" + std::to_string(i);
    change.address = "group:" + change.name;
    change.id = "00000000-0000-0000-0000-" + std::to_string(100000000000 + i);
    change.action = idform::plan::Action::update;
    change.attributes = {{"members", true, json::array(), json::array(), {},
                          {"user:contractor" + std::to_string(i) + "@acme.example"}, {}}};
    plan.changes.push_back(std::move(change));
  }
  return plan;
}

}  // namespace

TEST_CASE("idform show renders a saved plan as text, markdown and JSON", "[show]") {
  // The golden plan file rendered by `show` gives exactly the golden renders of the same plan
  // (tests/golden/plan.txt, plan.md, plan.json, which render_test.cpp checks the renderers against).
  std::string plan_file = golden("plan.json").string();
  Shown text = show({plan_file, "--no-color", "--show-unmanaged"});
  CHECK(text.exit_code == 0);
  CHECK(text.out == read_text(golden("plan.txt")));
  Shown markdown = show({plan_file, "--format", "markdown"});
  CHECK(markdown.exit_code == 0);
  CHECK(markdown.out == read_text(golden("plan.md")));
  Shown as_json = show({plan_file, "--format", "json"});
  CHECK(as_json.exit_code == 0);
  CHECK(json::parse(as_json.out) == json::parse(read_text(golden("plan.json"))));
}

TEST_CASE("idform show refuses what is not a plan, naming the file", "[show]") {
  Shown missing = show({"no-such-plan.json"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("no-such-plan.json"));
  Shown none = show({});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("PLANFILE"));
  Shown not_json = show({golden("plan.md").string()});
  CHECK(not_json.exit_code == 1);
  CHECK_THAT(not_json.err, Catch::Contains("not valid JSON"));
}

TEST_CASE("drift markdown of 5,000 drifted objects stays within GitHub's limit and says what it left out",
          "[show][drift]") {
  idform::plan::Plan plan = drifted_plan(5000);
  std::string markdown = idform::render::render_drift_markdown(plan);
  CHECK(markdown.size() <= idform::render::kGitHubCommentLimit);
  CHECK_THAT(markdown, Catch::Contains("5000 objects differ"));
  CHECK_THAT(markdown, Catch::Contains("`group:team-0`"));
  CHECK_THAT(markdown, Catch::Contains("more object(s) not shown"));
  CHECK_THAT(markdown, Catch::Contains("--format json"));
  // A small drift is shown whole, without the note.
  std::string small = idform::render::render_drift_markdown(drifted_plan(3));
  CHECK_THAT(small, Catch::Contains("`group:team-2`"));
  CHECK(small.find("not shown") == std::string::npos);
}

TEST_CASE("drift JSON carries the plan JSON's change objects", "[show][drift]") {
  idform::plan::Plan plan = drifted_plan(3);
  json drift = idform::render::drift_json(plan);
  json planned = idform::plan::to_json(plan);
  REQUIRE(drift["objects"].size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(drift["objects"][i]["drift"] == "changed");
    CHECK(drift["objects"][i]["change"] == planned["changes"][i]);
  }
  CHECK(drift["drift"] == true);
}
