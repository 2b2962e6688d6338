// Validates YAML documents against the embedded JSON Schemas, with errors at file:line:col.
#include "reconciler/config/schema_check.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "reconciler/config/embedded_schemas.hpp"
#include "reconciler/config/schema_messages.hpp"
#include "reconciler/config/schema_navigator.hpp"
#include "reconciler/config/schema_warnings.hpp"
#include "reconciler/config/suggest.hpp"

namespace idform::config {

struct SchemaSet::Compiled {
  nlohmann::json document;  // kept for the navigator, which words the messages
  valijson::Schema schema;
  bool plain_members = false;  // members: may be checked by the fast path below
  std::unique_ptr<SchemaWarnings> warnings;
};

SchemaSet::SchemaSet() = default;
SchemaSet::SchemaSet(SchemaSet&&) noexcept = default;
SchemaSet& SchemaSet::operator=(SchemaSet&&) noexcept = default;
SchemaSet::~SchemaSet() = default;

namespace {

Result<nlohmann::json> parse_schema(const std::string& name) {
  std::string_view text = embedded_schema(name);
  if (text.empty()) return fail("schema " + name + " is not built into this idform");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    return fail("schema " + name + " is not valid JSON", error.what());
  }
}

// Member lists are most of a large config (over a million entries), and valijson spends
// microseconds on each: an if/then/else and a std::regex search. A list of plain strings that all
// match the schema's email pattern is valid by construction, so for such a list valijson checks
// the document without it. Any other list (a mapping entry, a bad address) goes to valijson
// whole, so every message stays exactly as it was.
constexpr std::string_view kEmailPattern = "^([^@\\s]+@[^@\\s]+\\.[^@\\s]+|id:\\S+)$";

bool has_space(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  });
}

// `kEmailPattern` as std::regex (ECMAScript, "C" locale) reads it: "id:" and something without
// white space, or one '@', not first, no white space, and after the '@' a '.' with something on
// both sides.
bool matches_email_pattern(std::string_view text) {
  if (text.starts_with("id:")) return text.size() > 3 && !has_space(text);
  auto at = text.find('@');
  if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos)
    return false;
  if (has_space(text)) return false;
  std::string_view domain = text.substr(at + 1);
  if (domain.size() < 3) return false;
  return domain.substr(1, domain.size() - 2).find('.') != std::string_view::npos;
}

// True when the schema says what the fast path assumes: members are a list whose string items
// are checked against kEmailPattern and nothing else.
bool has_plain_members(const nlohmann::json& schema) {
  const nlohmann::json expected_member_if = {{"type", "string"}};
  const nlohmann::json expected_member_then = {{"$ref", "#/definitions/email"}};
  const nlohmann::json expected_email = {{"type", "string"}, {"pattern", kEmailPattern}};
  try {
    const nlohmann::json& members = schema.at("properties").at("members");
    for (const auto& [key, _] : members.items())
      if (key != "description" && key != "type" && key != "items") return false;
    if (members.at("type") != "array" || members.at("items") != nlohmann::json{{"$ref", "#/definitions/member"}})
      return false;
    const nlohmann::json& member = schema.at("definitions").at("member");
    nlohmann::json email = schema.at("definitions").at("email");
    email.erase("patternErrorMessage");
    email.erase("description");
    return member.at("if") == expected_member_if && member.at("then") == expected_member_then &&
           email == expected_email;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

bool all_plain_emails(const nlohmann::json& list) {
  return std::all_of(list.begin(), list.end(), [](const nlohmann::json& item) {
    return item.is_string() && matches_email_pattern(item.get_ref<const std::string&>());
  });
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

Result<SchemaSet> SchemaSet::load() {
  std::vector<std::string> stems = {"idform"};
  for (model::Kind kind : model::kAllKinds) stems.push_back(schema_stem(kind));
  stems.push_back("whatif");

  SchemaSet set;
  for (const std::string& stem : stems) {
    std::string name = stem + ".schema.json";
    auto compiled = std::make_unique<Compiled>();
    compiled->document = IDFORM_TRY(parse_schema(name));
    try {
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::NlohmannJsonAdapter adapter(compiled->document);
      parser.populateSchema(adapter, compiled->schema);
    } catch (const std::exception& error) {
      return fail("schema " + name + " cannot be compiled", error.what());
    }
    compiled->plain_members = has_plain_members(compiled->document);
    compiled->warnings = std::make_unique<SchemaWarnings>(compiled->document);
    set.m_schemas.emplace(stem, std::move(compiled));
  }
  return set;
}

Diagnostics SchemaSet::check(const YamlDocument& document, const std::string& stem) const {
  const Compiled& compiled = *m_schemas.at(stem);
  // One validator per thread keeps its compiled patterns from one document to the next.
  thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  const nlohmann::json* checked = &document.root;
  nlohmann::json without_members;
  if (compiled.plain_members && document.root.is_object()) {
    auto members = document.root.find("members");
    if (members != document.root.end() && members->is_array() && all_plain_emails(*members)) {
      without_members = nlohmann::json::object();
      for (const auto& [key, value] : document.root.items())
        without_members[key] = key == "members" ? nlohmann::json::array() : value;
      checked = &without_members;
    }
  }
  valijson::adapters::NlohmannJsonAdapter target(*checked);
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

Diagnostics SchemaSet::warn_resource(const YamlDocument& document) const {
  auto kind = document_kind(document);
  if (!kind) return {};
  return m_schemas.at(schema_stem(*kind))->warnings->check(document);
}

Diagnostics SchemaSet::check_resource(const YamlDocument& document) const {
  auto kind = document_kind(document);
  if (!kind) return {kind.error()};
  return check(document, schema_stem(*kind));
}

}  // namespace idform::config
