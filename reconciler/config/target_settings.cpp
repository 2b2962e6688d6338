// Checks a target's settings against its provider's own settings schema, errors at file:line:col.
#include "reconciler/config/target_settings.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "reconciler/config/schema_messages.hpp"
#include "reconciler/config/schema_navigator.hpp"

namespace idform::config {

Diagnostics check_target_settings(const Target& target, const nlohmann::json& schema_document) {
  auto at_target = [&](std::string summary, std::string detail) {
    return Diagnostics{Error{"target " + target.name + ": " + std::move(summary), std::move(detail), {}, target.where}};
  };
  valijson::Schema schema;
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema_document);
    parser.populateSchema(adapter, schema);
  } catch (const std::exception& error) {
    return at_target("the settings schema of provider " + target.provider + " is not a usable JSON Schema",
                     error.what());
  }
  YamlDocument document{target.settings_sources.file(), target.provider_settings, target.settings_sources};
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter checked(document.root);
  valijson::ValidationResults results;
  try {
    if (validator.validate(schema, checked, &results)) return {};
  } catch (const std::exception& error) {
    return at_target("cannot check the settings against provider " + target.provider + "'s schema", error.what());
  }
  std::vector<RawSchemaError> raw;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) raw.push_back({error.context, error.description});
  if (raw.empty()) raw.push_back({{"<root>"}, "Failed to validate the settings"});
  return describe_schema_errors(raw, document, SchemaNavigator(schema_document), "targets." + target.name);
}

Diagnostics check_targets_settings(const Project& project, const SettingsSchemas& schemas) {
  Diagnostics found;
  for (const auto& [name, target] : project.targets) {
    auto schema = schemas.find(target.provider);
    if (schema == schemas.end()) continue;
    for (Error& problem : check_target_settings(target, schema->second)) found.push_back(std::move(problem));
  }
  return found;
}

}  // namespace idform::config
