// Turns valijson's validation errors into messages about YAML nodes.
#include "reconciler/config/schema_messages.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "reconciler/config/suggest.hpp"

namespace idform::config {
namespace {

using nlohmann::json;
using Schemas = std::vector<const json*>;

enum class Problem {
  type, required, unknown_field, enum_value, pattern, const_value, not_allowed, minimum, maximum,
  min_items, max_items, min_length, max_length, unique, one_of_many, summary, other,
};

struct Classified {
  Problem problem;
  std::string argument;  // the property name, or the duplicate indices for `unique`
};

struct Finding {
  std::string pointer;  // for filtering: the node the message is about
  SourceLocation where;
  std::string message;
  Problem problem;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Text between the first and last single quote: the property name in valijson's sentences.
std::string quoted_argument(const std::string& text) {
  auto first = text.find('\'');
  auto last = text.rfind('\'');
  return first < last ? text.substr(first + 1, last - first - 1) : std::string{};
}

Classified classify(const std::string& text) {
  struct Prefix {
    std::string_view text;
    Problem problem;
  };
  static constexpr Prefix kPrefixes[] = {
      {"Value type not permitted", Problem::type},
      {"Missing required property", Problem::required},
      {"Object contains a property that could not be validated", Problem::unknown_field},
      {"Failed to match against any enum values", Problem::enum_value},
      {"Failed to match regex", Problem::pattern},
      {"Failed to match expected value set by 'const'", Problem::const_value},
      {"Target should not validate against schema specified in 'not'", Problem::not_allowed},
      {"Expected number greater than", Problem::minimum},
      {"Expected number less than", Problem::maximum},
      {"Array should contain no fewer than", Problem::min_items},
      {"Array should contain no more than", Problem::max_items},
      {"String should be no fewer than", Problem::min_length},
      {"String should be no more than", Problem::max_length},
      {"Elements at indexes", Problem::unique},
      {"Failed to validate against exactly one child schema", Problem::one_of_many},
      {"Failed to validate", Problem::summary},  // items, properties, allOf, anyOf, if/then/else
  };
  for (const Prefix& prefix : kPrefixes) {
    if (!starts_with(text, prefix.text)) continue;
    if (prefix.problem == Problem::required || prefix.problem == Problem::unknown_field)
      return {prefix.problem, quoted_argument(text)};
    if (prefix.problem == Problem::unique) {
      // "Elements at indexes #0 and #3 violate uniqueness constraint."
      static const std::regex kIndices("#([0-9]+) and #([0-9]+)");
      std::smatch match;
      if (std::regex_search(text, match, kIndices)) return {prefix.problem, match[2].str()};
    }
    return {prefix.problem, {}};
  }
  return {Problem::other, {}};
}

JsonPointer pointer_from_context(const std::vector<std::string>& context) {
  JsonPointer pointer;
  for (const std::string& part : context) {
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
      pointer /= part.substr(1, part.size() - 2);
  }
  return pointer;
}

// A value as it appears in a message: strings quoted, long values shortened.
std::string show(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

std::string type_phrase(const std::string& type) {
  if (type == "object") return "a mapping";
  if (type == "array") return "a list";
  if (type == "string") return "a string";
  if (type == "integer") return "a whole number";
  if (type == "number") return "a number";
  if (type == "boolean") return "true or false";
  if (type == "null") return "nothing";
  return type;
}

bool has_type(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return false;
}

std::vector<std::string> types_of(const json& schema) {
  const json& type = schema.at("type");
  if (type.is_string()) return {type.get<std::string>()};
  std::vector<std::string> out;
  for (const auto& item : type)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

// "a, b or c"
std::string join_alternatives(const std::vector<std::string>& words, std::string_view last_joiner) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += (i + 1 == words.size()) ? std::string(last_joiner) : ", ";
    out += words[i];
  }
  return out;
}

std::string enum_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : show(value);
}

std::string custom_message(const json* schema, const char* keyword = "errorMessage") {
  if (!schema) return {};
  auto found = schema->find(keyword);
  return found != schema->end() && found->is_string() ? found->get<std::string>() : std::string{};
}

template <typename Predicate>
const json* find_schema(const Schemas& schemas, Predicate predicate) {
  // Prefer a schema that explains itself.
  const json* plain = nullptr;
  for (const json* schema : schemas) {
    if (!predicate(*schema)) continue;
    if (schema->contains("errorMessage")) return schema;
    if (!plain) plain = schema;
  }
  return plain;
}

const json* with_keyword(const Schemas& schemas, const char* keyword) {
  return find_schema(schemas, [&](const json& s) { return s.contains(keyword); });
}

// The wording of one problem at one node, without the path prefix.
class Wording {
 public:
  Wording(const json& value, const Schemas& schemas) : m_value(value), m_schemas(schemas) {}

