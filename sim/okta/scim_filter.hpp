#pragma once
// Okta's filter/search expression language (OKTA-DOCS core-okta-api "Filter"; SCIM 2.0 filter
// subset, RFC 7644 3.4.2.2): comparisons `attr op "value"` with eq ne gt ge lt le sw co ew, `attr pr`,
// combined with and / or / not and parentheses. Attribute names are case-sensitive, operators and
// the logical words are not; string literals are double-quoted. String comparisons are
// case-insensitive (Okta treats logins, names and statuses that way); timestamps compare as text,
// which orders Okta's fixed-width ISO 8601 values correctly.
//
// Each endpoint accepts a subset of attributes and operators; FilterRules says which, and parse()
// reports anything outside it so the caller can answer with Okta's "Invalid search criteria".
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "core/json.hpp"

namespace idp_sim::okta {

struct FilterRules {
  // Attribute paths allowed; a trailing ".*" allows any attribute under a prefix ("profile.*").
  std::set<std::string> attributes;
  std::set<std::string> operators;  // lower case: "eq", "sw", ...
  bool allow_or = true;
  // Operators usable only on some attributes (groups: `co` only on profile.name/description).
  std::map<std::string, std::set<std::string>> operator_attributes = {};
};

class FilterExpression {
public:
  struct Node;

  // Returns nullopt and sets `error` for a malformed expression or one outside `rules`.
  static std::optional<FilterExpression> parse(const std::string& text, const FilterRules& rules, std::string& error);
  bool matches(const Json& object) const;

  FilterExpression(FilterExpression&&) noexcept;
  FilterExpression& operator=(FilterExpression&&) noexcept;
  ~FilterExpression();

private:
  explicit FilterExpression(std::unique_ptr<Node> root);
  std::unique_ptr<Node> m_root;
};

// The value at a dotted path ("profile.login"; "source.id" reads an APP_GROUP's _links.source), or
// nullopt when absent.
std::optional<Json> value_at_path(const Json& object, const std::string& path);

}  // namespace idp_sim::okta
