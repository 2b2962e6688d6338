// Schema warnings: every string of a document is matched against the "warnings" of the schema
// objects that apply to it. Finding those objects (SchemaNavigator) walks the schema, so it is
// done once per path shape — the node's pointer with list indices written "*" — and kept for the
// life of the schema set, behind a mutex since files are checked on several threads. A list whose
// items have no warnings is skipped whole: a large config's member lists cost one lookup each.

#include "reconciler/config/schema_warnings.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <regex>

#include "reconciler/config/schema_navigator.hpp"

namespace idform::config {

// One entry of a schema object's "warnings" (outside the anonymous namespace: the cache holds it).
struct SchemaWarningRule {
  std::optional<std::regex> pattern;
  std::size_t max_length = 0;  // 0 = none
  std::string message;
};

namespace {

using Rule = SchemaWarningRule;

std::size_t code_points(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

bool breaks(const Rule& rule, const std::string& value) {
  if (rule.pattern && !std::regex_search(value, *rule.pattern)) return true;
  return rule.max_length > 0 && code_points(value) > rule.max_length;
}

}  // namespace

struct SchemaWarnings::Cache {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const std::vector<SchemaWarningRule>>> rules;  // by path shape
};

SchemaWarnings::SchemaWarnings(const nlohmann::json& schema) : m_schema(schema), m_cache(std::make_unique<Cache>()) {}
SchemaWarnings::~SchemaWarnings() = default;

namespace {

std::vector<Rule> rules_of(const std::vector<const nlohmann::json*>& schemas) {
  std::vector<Rule> out;
  for (const nlohmann::json* schema : schemas) {
    auto warnings = schema->find("warnings");
    if (warnings == schema->end() || !warnings->is_array()) continue;
    for (const auto& entry : *warnings) {
      if (!entry.is_object()) continue;
      Rule rule;
      rule.message = entry.value("message", "unusual value");
      if (entry.contains("pattern") && entry["pattern"].is_string()) {
        try {
          rule.pattern.emplace(entry["pattern"].get<std::string>(), std::regex::ECMAScript);
        } catch (const std::regex_error&) {
          continue;  // a schema defect; validation of the schema itself is not this file's job
        }
      }
      if (entry.contains("maxLength") && entry["maxLength"].is_number_unsigned())
        rule.max_length = entry["maxLength"].get<std::size_t>();
      out.push_back(std::move(rule));
    }
  }
  return out;
}

using RuleLookup = std::function<std::shared_ptr<const std::vector<Rule>>(const std::string&, const JsonPointer&)>;

class Walker {
 public:
  Walker(const YamlDocument& document, const RuleLookup& lookup) : m_document(document), m_lookup(lookup) {}

  Diagnostics run() {
    visit(m_document.root, JsonPointer(), "");
    return std::move(m_out);
  }

 private:
  void visit(const nlohmann::json& node, const JsonPointer& pointer, const std::string& shape) {
    if (node.is_string()) {
      auto rules = m_lookup(shape, pointer);
      for (const Rule& rule : *rules)
        if (breaks(rule, node.get_ref<const std::string&>()))
          m_out.push_back(Error{rule.message, {}, {}, m_document.sources.value_at(pointer)});
    } else if (node.is_object()) {
      for (const auto& [key, value] : node.items()) visit(value, pointer / key, shape + "/" + key);
    } else if (node.is_array()) {
      std::string items = shape + "/*";
      bool only_strings = std::all_of(node.begin(), node.end(), [](const nlohmann::json& item) { return item.is_string(); });
      if (only_strings && !node.empty() && m_lookup(items, pointer / std::size_t{0})->empty()) return;
      for (std::size_t i = 0; i < node.size(); ++i) visit(node[i], pointer / i, items);
    }
  }

  const YamlDocument& m_document;
  const RuleLookup& m_lookup;
  Diagnostics m_out;
};

}  // namespace

Diagnostics SchemaWarnings::check(const YamlDocument& document) const {
  SchemaNavigator navigator(m_schema);
  RuleLookup lookup = [&](const std::string& shape, const JsonPointer& pointer) {
        {
          std::lock_guard lock(m_cache->mutex);
          auto found = m_cache->rules.find(shape);
          if (found != m_cache->rules.end()) return found->second;
        }
        auto rules = std::make_shared<const std::vector<Rule>>(rules_of(navigator.candidates(document.root, pointer)));
        std::lock_guard lock(m_cache->mutex);
        return m_cache->rules.emplace(shape, rules).first->second;
      };
  return Walker(document, lookup).run();
}

}  // namespace idform::config
