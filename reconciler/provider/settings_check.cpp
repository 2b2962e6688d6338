// Validates a plugin target's settings against the plugin's own settings schema (valijson).

#include "reconciler/provider/settings_check.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace idform::provider {

std::vector<std::string> settings_problems(const nlohmann::json& schema_document, const nlohmann::json& settings) {
  valijson::Schema schema;
  try {
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_document);
    parser.populateSchema(schema_adapter, schema);
  } catch (const std::exception& error) {
    return {std::string("the plugin's settings schema is not a usable JSON Schema: ") + error.what()};
  }
  valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter adapter(settings);
  valijson::ValidationResults results;
  if (validator.validate(schema, adapter, &results)) return {};
  std::vector<std::string> problems;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const std::string& part : error.context)
      if (part != "<root>") where += (where.empty() ? "" : ".") + part;
    problems.push_back((where.empty() ? "" : where + ": ") + error.description);
  }
  return problems;
}

}  // namespace idform::provider
