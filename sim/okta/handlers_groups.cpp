// /api/v1/groups and group membership (spec operations listGroups, addGroup, getGroup,
// replaceGroup, deleteGroup, listGroupUsers, assignUserToGroup, unassignUserFromGroup).
// Groups of type APP_GROUP (imported) and BUILT_IN (Everyone) are read-only: their profile and
// memberships cannot be changed through the API, and BUILT_IN groups cannot be deleted; Okta
// answers 403 (spec: ErrorAccessDenied403).
#include <set>

#include "okta/okta_errors.hpp"
#include "okta/okta_flavor.hpp"
#include "okta/scim_filter.hpp"

namespace idp_sim::okta {

namespace {

constexpr int kGroupsMaxLimit = 10000;     // spec listGroups: limit maximum 10000
constexpr int kQueryDefaultLimit = 300;    // spec: "The default limit for a query is 300 results"
constexpr int kGroupUsersDefaultLimit = 1000;  // spec listGroupUsers: default 1000

std::string group_type(const Json& group) { return group.value("type", "OKTA_GROUP"); }

SimResponse group_not_found(const std::string& id) { return resource_not_found(id, "UserGroup"); }

SimResponse read_only_group(const Json& group) {
  return okta_error(403, "E0000006", "You do not have permission to perform the requested action",
                    {"Groups of type " + group_type(group) + " cannot be modified through the API"});
}

std::optional<SimResponse> check_profile(OktaCall& call, const Json& body, const std::string& own_id) {
  if (!body.contains("profile") || !body["profile"].is_object()) {
    return field_error("profile", "The field cannot be left blank");
  }
  const Json& profile = body["profile"];
  if (!profile.contains("name") || !profile["name"].is_string() || trim(profile["name"].get<std::string>()).empty()) {
    return field_error("name", "The field cannot be left blank");
  }
  std::string name = profile["name"].get<std::string>();
  for (auto* record : call.data.collection(kGroups).ordered_mutable()) {
    if (record->deleted_at || record->id == own_id || group_type(record->data) != "OKTA_GROUP") continue;
    const Json& other = record->data;
    if (other.contains("profile") && other["profile"].value("name", "") == name) {
      return field_error("name", "An object with this field already exists in the current organization");
    }
  }
  return std::nullopt;
}

Json group_links(OktaCall& call, const std::string& id) {
  Json logo = Json::array();
  for (const char* size : {"medium", "large"}) {
    logo.push_back({{"name", size},
                    {"href", call.href(std::string("/img/logos/groups/okta-") + size + ".png")},
                    {"type", "image/png"}});
  }
  return {{"logo", logo},
          {"users", {{"href", call.href("/api/v1/groups/" + id + "/users")}}},
          {"apps", {{"href", call.href("/api/v1/groups/" + id + "/apps")}}}};
}

void touch_membership(Record& group) {
  if (group.data.contains("lastMembershipUpdated")) group.data["lastMembershipUpdated"] = okta_timestamp();
}

// `expand=stats` / `expand=app` add `_embedded`, as the spec's Group._embedded describes.
Json expanded(OktaCall& call, const Record& group) {
  std::string expand = call.query("expand");
  if (expand.empty()) return group.data;
  Json out = group.data;
  for (const auto& part : split(expand, ',')) {
    if (trim(part) == "stats") {
      std::size_t users = readable_links(call, kGroupMembers, group.id).size();
      std::size_t apps = 0;
      for (auto* app : readable_records(call, kApps)) {
        if (call.data.relation(kAppGroupLinks).find(app->id, group.id)) ++apps;
      }
      out["_embedded"]["stats"] = {{"usersCount", users}, {"appsCount", apps}, {"groupPushMappingsCount", 0},
                                   {"hasAdminPrivilege", false}};
    } else if (trim(part) == "app" && group_type(group.data) == "APP_GROUP") {
      auto source = value_at_path(group.data, "source.id");
      if (source && source->is_string()) {
        if (Record* app = find_readable(call, kApps, source->get<std::string>())) {
          out["_embedded"]["app"] = {{"id", app->id},
                                     {"name", app->data.value("name", "")},
                                     {"label", app->data.value("label", "")},
                                     {"signOnMode", app->data.value("signOnMode", "")}};
        }
      }
    }
  }
  return out;
}

// spec listGroups `search`: any profile attribute and the top-level id, created,
// lastMembershipUpdated, lastUpdated, type, source.id; `co` only on profile.name/description.
FilterRules search_rules() {
  return {{"id", "created", "lastUpdated", "lastMembershipUpdated", "type", "source.id", "profile.*"},
          {"eq", "ne", "gt", "ge", "lt", "le", "sw", "co", "pr"},
          true,
          {{"co", {"profile.name", "profile.description"}}}};
}

// spec listGroups `filter`: only id, type, lastUpdated, lastMembershipUpdated.
FilterRules filter_rules() {
  return {{"id", "type", "lastUpdated", "lastMembershipUpdated"}, {"eq", "gt", "ge", "lt", "le"}, true};
}

SimResponse list_groups(OktaCall& call) {
  auto search = call.request.query_value("search");
  auto filter = call.request.query_value("filter");
  auto q = call.request.query_value("q");
  if (search && filter) {
    return okta_error(400, "E0000033", "Bad request. Can't specify a search query and filter in the same request.");
  }
  std::optional<FilterExpression> expression;
  if (search || filter) {
    std::string error;
    const std::string& text = search ? *search : *filter;
    expression = FilterExpression::parse(text, search ? search_rules() : filter_rules(), error);
    if (!expression) return invalid_search(error);
  }
  std::vector<ListRow> rows;
  for (auto* record : readable_records(call, kGroups)) {
    const Json& group = record->data;
    if (expression && !expression->matches(group)) continue;
    if (q) {
      auto name = value_at_path(group, "profile.name");
      if (!name || !name->is_string() || !istarts_with(name->get<std::string>(), *q)) continue;
    }
    rows.push_back({record->sequence, record->id, expanded(call, *record)});
  }
  PageRules rules{kGroups, kGroupsMaxLimit, kGroupsMaxLimit, true};
  if (q && !search && !filter) rules = {kGroups, kQueryDefaultLimit, kGroupsMaxLimit, false};
  return list_response(call, std::move(rows), rules);
}

SimResponse create_group(OktaCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = check_schema(*body, "Group", WriteKind::create)) return *error;
  if (auto error = check_profile(call, *body, "")) return *error;
  std::string id = new_object_id("00g");
  std::string now = okta_timestamp();
  Json group = {{"id", id},
                {"created", now},
                {"lastUpdated", now},
                {"lastMembershipUpdated", now},
                {"objectClass", Json::array({"okta:user_group"})},
                {"type", "OKTA_GROUP"},
                {"profile", (*body)["profile"]},
                {"_links", group_links(call, id)}};
  insert_record(call, kGroups, id, group);
  return SimResponse::json(200, group);
}

SimResponse get_group(OktaCall& call) {
  Record* record = find_readable(call, kGroups, call.param("groupId"));
  if (!record) return group_not_found(call.param("groupId"));
  return SimResponse::json(200, expanded(call, *record));
}

SimResponse replace_group(OktaCall& call) {
  Record* record = find_writable(call, kGroups, call.param("groupId"));
  if (!record) return group_not_found(call.param("groupId"));
  if (group_type(record->data) != "OKTA_GROUP") return read_only_group(record->data);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = check_schema(*body, "Group", WriteKind::replace)) return *error;
  if (auto error = check_profile(call, *body, record->id)) return *error;
  // "All profile properties must be specified when updating a group's profile; partial updates
  // aren't supported": the new profile replaces the old one.
  record->data["profile"] = (*body)["profile"];
  record->data["lastUpdated"] = okta_timestamp();
  return SimResponse::json(200, record->data);
}