  std::string type() const {
    const json* schema = find_schema(m_schemas, [&](const json& s) {
      if (!s.contains("type")) return false;
      auto types = types_of(s);
      return std::none_of(types.begin(), types.end(), [&](auto& t) { return has_type(m_value, t); });
    });
    if (!schema) return "has the wrong type (" + describe_type(m_value) + ")";
    std::vector<std::string> phrases;
    for (const std::string& type : types_of(*schema)) phrases.push_back(type_phrase(type));
    std::string got = describe_type(m_value);
    if (m_value.is_number()) got += " (" + show(m_value) + ")";
    return "expected " + join_alternatives(phrases, " or ") + ", got " + got;
  }

  std::string required(const std::string& property) const {
    const json* schema = find_schema(m_schemas, [&](const json& s) {
      auto list = s.find("required");
      return list != s.end() && list->is_array() &&
             std::find(list->begin(), list->end(), property) != list->end();
    });
    std::string custom = custom_message(schema);
    return custom.empty() ? "missing required field \"" + property + "\"" : custom;
  }

  std::string enum_value() const {
    const json* schema = find_schema(m_schemas, [&](const json& s) {
      auto list = s.find("enum");
      return list != s.end() && list->is_array() &&
             std::find(list->begin(), list->end(), m_value) == list->end();
    });
    if (!schema) return show(m_value) + " is not an allowed value";
    if (std::string custom = custom_message(schema); !custom.empty()) return custom;
    std::vector<std::string> allowed;
    for (const auto& item : schema->at("enum")) allowed.push_back(enum_text(item));
    std::string out = show(m_value) + " is not one of: " + join_alternatives(allowed, ", ");
    if (m_value.is_string()) out += did_you_mean(m_value.get<std::string>(), allowed);
    return out;
  }

  std::string pattern() const {
    const json* schema = with_keyword(m_schemas, "pattern");
    std::string custom = custom_message(schema, "patternErrorMessage");
    if (custom.empty()) custom = custom_message(schema);
    if (!custom.empty()) return custom + ", got " + show(m_value);
    std::string pattern = schema ? schema->at("pattern").dump() : std::string("its pattern");
    return show(m_value) + " does not match " + pattern;
  }

  std::string const_value() const {
    const json* schema = with_keyword(m_schemas, "const");
    if (std::string custom = custom_message(schema); !custom.empty()) return custom;
    return schema ? "expected " + show(schema->at("const")) : "is not the expected value";
  }

  std::string keyword_or(const char* keyword, std::string fallback) const {
    std::string custom = custom_message(with_keyword(m_schemas, keyword));
    return custom.empty() ? fallback : custom;
  }

  std::string limit(const char* keyword) const {
    const json* schema = with_keyword(m_schemas, keyword);
    return schema ? schema->at(keyword).dump() : std::string("?");
  }

 private:
  const json& m_value;
  const Schemas& m_schemas;
};

class Describer {
 public:
  Describer(const YamlDocument& document, const SchemaNavigator& schema, std::string path_prefix)
      : m_document(document), m_schema(schema), m_path_prefix(std::move(path_prefix)) {}

  void add(const RawSchemaError& error) {
    JsonPointer pointer = pointer_from_context(error.context);
    if (!m_document.root.contains(pointer)) return add(pointer, error.description);
    Classified classified = classify(error.description);
    const json& value = m_document.root.at(pointer);
    Schemas schemas = m_schema.candidates(m_document.root, pointer);
    Wording wording(value, schemas);
    switch (classified.problem) {
      case Problem::summary: m_summaries.push_back({pointer, error.description}); return;
      case Problem::unknown_field: return add_unknown_fields(pointer, value, schemas);
      case Problem::unique: return add_duplicate(pointer, value, classified.argument);
      case Problem::type: return add(pointer, wording.type(), Problem::type);
      case Problem::required: return add(pointer, wording.required(classified.argument));
      case Problem::enum_value: return add(pointer, wording.enum_value(), Problem::enum_value);
      case Problem::pattern: return add(pointer, wording.pattern(), Problem::pattern);
      case Problem::const_value: return add(pointer, wording.const_value(), Problem::const_value);
      case Problem::not_allowed:
        return add(pointer, wording.keyword_or("not", "is not allowed here") + suggestion_for_undeclared(pointer),
                   Problem::not_allowed);
      case Problem::one_of_many:
        return add(pointer, wording.keyword_or("oneOf", "matches more than one allowed form"));
      case Problem::minimum:
        return add(pointer, "must be at least " + wording.limit("minimum") + ", got " + show(value));
      case Problem::maximum:
        return add(pointer, "must be at most " + wording.limit("maximum") + ", got " + show(value));
      case Problem::min_items:
        return add(pointer, wording.keyword_or("minItems", wording.limit("minItems") == "1"
                                                               ? "must not be empty"
                                                               : "needs at least " +
                                                                     wording.limit("minItems") +
                                                                     " entries"));
      case Problem::max_items:
        return add(pointer, wording.keyword_or("maxItems", "has more than " +
                                                               wording.limit("maxItems") + " entries"));
      case Problem::min_length:
        return add(pointer,
                   wording.limit("minLength") == "1"
                       ? "must not be empty"
                       : "must be at least " + wording.limit("minLength") + " characters",
                   Problem::min_length);
      case Problem::max_length:
        return add(pointer, "is longer than " + wording.limit("maxLength") + " characters",
                   Problem::max_length);
      case Problem::other: return add(pointer, error.description);
    }
  }

