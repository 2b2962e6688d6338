// /api/v1/apps/{appId}/groups: group assignments of an app (spec operations
// listApplicationGroupAssignments, getApplicationGroupAssignment, assignGroupToApplication,
// unassignApplicationFromGroup). An assignment is stored as the ApplicationGroupAssignment object
// Okta returns ({id: groupId, priority, lastUpdated, profile, _links}); the list follows the order
// in which groups were assigned.
#include "okta/okta_errors.hpp"
#include "okta/okta_flavor.hpp"
#include "okta/okta_json.hpp"
#include "okta/scim_filter.hpp"

namespace idp_sim::okta {

namespace {

constexpr int kAssignmentsDefaultLimit = 20;  // spec queryGroupAssignmentLimit: 20..200, default 20
constexpr int kAssignmentsMaxLimit = 200;

std::string assignment_key(const std::string& app, const std::string& group) { return app + "/" + group; }

SimResponse assignment_not_found(const std::string& group) { return resource_not_found(group, "AppGroupAssignment"); }

Json with_expansion(OktaCall& call, const Record& assignment, const std::string& group_id) {
  std::string expand = call.query("expand");
  if (expand.empty()) return assignment.data;
  Json out = assignment.data;
  if (expand == "group") {
    if (Record* group = find_readable(call, kGroups, group_id)) out["_embedded"]["group"] = group->data;
  } else if (expand == "metadata") {
    out["_embedded"]["metadata"] = {{"credentials", Json::object()}, {"profile", Json::object()}};
  }
  return out;
}

SimResponse list_assignments(OktaCall& call) {
  Record* app = find_readable(call, kApps, call.param("appId"));
  if (!app) return resource_not_found(call.param("appId"), "AppInstance");
  auto q = call.request.query_value("q");
  std::vector<ListRow> rows;
  for (const auto* link : readable_links(call, kAppGroupLinks, app->id)) {
    Record* assignment = find_readable(call, kAppGroups, assignment_key(app->id, link->child_id));
    if (!assignment) continue;
    if (q) {
      Record* group = find_readable(call, kGroups, link->child_id);
      auto name = group ? value_at_path(group->data, "profile.name") : std::nullopt;
      if (!name || !name->is_string() || !istarts_with(name->get<std::string>(), *q)) continue;
    }
    rows.push_back({link->sequence, link->child_id, with_expansion(call, *assignment, link->child_id)});
  }
  std::string scope = std::string(kAppGroupLinks) + "/" + app->id;
  return list_response(call, std::move(rows), {scope, kAssignmentsDefaultLimit, kAssignmentsMaxLimit, true});
}

SimResponse get_assignment(OktaCall& call) {
  Record* app = find_readable(call, kApps, call.param("appId"));
  if (!app) return resource_not_found(call.param("appId"), "AppInstance");
  std::string group_id = call.param("groupId");
  Record* assignment = find_readable(call, kAppGroups, assignment_key(app->id, group_id));
  if (!assignment) return assignment_not_found(group_id);
  return SimResponse::json(200, with_expansion(call, *assignment, group_id));
}

SimResponse put_assignment(OktaCall& call) {
  Record* app = find_writable(call, kApps, call.param("appId"));
  if (!app) return resource_not_found(call.param("appId"), "AppInstance");
  std::string group_id = call.param("groupId");
  Record* group = find_writable(call, kGroups, group_id);
  if (!group) return resource_not_found(group_id, "UserGroup");
  Json body = Json::object();
  if (!trim(call.request.body).empty()) {  // the request body is optional (spec: required: false)
    SimResponse failure;
    auto parsed = parse_json_body(call, failure);
    if (!parsed) return failure;
    if (auto error = check_schema(*parsed, "ApplicationGroupAssignment", WriteKind::replace)) return *error;
    body = *parsed;
  }
  std::string key = assignment_key(app->id, group->id);
  Record* existing = find_writable(call, kAppGroups, key);
  // "If a priority value isn't specified, then the next highest priority is assigned by default."
  long long priority = 0;
  if (body.contains("priority") && body["priority"].is_number_integer()) {
    priority = body["priority"].get<long long>();
  } else if (existing) {
    priority = existing->data.value("priority", 0LL);
  } else {
    for (const auto* link : readable_links(call, kAppGroupLinks, app->id)) {
      if (Record* other = find_readable(call, kAppGroups, assignment_key(app->id, link->child_id))) {
        priority = std::max(priority, other->data.value("priority", 0LL) + 1);
      }
    }
  }
  if (priority < 0) return field_error("priority", "The value must be 0 or greater");
  Json profile = body.contains("profile") && body["profile"].is_object() ? body["profile"]
                 : existing ? object_at(existing->data, "profile")
                            : Json::object();
  Json assignment = {{"id", group->id},
                     {"priority", priority},
                     {"lastUpdated", okta_timestamp()},
                     {"profile", profile},
                     {"_links",
                      {{"app", {{"href", call.href("/api/v1/apps/" + app->id)}}},
                       {"self", {{"href", call.href("/api/v1/apps/" + app->id + "/groups/" + group->id)}}},
                       {"group", {{"href", call.href("/api/v1/groups/" + group->id)}}}}}};
  if (existing) {
    existing->data = assignment;
  } else {
    insert_record(call, kAppGroups, key, assignment);
    add_link(call, kAppGroupLinks, app->id, group->id, kGroups);
  }
  return SimResponse::json(200, assignment);
}

SimResponse delete_assignment(OktaCall& call) {
  Record* app = find_writable(call, kApps, call.param("appId"));
  if (!app) return resource_not_found(call.param("appId"), "AppInstance");
  std::string group_id = call.param("groupId");
  std::string key = assignment_key(app->id, group_id);
  if (!find_writable(call, kAppGroups, key)) return assignment_not_found(group_id);
  delete_record(call, kAppGroups, key);
  remove_link(call, kAppGroupLinks, app->id, group_id);
  return SimResponse::empty(204);
}

}  // namespace

void register_app_group_routes(OktaRouter& router) {
  router.add("GET", "/api/v1/apps/{appId}/groups", {"apps", list_assignments});
  router.add("GET", "/api/v1/apps/{appId}/groups/{groupId}", {"apps", get_assignment});
  router.add("PUT", "/api/v1/apps/{appId}/groups/{groupId}", {"apps", put_assignment});
  router.add("DELETE", "/api/v1/apps/{appId}/groups/{groupId}", {"apps", delete_assignment});
}

}  // namespace idp_sim::okta
