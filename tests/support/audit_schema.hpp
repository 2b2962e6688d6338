#pragma once
// Every audit log line a test writes is checked against schemas/audit-line.schema.json.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace idform::testing {

// The problems valijson finds in `line` against the audit line schema; empty when it conforms.
inline std::string audit_line_problems(const nlohmann::json& line) {
  static const nlohmann::json schema_document = [] {
    std::ifstream in(std::filesystem::path(IDFORM_SOURCE_DIR) / "schemas" / "audit-line.schema.json");
    return nlohmann::json::parse(in);
  }();
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_document);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter adapter(line);
  valijson::ValidationResults results;
  if (validator.validate(schema, adapter, &results)) return "";
  std::string problems;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const std::string& part : error.context) where += part;
    problems += where + ": " + error.description + "\n";
  }
  return problems.empty() ? "does not conform" : problems;
}

// Reads an audit log, checking that every line is JSON conforming to the schema.
inline std::vector<nlohmann::json> read_audit_log(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  std::string text;
  while (std::getline(in, text)) {
    nlohmann::json line = nlohmann::json::parse(text, nullptr, false);
    INFO("audit line: " << text);
    REQUIRE_FALSE(line.is_discarded());
    std::string problems = audit_line_problems(line);
    INFO(problems);
    CHECK(problems.empty());
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace idform::testing