  Diagnostics finish() {
    keep_the_most_specific_value_error();
    explain_unexplained_summaries();
    std::stable_sort(m_findings.begin(), m_findings.end(), [](const Finding& a, const Finding& b) {
      return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
    });
    Diagnostics out;
    std::set<std::pair<std::string, std::string>> seen;
    for (Finding& finding : m_findings) {
      if (!seen.insert({finding.where.to_string(), finding.message}).second) continue;
      out.push_back(Error{std::move(finding.message), {}, {}, std::move(finding.where)});
    }
    return out;
  }

 private:
  struct Summary {
    JsonPointer pointer;
    std::string description;
  };

  std::string prefix(const JsonPointer& pointer) const {
    std::string path = display_path(m_document.root, pointer);
    if (!m_path_prefix.empty()) path = path.empty() ? m_path_prefix : m_path_prefix + "." + path;
    return path.empty() ? std::string{} : path + ": ";
  }

  // A key that `additionalProperties: {not: {}}` refuses (a setting a provider does not have):
  // the declared key it may be a typo of.
  std::string suggestion_for_undeclared(const JsonPointer& pointer) const {
    if (pointer.empty()) return {};
    JsonPointer parent = pointer.parent_pointer();
    if (!m_document.root.contains(parent) || !m_document.root.at(parent).is_object()) return {};
    std::vector<std::string> known = declared_properties(m_schema.candidates(m_document.root, parent));
    if (std::binary_search(known.begin(), known.end(), pointer.back())) return {};
    return did_you_mean(pointer.back(), known);
  }

  void add(const JsonPointer& pointer, std::string text, Problem problem = Problem::other) {
    m_findings.push_back(Finding{pointer.to_string(), m_document.sources.value_at(pointer),
                                 prefix(pointer) + text, problem});
  }

  // valijson names only the first unknown property of an object; report every one, at its key.
  void add_unknown_fields(const JsonPointer& pointer, const json& value, const Schemas& schemas) {
    if (!value.is_object()) return;
    std::vector<std::string> known = declared_properties(schemas);
    for (const auto& [key, _] : value.items()) {
      if (std::binary_search(known.begin(), known.end(), key)) continue;
      JsonPointer field = pointer / key;
      m_findings.push_back(Finding{field.to_string(), m_document.sources.key_at(field),
                                   prefix(pointer) + "unknown field \"" + key + "\"" +
                                       did_you_mean(key, known),
                                   Problem::unknown_field});
    }
  }

  void add_duplicate(const JsonPointer& pointer, const json& list, const std::string& index_text) {
    std::size_t index = index_text.empty() ? 0 : std::stoul(index_text);
    if (!list.is_array() || index >= list.size()) return add(pointer, "has duplicate entries");
    JsonPointer item = pointer / index;
    m_findings.push_back(Finding{item.to_string(), m_document.sources.value_at(item),
                                 prefix(pointer) + show(list[index]) + " is listed twice",
                                 Problem::unique});
  }

  // One complaint about a value is enough: a node of the wrong type makes every other complaint
  // about it noise, and an empty string need not also be told it misses the pattern.
  void keep_the_most_specific_value_error() {
    std::map<std::string, int> best;
    for (const Finding& f : m_findings)
      if (int rank = value_rank(f.problem); rank > 0)
        best[f.pointer] = std::max(best[f.pointer], rank);
    std::erase_if(m_findings, [&](const Finding& f) {
      int rank = value_rank(f.problem);
      return rank > 0 && rank < best[f.pointer];
    });
  }

  static int value_rank(Problem problem) {
    switch (problem) {
      case Problem::type: return 7;
      case Problem::min_length: return 6;
      case Problem::max_length: return 5;
      case Problem::const_value: return 4;
      case Problem::enum_value: return 3;
      case Problem::pattern: return 2;
      case Problem::not_allowed: return 1;
      default: return 0;
    }
  }

  // A summary is dropped when something more specific was said about its node or below; one
  // that nothing explains still has to be shown, or the document would fail silently.
  void explain_unexplained_summaries() {
    for (const Summary& summary : m_summaries) {
      const std::string root = summary.pointer.to_string();
      bool explained = std::any_of(m_findings.begin(), m_findings.end(), [&](const Finding& f) {
        return f.pointer == root || starts_with(f.pointer, root + "/");
      });
      if (!explained) add(summary.pointer, "does not match the schema (" + summary.description + ")");
    }
  }

  const YamlDocument& m_document;
  const SchemaNavigator& m_schema;
  std::string m_path_prefix;
  std::vector<Finding> m_findings;
  std::vector<Summary> m_summaries;
};

}  // namespace

Diagnostics describe_schema_errors(const std::vector<RawSchemaError>& errors, const YamlDocument& document,
                                   const SchemaNavigator& schema, const std::string& path_prefix) {
  Describer describer(document, schema, path_prefix);
  for (const RawSchemaError& error : errors) describer.add(error);
  return describer.finish();
}

}  // namespace idform::config