SimResponse delete_group(OktaCall& call) {
  Record* record = find_writable(call, kGroups, call.param("groupId"));
  if (!record) return group_not_found(call.param("groupId"));
  if (group_type(record->data) == "BUILT_IN") return read_only_group(record->data);
  std::string id = record->id;
  for (const auto& user : linked_children(call, kGroupMembers, id)) remove_link(call, kGroupMembers, id, user);
  for (auto* app : call.data.collection(kApps).ordered_mutable()) {
    if (call.data.relation(kAppGroupLinks).find(app->id, id)) {
      remove_link(call, kAppGroupLinks, app->id, id);
      delete_record(call, kAppGroups, app->id + "/" + id);
    }
  }
  delete_record(call, kGroups, id);
  return SimResponse::empty(204);
}

SimResponse list_group_users(OktaCall& call) {
  Record* group = find_readable(call, kGroups, call.param("groupId"));
  if (!group) return group_not_found(call.param("groupId"));
  std::vector<ListRow> rows;
  for (const auto* link : readable_links(call, kGroupMembers, group->id)) {
    if (Record* user = find_readable(call, kUsers, link->child_id)) {
      rows.push_back({link->sequence, link->child_id, user->data});
    }
  }
  std::string scope = std::string(kGroupMembers) + "/" + group->id;
  return list_response(call, std::move(rows), {scope, kGroupUsersDefaultLimit, kGroupsMaxLimit, true});
}

SimResponse change_membership(OktaCall& call, bool add) {
  Record* group = find_writable(call, kGroups, call.param("groupId"));
  if (!group) return group_not_found(call.param("groupId"));
  if (group_type(group->data) != "OKTA_GROUP") return read_only_group(group->data);
  std::string user_id = call.param("userId");
  Record* user = find_writable(call, kUsers, user_id);
  if (!user) return resource_not_found(user_id, "User");
  bool member = link_writable(call, kGroupMembers, group->id, user->id);
  if (add && !member) {
    add_link(call, kGroupMembers, group->id, user->id, kUsers);
    touch_membership(*group);
  } else if (!add && member) {
    remove_link(call, kGroupMembers, group->id, user->id);
    touch_membership(*group);
  }
  return SimResponse::empty(204);
}

}  // namespace

void register_group_routes(OktaRouter& router) {
  router.add("GET", "/api/v1/groups", {"groups", list_groups});
  router.add("POST", "/api/v1/groups", {"groups", create_group});
  router.add("GET", "/api/v1/groups/{groupId}", {"groups", get_group});
  router.add("PUT", "/api/v1/groups/{groupId}", {"groups", replace_group});
  router.add("DELETE", "/api/v1/groups/{groupId}", {"groups", delete_group});
  router.add("GET", "/api/v1/groups/{groupId}/users", {"groups", list_group_users});
  router.add("PUT", "/api/v1/groups/{groupId}/users/{userId}",
             {"groups", [](OktaCall& call) { return change_membership(call, true); }});
  router.add("DELETE", "/api/v1/groups/{groupId}/users/{userId}",
             {"groups", [](OktaCall& call) { return change_membership(call, false); }});
}

}  // namespace idp_sim::okta
