#pragma once
// $search on directory objects (GRAPH-DC search-query-parameter.md, "Using $search on directory
// object collections"; aad-advanced-queries.md): clauses "property:value" in double quotes,
// joined by AND / OR (AND binds tighter). displayName and description are tokenized (spaces,
// punctuation, case changes and letter/digit changes split words) and match a word prefix; other
// string properties (and string collections such as proxyAddresses) match like startsWith. A
// clause without "property:" searches displayName. Case never matters.
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace idp_sim::graph {

struct SearchClause {
  std::string property;
  std::string value;  // lower case
};

// OR of ANDs: any group whose clauses all match.
struct SearchExpression {
  std::vector<std::vector<SearchClause>> any_of;
};

// nullopt and `error` set when the text is not a list of quoted clauses.
std::optional<SearchExpression> parse_search(const std::string& text, std::string& error);
bool search_matches(const SearchExpression& expression, const Json& object);

}  // namespace idp_sim::graph
