// /api/v1/users, read-only (idform looks users up, HR/SCIM owns them): list with `q`, `filter`
// and `search`, and get by id or login (OKTA-DOCS Users API listUsers / getUser). Users are
// loaded from the seed.
#include "okta/okta_errors.hpp"
#include "okta/okta_flavor.hpp"
#include "okta/scim_filter.hpp"

namespace idp_sim::okta {

namespace {

constexpr int kUsersDefaultLimit = 200;  // Users API: default 200, maximum 200
constexpr int kUsersMaxLimit = 200;

// Users API `filter`: status, lastUpdated, id, profile.login, profile.email, profile.firstName,
// profile.lastName, type.id; eq (and gt/ge/lt/le for dates), combined with and/or.
FilterRules user_filter_rules() {
  return {{"status", "lastUpdated", "id", "profile.login", "profile.email", "profile.firstName", "profile.lastName",
           "type.id"},
          {"eq", "gt", "ge", "lt", "le"},
          true};
}

// Users API `search`: any profile attribute and the top-level properties.
FilterRules user_search_rules() {
  return {{"id", "status", "created", "activated", "statusChanged", "lastUpdated", "lastLogin", "passwordChanged",
           "type.id", "profile.*"},
          {"eq", "ne", "gt", "ge", "lt", "le", "sw", "co", "ew", "pr"},
          true};
}

bool matches_q(const Json& user, const std::string& q) {
  for (const char* attribute : {"profile.firstName", "profile.lastName", "profile.email", "profile.login"}) {
    auto value = value_at_path(user, attribute);
    if (value && value->is_string() && istarts_with(value->get<std::string>(), q)) return true;
  }
  return false;
}

Record* find_user(OktaCall& call, const std::string& id_or_login) {
  if (Record* record = find_readable(call, kUsers, id_or_login)) return record;
  for (auto* record : readable_records(call, kUsers)) {
    auto login = value_at_path(record->data, "profile.login");
    if (login && login->is_string() && iequals(login->get<std::string>(), id_or_login)) return record;
  }
  return nullptr;
}

SimResponse list_users(OktaCall& call) {
  auto search = call.request.query_value("search");
  auto filter = call.request.query_value("filter");
  auto q = call.request.query_value("q");
  if (search && (filter || q)) {
    return okta_error(400, "E0000033", "Bad request. Can't specify a search query and filter in the same request.");
  }
  std::optional<FilterExpression> expression;
  if (search || filter) {
    std::string error;
    expression = FilterExpression::parse(search ? *search : *filter, search ? user_search_rules() : user_filter_rules(), error);
    if (!expression) return invalid_search(error);
  }
  std::vector<ListRow> rows;
  for (auto* record : readable_records(call, kUsers)) {
    const Json& user = record->data;
    // Without a search, DEPROVISIONED users are not listed (Users API listUsers).
    if (!search && user.value("status", "") == "DEPROVISIONED") continue;
    if (expression && !expression->matches(user)) continue;
    if (q && !matches_q(user, *q)) continue;
    rows.push_back({record->sequence, record->id, user});
  }
  return list_response(call, std::move(rows), {kUsers, kUsersDefaultLimit, kUsersMaxLimit, true});
}

SimResponse get_user(OktaCall& call) {
  Record* record = find_user(call, call.param("userId"));
  if (!record) return resource_not_found(call.param("userId"), "User");
  return SimResponse::json(200, record->data);
}

}  // namespace

void register_user_routes(OktaRouter& router) {
  router.add("GET", "/api/v1/users", {"users.read", list_users});
  router.add("GET", "/api/v1/users/{userId}", {"users.read", get_user});
}

}  // namespace idp_sim::okta
