#include "reconciler/config/schema_check.hpp"

#include <cctype>
#include <fstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "reconciler/config/schema_messages.hpp"
#include "reconciler/config/schema_navigator.hpp"
#include "reconciler/config/suggest.hpp"

namespace idform::config {

struct SchemaSet::Compiled {
  nlohmann::json document;  // kept for the navigator, which words the messages
  valijson::Schema schema;
};

SchemaSet::SchemaSet() = default;
SchemaSet::SchemaSet(SchemaSet&&) noexcept = default;
SchemaSet& SchemaSet::operator=(SchemaSet&&) noexcept = default;
SchemaSet::~SchemaSet() = default;

namespace {

Result<nlohmann::json> read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return fail("cannot read schema " + path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    return fail("schema " + path.string() + " is not valid JSON", error.what());
  }
}

}  // namespace

std::string schema_stem(model::Kind kind) {
  std::string stem;
  for (char c : model::kind_document_name(kind)) {
    if (std::isupper(static_cast<unsigned char>(c)) && !stem.empty()) stem += '_';
    stem += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return stem;
}

Result<SchemaSet> SchemaSet::load(const std::filesystem::path& dir) {
  std::vector<std::string> stems = {"idform"};
  for (model::Kind kind : model::kAllKinds) stems.push_back(schema_stem(kind));

  SchemaSet set;
  for (const std::string& stem : stems) {
    std::filesystem::path path = dir / (stem + ".schema.json");
    auto compiled = std::make_unique<Compiled>();
    compiled->document = IDFORM_TRY(read_json(path));
    try {
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::NlohmannJsonAdapter adapter(compiled->document);
      parser.populateSchema(adapter, compiled->schema);
    } catch (const std::exception& error) {
      return fail("schema " + path.string() + " cannot be compiled", error.what());
    }
    set.m_schemas.emplace(stem, std::move(compiled));
  }
  return set;
}

Diagnostics SchemaSet::check(const YamlDocument& document, const std::string& stem) const {
  const Compiled& compiled = *m_schemas.at(stem);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document.root);
  bool valid = false;
  try {
    valid = validator.validate(compiled.schema, target, &results);
  } catch (const std::exception& error) {
    // valijson throws on a few value/keyword combinations; report rather than crash.
    return {Error{"cannot validate this document: " + std::string(error.what()), {}, {},
                  document.start()}};
  }
  if (valid) return {};

  std::vector<RawSchemaError> raw;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) raw.push_back({error.context, error.description});
  if (raw.empty()) raw.push_back({{"<root>"}, "Failed to validate the document"});
  return describe_schema_errors(raw, document, SchemaNavigator(compiled.document));
}

Diagnostics SchemaSet::check_project(const YamlDocument& document) const {
  return check(document, "idform");
}

Result<model::Kind> document_kind(const YamlDocument& document) {
  const nlohmann::json& root = document.root;
  auto error_at = [&](SourceLocation where, std::string message) {
    return fail(Error{std::move(message), {}, {}, std::move(where)});
  };
  if (!root.is_object())
    return error_at(document.start(), "expected a mapping with kind: and name:, got " +
                                          describe_type(root));
  if (!root.contains("kind")) return error_at(document.start(), "missing required field \"kind\"");

  SourceLocation where = document.sources.value_at(JsonPointer("/kind"));
  const nlohmann::json& kind = root["kind"];
  std::vector<std::string> names;
  for (model::Kind k : model::kAllKinds) names.emplace_back(model::kind_document_name(k));
  if (!kind.is_string())
    return error_at(where, "kind: expected a string, got " + describe_type(kind));
  const std::string text = kind.get<std::string>();
  if (auto known = model::kind_from_document_name(text)) return *known;
  std::string hint = did_you_mean(text, names);
  if (hint.empty())
    hint = "; expected Group, Application, ConditionalAccessPolicy or NamedLocation";
  return error_at(where, "unknown kind \"" + text + "\"" + hint);
}

Diagnostics SchemaSet::check_resource(const YamlDocument& document) const {
  auto kind = document_kind(document);
  if (!kind) return {kind.error()};
  return check(document, schema_stem(*kind));
}

}  // namespace idform::config
