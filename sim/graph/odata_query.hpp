#pragma once
// OData system query options as Graph applies them to the collections idp-sim serves:
// $select, $top (per-collection default and maximum), $skiptoken paging with an opaque token and
// an absolute @odata.nextLink, $filter, $orderby, $search, $count and the "advanced query" rules
// (ConsistencyLevel: eventual + $count=true) of directory objects (GRAPH-DC aad-advanced-queries.md,
// paging.md, query-parameters.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/http_types.hpp"
#include "graph/entity_sets.hpp"
#include "graph/odata_filter.hpp"
#include "graph/odata_search.hpp"

namespace idp_sim::graph {

struct QueryOptions {
  std::optional<std::vector<std::string>> select;
  std::optional<int> top;
  std::optional<std::string> skiptoken;
  std::optional<ParsedFilter> filter;
  std::optional<std::string> search;
  std::optional<SearchExpression> search_expression;
  std::optional<std::string> orderby_property;
  bool orderby_descending = false;
  std::vector<std::string> expand;
  bool count = false;      // $count=true honoured (advanced query on directory objects)
  bool eventual = false;   // ConsistencyLevel: eventual
};

struct QueryError {
  int status = 400;
  std::string code;
  std::string message;
};

// What the list is made of: one entity set, or directory objects of several types (members).
struct ListShape {
  const EntitySet* set = nullptr;  // nullptr: directoryObjects of mixed types
  bool is_list = true;
};

std::optional<QueryError> parse_query_options(const SimRequest& request, const ListShape& shape, QueryOptions& out);

// One candidate row of a list: the stored object, its type's entity set and its sequence.
struct ListRow {
  const Json* object = nullptr;
  const EntitySet* set = nullptr;
  std::uint64_t sequence = 0;
};

struct ListPage {
  std::vector<ListRow> rows;
  std::optional<std::string> next_skiptoken;
  std::size_t total = 0;  // matching rows, for @odata.count
};

// Applies $filter/$search/$orderby, then cuts the page after the $skiptoken position.
std::optional<QueryError> select_page(std::vector<ListRow> rows, const QueryOptions& options, const ListShape& shape,
                                      ListPage& page);

// Renders one object: default property set or $select projection, @odata.type when asked.
Json render_object(const Json& object, const EntitySet& set, const QueryOptions& options, bool with_type);

// "https://graph.microsoft.com/v1.0/$metadata#groups(id,displayName)" etc.
std::string context_url(const std::string& path, const QueryOptions& options, bool entity);

// The absolute nextLink for the same request with another $skiptoken.
std::string next_link(const SimRequest& request, const std::string& skiptoken);

}  // namespace idp_sim::graph
