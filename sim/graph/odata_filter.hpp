#pragma once
// The OData $filter subset Graph accepts on the collections idp-sim serves: comparison
// (eq ne gt ge lt le), `in (...)`, and/or/not, parentheses, startswith/endswith/contains,
// isof('type'), lambda any/all over collections (`groupTypes/any(c:c eq 'Unified')`), type-cast
// path segments (`microsoft.graph.countryNamedLocation/countriesAndRegions`), and string, number,
// boolean, null, GUID and date-time literals. String comparisons ignore case, as Graph's
// directory does. parse_filter() also reports which properties and operators were used, so the
// caller can apply Graph's "unsupported filter" and "advanced query" rules.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace idp_sim::graph {

struct FilterNode {
  enum class Kind { literal, path, compare, in, logical_and, logical_or, logical_not, call, lambda };
  Kind kind = Kind::literal;
  std::string op;                   // compare: eq..le; call: function name; lambda: any/all
  Json value;                       // literal
  std::vector<std::string> path;    // path segments; lambda: path to the collection
  std::string variable;             // lambda variable
  std::vector<FilterNode> children;
};

struct ParsedFilter {
  FilterNode root;
  std::set<std::string> properties;  // top-level properties referenced
  std::set<std::string> operators;   // "eq", "in", "startswith", "not", "any", ...
};

// Returns nullopt and sets `error` for a syntax error.
std::optional<ParsedFilter> parse_filter(const std::string& text, std::string& error);

// True when the object satisfies the filter.
bool filter_matches(const FilterNode& root, const Json& object);

// Number of values in the largest `in (...)` list (Graph limits it).
std::size_t largest_in_list(const FilterNode& root);

}  // namespace idp_sim::graph
