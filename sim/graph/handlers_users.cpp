// /users (GRAPH-DC user-list.md, user-get.md, user-post-users.md, user-update.md,
// user-delete.md): get by id or userPrincipalName, list with $filter on userPrincipalName / mail
// (including `in (...)`), create, update, delete.
#include "graph/graph_errors.hpp"
#include "graph/graph_flavor.hpp"

namespace idp_sim::graph {

namespace {

SimResponse list_users(GraphCall& call) {
  return list_response(call, ListShape{&users_set(), true}, readable_rows(call, users_set()), "users");
}

SimResponse get_user(GraphCall& call) {
  Record* record = find_readable(call, users_set(), call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  return entity_response(call, users_set(), record->data, "users");
}

SimResponse create_user(GraphCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, users_set(), WriteKind::create)) return *error;
  std::string upn = (*body)["userPrincipalName"].get<std::string>();
  auto at = upn.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == upn.size()) {
    return bad_request("Invalid value specified for property 'userPrincipalName' of resource 'User'.", call.request);
  }
  for (const auto* record : call.data.collection("users").ordered()) {
    if (!record->deleted_at && iequals(string_field(record->data, "userPrincipalName"), upn)) {
      return bad_request("Another object with the same value for property userPrincipalName already exists.",
                         call.request);
    }
  }
  Json user = Json::object();
  user["id"] = new_object_id();
  user["businessPhones"] = body->value("businessPhones", Json::array());
  user["displayName"] = (*body)["displayName"];
  user["givenName"] = body->value("givenName", Json());
  user["jobTitle"] = body->value("jobTitle", Json());
  user["mail"] = body->value("mail", Json());
  user["mobilePhone"] = body->value("mobilePhone", Json());
  user["officeLocation"] = body->value("officeLocation", Json());
  user["preferredLanguage"] = body->value("preferredLanguage", Json());
  user["surname"] = body->value("surname", Json());
  user["userPrincipalName"] = upn;
  for (const auto& [key, value] : body->items()) {
    if (key == "passwordProfile" || key.find('@') != std::string::npos || user.contains(key)) continue;
    user[key] = value;
  }
  user["createdDateTime"] = now_timestamp();
  Record& record = insert_object(call, users_set(), user);
  Json shown = Json::object();
  for (const auto& property : users_set().default_properties) {
    if (record.data.contains(property)) shown[property] = record.data[property];
  }
  return entity_response(call, users_set(), shown, "users", 201);
}

SimResponse update_user(GraphCall& call) {
  Record* record = find_writable(call, users_set(), call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, users_set(), WriteKind::update)) return *error;
  for (const auto& [key, value] : body->items()) {
    if (key == "passwordProfile" || key.find('@') != std::string::npos) continue;
    record->data[key] = value;
  }
  return graph_no_content(call.request);
}

SimResponse delete_user(GraphCall& call) {
  Record* record = find_writable(call, users_set(), call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  delete_object(call, users_set(), record->id);
  return graph_no_content(call.request);
}

}  // namespace

void register_user_routes(GraphRouter& router) {
  router.add("GET", "/users", list_users);
  router.add("POST", "/users", create_user);
  router.add("GET", "/users/{id}", get_user);
  router.add("PATCH", "/users/{id}", update_user);
  router.add("DELETE", "/users/{id}", delete_user);
}

}  // namespace idp_sim::graph
