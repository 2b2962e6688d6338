// OData system query options ($select, $top, $count, ...) as Graph applies them.
#include "graph/odata_query.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/crypto.hpp"
#include "graph/csdl.hpp"

namespace idp_sim::graph {

namespace {

const std::vector<std::string> kAdvancedOperators = {"ne", "not", "endswith", "contains"};

QueryError error(const std::string& code, const std::string& message) { return QueryError{400, code, message}; }

std::string type_label(const ListShape& shape) {
  return shape.set ? "microsoft.graph." + shape.set->type : std::string("microsoft.graph.directoryObject");
}

bool property_exists(const ListShape& shape, const std::string& name) {
  const CsdlModel& model = CsdlModel::graph();
  std::vector<std::string> types;
  if (shape.set) {
    types.push_back(shape.set->type);
    if (shape.set->polymorphic) {
      types.push_back("ipNamedLocation");
      types.push_back("countryNamedLocation");
    }
  } else {
    for (const auto* set : directory_sets()) types.push_back(set->type);
  }
  for (const auto& type_name : types) {
    const CsdlType* type = model.find(type_name);
    if (type && (model.property(*type, name) || model.navigation(*type, name))) return true;
  }
  return false;
}

std::string encode_token(const Json& position) { return base64url_encode("idp-sim:" + position.dump()); }

std::optional<Json> decode_token(const std::string& token) {
  std::string bytes;
  if (!base64_decode(token, bytes) || bytes.rfind("idp-sim:", 0) != 0) return std::nullopt;
  try {
    Json position = Json::parse(bytes.substr(8));
    if (position.is_object()) return position;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::optional<QueryError> read_select(const std::string& value, const ListShape& shape, QueryOptions& out) {
  std::vector<std::string> fields;
  for (auto& field : split(value, ',')) {
    field = trim(field);
    if (field.empty()) continue;
    if (!property_exists(shape, field)) {
      return error("Request_BadRequest",
                   "Could not find a property named '" + field + "' on type '" + type_label(shape) + "'.");
    }
    fields.push_back(field);
  }
  out.select = fields;
  return std::nullopt;
}

std::optional<QueryError> read_top(const std::string& value, const ListShape& shape, QueryOptions& out) {
  char* end = nullptr;
  long top = std::strtol(value.c_str(), &end, 10);
  int max = shape.set ? shape.set->max_page_size : 999;
  if (value.empty() || *end != '\0' || top < 1 || (max > 0 && top > max)) {
    if (max > 0) {
      return error("Request_BadRequest", "Invalid page size specified: '" + value + "'. Must be between 1 and " +
                                             std::to_string(max) + " inclusive.");
    }
    return error("BadRequest", "Invalid value '" + value + "' for $top.");
  }
  out.top = static_cast<int>(top);
  return std::nullopt;
}

std::optional<QueryError> read_orderby(const std::string& value, const ListShape& shape, QueryOptions& out) {
  auto parts = split(trim(value), ' ');
  out.orderby_property = parts[0];
  out.orderby_descending = parts.size() > 1 && iequals(parts.back(), "desc");
  if (!property_exists(shape, parts[0])) {
    return error("Request_BadRequest",
                 "Could not find a property named '" + parts[0] + "' on type '" + type_label(shape) + "'.");
  }
  return std::nullopt;
}

// One system query option (`key` lower case, `raw_key` as sent) into `out`, or why it is refused.
std::optional<QueryError> read_option(const std::string& raw_key, const std::string& key, const std::string& value,
                                      const ListShape& shape, QueryOptions& out) {
  bool directory = !shape.set || shape.set->directory_object;
  std::string bad_request = directory ? "Request_BadRequest" : "BadRequest";
  if (key == "$select") return read_select(value, shape, out);
  if (key == "$top") return read_top(value, shape, out);
  if (key == "$orderby") return read_orderby(value, shape, out);
  if (key == "$skiptoken") {
    out.skiptoken = value;
  } else if (key == "$filter") {
    std::string parse_error;
    auto parsed = parse_filter(value, parse_error);
    if (!parsed) return error(bad_request, "Invalid filter clause: " + parse_error);
    out.filter = std::move(parsed);
  } else if (key == "$search") {
    out.search = value;
    std::string search_error;
    out.search_expression = parse_search(value, search_error);
    if (!out.search_expression) return error("Request_UnsupportedQuery", search_error);
  } else if (key == "$count") {
    out.count = iequals(value, "true");
  } else if (key == "$expand") {
    // Not emulated; refused so that a client relying on it notices (docs/idp-sim.md).
    return error(bad_request, "$expand is not supported by idp-sim.");
  } else if (key == "$skip") {
    if (directory) return error("Request_BadRequest", "'$skip' is not supported by the service.");
  } else if (key != "$format") {
    return error(bad_request, "Query option '" + raw_key +
                                  "' is not allowed. To allow it, set the 'AllowedQueryOptions' property on "
                                  "EnableQueryAttribute or QueryValidationSettings.");
  }
  return std::nullopt;
}

// $filter on directory objects: which operators and properties need an advanced query, which are
// not supported at all, and the limit on OR'ed clauses.
std::optional<QueryError> check_directory_filter(const ParsedFilter& filter, const ListShape& shape, bool advanced) {
  for (const auto& op : kAdvancedOperators) {
    if (filter.operators.count(op) && !advanced) {
      std::string shown = op == "endswith" ? "endsWith" : op;
      return error("Request_UnsupportedQuery",
                   "Operator '" + shown +
                       "' is not supported because the required parameters might be missing. Try adding $count=true "
                       "query parameter and ConsistencyLevel:eventual header. Refer to "
                       "https://aka.ms/graph-docs/advanced-queries for more information");
    }
  }
  if (filter.operators.count("contains")) return error("Request_UnsupportedQuery", "Unsupported Query.");
  if (shape.set && !shape.set->filterable.empty()) {
    for (const auto& property : filter.properties) {
      if (!shape.set->filterable.count(property)) {
        return error("Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property '" +
                                                     property + "' of resource '" + shape.set->resource_name + "'.");
      }
    }
  }
  if (!shape.set && !advanced) {
    // Filtering a relationship (members, owners) is an advanced query.
    return error("Request_UnsupportedQuery",
                 "Operator 'eq' is not supported because the required parameters might be missing. Try adding "
                 "$count=true query parameter and ConsistencyLevel:eventual header. Refer to "
                 "https://aka.ms/graph-docs/advanced-queries for more information");
  }
  if (auto largest = largest_in_list(filter.root); largest > 15) {
    return error("Request_UnsupportedQuery",
                 "Too many child clauses specified in search filter expression containing 'OR' operators: " +
                     std::to_string(largest) + ". Max allowed: 15.");
  }
  return std::nullopt;
}

// The advanced query rules of directory objects (aad-advanced-queries.md): what needs
// ConsistencyLevel: eventual and $count=true.
std::optional<QueryError> check_directory_query(const ListShape& shape, QueryOptions& out) {
  bool advanced = out.eventual && out.count;
  // $count=true without ConsistencyLevel is silently ignored (aad-advanced-queries.md).
  if (!out.eventual) out.count = false;
  if (out.search && !out.eventual) {
    return error("Request_UnsupportedQuery",
                 "Request with $search query parameter only works through MSGraph with a special request header: "
                 "'ConsistencyLevel: eventual'");
  }
  if (out.filter) {
    if (auto problem = check_directory_filter(*out.filter, shape, advanced)) return problem;
  }
  if (out.orderby_property && out.filter && !advanced) {
    return error("Request_UnsupportedQuery", "Sorting not supported for current query.");
  }
  if (out.orderby_property && !advanced) {
    bool default_sortable = shape.set && ((shape.set->type == "group" && out.orderby_property == "displayName") ||
                                          (shape.set->type == "user" && (out.orderby_property == "displayName" ||
                                                                         out.orderby_property == "userPrincipalName")));
    if (!default_sortable) return error("Request_UnsupportedQuery", "Sorting not supported for current query.");
  }
  return std::nullopt;
}

}  // namespace

std::optional<QueryError> parse_query_options(const SimRequest& request, const ListShape& shape, QueryOptions& out) {
  out.eventual = iequals(request.header("ConsistencyLevel"), "eventual");
  for (const auto& [raw_key, value] : request.query) {
    std::string key = to_lower(raw_key);
    if (key.empty() || key[0] != '$') continue;
    if (auto problem = read_option(raw_key, key, value, shape, out)) return problem;
  }
  bool directory = !shape.set || shape.set->directory_object;
  if (!directory) return std::nullopt;
  return check_directory_query(shape, out);
}

std::optional<QueryError> select_page(std::vector<ListRow> rows, const QueryOptions& options, const ListShape& shape,
                                      ListPage& page) {
  bool directory = !shape.set || shape.set->directory_object;
  std::vector<ListRow> matching;
  for (const auto& row : rows) {
    if (options.filter && !filter_matches(options.filter->root, *row.object)) continue;
    if (options.search_expression && !search_matches(*options.search_expression, *row.object)) continue;
    matching.push_back(row);
  }
  if (options.orderby_property) {
    const std::string& property = *options.orderby_property;
    std::stable_sort(matching.begin(), matching.end(), [&](const ListRow& a, const ListRow& b) {
      std::string x = a.object->contains(property) && (*a.object)[property].is_string()
                          ? to_lower((*a.object)[property].get<std::string>())
                          : std::string();
      std::string y = b.object->contains(property) && (*b.object)[property].is_string()
                          ? to_lower((*b.object)[property].get<std::string>())
                          : std::string();
      return options.orderby_descending ? x > y : x < y;
    });
  }
  page.total = matching.size();

  std::size_t start = 0;
  if (options.skiptoken) {
    auto position = decode_token(*options.skiptoken);
    if (!position) {
      return error(directory ? "Request_BadRequest" : "BadRequest",
                   "Invalid $skiptoken value '" + *options.skiptoken + "'.");
    }
    if (position->contains("after")) {
      // Default order: continue after the last sequence number served (stable under inserts/deletes).
      auto after = (*position)["after"].get<std::uint64_t>();
      while (start < matching.size() && matching[start].sequence <= after) ++start;
    } else {
      start = std::min<std::size_t>(position->value("offset", 0), matching.size());
    }
  }
  int page_size = options.top ? *options.top : (shape.set ? shape.set->default_page_size : 100);
  std::size_t end = page_size > 0 ? std::min(matching.size(), start + static_cast<std::size_t>(page_size)) : matching.size();
  page.rows.assign(matching.begin() + static_cast<std::ptrdiff_t>(start), matching.begin() + static_cast<std::ptrdiff_t>(end));
  if (end < matching.size()) {
    Json position = options.orderby_property ? Json{{"offset", end}} : Json{{"after", matching[end - 1].sequence}};
    page.next_skiptoken = encode_token(position);
  }
  return std::nullopt;
}

Json render_object(const Json& object, const EntitySet& set, const QueryOptions& options, bool with_type) {
  Json out = Json::object();
  std::string type = object.value("@odata.type", "");
  if (with_type || set.polymorphic) {
    out["@odata.type"] = type.empty() ? "#microsoft.graph." + set.type : type;
  }
  for (const auto& [key, value] : object.items()) {
    if (key == "@odata.type" || key == "@odata.context") continue;
    if (key[0] == '@') {
      if (!options.select) out[key] = value;  // e.g. a seeded @odata.id; a projection drops it
      continue;
    }
    if (options.select) {
      bool selected = key == "id" || std::find(options.select->begin(), options.select->end(), key) != options.select->end();
      if (selected) out[key] = value;
      continue;
    }
    if (!set.default_properties.empty()) {
      if (std::find(set.default_properties.begin(), set.default_properties.end(), key) != set.default_properties.end()) {
        out[key] = value;
      }
      continue;
    }
    if (set.select_only.count(key)) continue;
    if (set.type == "application" || set.type == "servicePrincipal") {
      // Secrets are never returned (passwordCredential.secretText is only in the addPassword response).
      if (key == "passwordCredentials" && value.is_array()) {
        Json credentials = value;
        for (auto& credential : credentials) {
          if (credential.is_object() && credential.contains("secretText")) credential["secretText"] = nullptr;
        }
        out[key] = credentials;
        continue;
      }
    }
    out[key] = value;
  }
  if (options.select) {
    const CsdlModel& model = CsdlModel::graph();
    const CsdlType* csdl_type = model.find(type.empty() ? set.type : type);
    for (const auto& field : *options.select) {
      if (out.contains(field)) continue;
      if (csdl_type && !model.property(*csdl_type, field)) continue;  // property of another type
      out[field] = nullptr;  // selected but unset: Graph returns null
    }
  }
  return out;
}

std::string context_url(const std::string& path, const QueryOptions& options, bool entity) {
  std::string url = "https://graph.microsoft.com/v1.0/$metadata#" + path;
  if (options.select && !options.select->empty()) {
    std::string fields;
    for (const auto& field : *options.select) fields += (fields.empty() ? "" : ",") + field;
    url += "(" + fields + ")";
  }
  if (entity) url += "/$entity";
  return url;
}

std::string next_link(const SimRequest& request, const std::string& skiptoken) {
  QueryParams params;
  for (const auto& [key, value] : request.query) {
    if (!iequals(key, "$skiptoken")) params.emplace_back(key, value);
  }
  params.emplace_back("$skiptoken", skiptoken);
  return request.base_url + request.path + "?" + build_query_string(params);
}

}  // namespace idp_sim::graph
