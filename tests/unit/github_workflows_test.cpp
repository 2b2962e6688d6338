// The GitHub files in this repository are valid as GitHub reads them: every workflow
// (.github/workflows/, examples/github/) against SchemaStore's github-workflow.json and action.yml
// against github-action.json (copies in tests/fixtures/github/, with their source and licence).
// The example workflows also use the action only with inputs it declares and outputs it sets.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "reconciler/config/yaml_document.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using idform::testing::read_text;

const fs::path kSource = IDFORM_SOURCE_DIR;

json read_yaml(const fs::path& path) {
  auto file = idform::config::parse_yaml_with_yaml_cpp(read_text(path), path.string());
  for (const auto& error : file.diagnostics) UNSCOPED_INFO(error.to_string());
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  return file.documents.front().root;
}

// Every schema error, as "path: description".
std::vector<std::string> schema_errors(const std::string& schema_file, const json& document) {
  json schema_document = json::parse(read_text(kSource / "tests/fixtures/github" / schema_file));
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_document);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  validator.validate(schema, target, &results);
  std::vector<std::string> errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const auto& part : error.context) where += part;
    errors.push_back(where + ": " + error.description);
  }
  return errors;
}

std::vector<fs::path> workflows() {
  std::vector<fs::path> files;
  for (const char* dir : {".github/workflows", "examples/github"})
    for (const auto& entry : fs::directory_iterator(kSource / dir))
      if (entry.path().extension() == ".yml" || entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every workflow is valid against SchemaStore's github-workflow schema", "[github]") {
  std::vector<fs::path> files = workflows();
  REQUIRE(files.size() >= 4);  // ci.yml and the three examples
  for (const fs::path& file : files) {
    INFO(file.string());
    std::vector<std::string> errors = schema_errors("github-workflow.json", read_yaml(file));
    for (const std::string& error : errors) UNSCOPED_INFO(error);
    CHECK(errors.empty());
  }
}

TEST_CASE("action.yml is valid against SchemaStore's github-action schema", "[github]") {
  std::vector<std::string> errors = schema_errors("github-action.json", read_yaml(kSource / "action.yml"));
  for (const std::string& error : errors) UNSCOPED_INFO(error);
  CHECK(errors.empty());
}

TEST_CASE("the schemas catch a broken workflow and a broken action", "[github]") {
  json workflow = read_yaml(kSource / "examples/github/idform-plan.yml");
  workflow["jobs"]["plan"].erase("runs-on");
  CHECK_FALSE(schema_errors("github-workflow.json", workflow).empty());
  json action = read_yaml(kSource / "action.yml");
  action["runs"]["using"] = "python";
  CHECK_FALSE(schema_errors("github-action.json", action).empty());
}

TEST_CASE("the example workflows use only the action's declared inputs and outputs", "[github]") {
  json action = read_yaml(kSource / "action.yml");
  std::set<std::string> inputs, outputs;
  for (const auto& [name, input] : action["inputs"].items()) inputs.insert(name);
  for (const auto& [name, output] : action["outputs"].items()) outputs.insert(name);
  const std::regex output_reference(R"(steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+))");
  int uses = 0;
  for (const fs::path& file : workflows()) {
    if (file.parent_path().filename() != "github") continue;
    INFO(file.string());
    json workflow = read_yaml(file);
    for (const auto& [job_name, job] : workflow["jobs"].items()) {
      std::set<std::string> action_steps;
      for (const auto& step : job["steps"]) {
        if (!step.value("uses", "").starts_with("idform/idform@")) continue;
        ++uses;
        if (step.contains("id")) action_steps.insert(step["id"].get<std::string>());
        json with = step.value("with", json::object());
        for (const auto& [name, value] : with.items()) {
          INFO("input " << name);
          CHECK(inputs.contains(name));
        }
      }
      std::string text = job.dump();
      for (std::sregex_iterator match(text.begin(), text.end(), output_reference), end; match != end; ++match) {
        if (!action_steps.contains((*match)[1])) continue;
        INFO("output " << (*match)[2]);
        CHECK(outputs.contains((*match)[2]));
      }
    }
  }
  CHECK(uses == 3);
}
