// /groups and its relationships (GRAPH-DC group-post-groups.md, group-get.md, group-list.md,
// group-update.md, group-delete.md, group-post-members.md, group-delete-members.md,
// group-list-members.md, group-post-owners.md, group-delete-owners.md, group-list-owners.md,
// group-list-approleassignments.md).
#include <cctype>

#include "core/crypto.hpp"
#include "graph/graph_errors.hpp"
#include "graph/graph_flavor.hpp"
#include "graph/graph_resources.hpp"

namespace idp_sim::graph {

namespace {

constexpr std::size_t kMaxBindsPerRequest = 20;

bool mail_nickname_valid(const std::string& nickname) {
  if (nickname.empty() || nickname.size() > 64) return false;
  for (unsigned char c : nickname) {
    if (c > 127 || std::isspace(c)) return false;
    if (std::string("@()\\[]\";:<>,").find(static_cast<char>(c)) != std::string::npos) return false;
  }
  return nickname.find("..") == std::string::npos && nickname.front() != '.' && nickname.back() != '.';
}

bool has_dynamic_membership(const Json& group) {
  for (const auto& type : group.value("groupTypes", Json::array())) {
    if (type == "DynamicMembership") return true;
  }
  return false;
}

bool is_unified(const Json& group) {
  for (const auto& type : group.value("groupTypes", Json::array())) {
    if (type == "Unified") return true;
  }
  return false;
}

std::string security_identifier(const std::string& id) {
  // S-1-12-1-<four 32-bit words of the object id>, as Entra derives it.
  std::string hex;
  for (char c : id) {
    if (std::isxdigit(static_cast<unsigned char>(c))) hex.push_back(c);
  }
  if (hex.size() != 32) return "S-1-12-1-0-0-0-0";
  std::string sid = "S-1-12-1";
  std::string bytes;
  for (std::size_t i = 0; i < 32; i += 2) bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  // GUID byte order: first three fields little-endian.
  std::string ordered = {bytes[3], bytes[2], bytes[1], bytes[0], bytes[5], bytes[4], bytes[7], bytes[6]};
  ordered += bytes.substr(8);
  for (int word = 0; word < 4; ++word) {
    std::uint32_t value = 0;
    for (int b = 3; b >= 0; --b) value = (value << 8) | static_cast<unsigned char>(ordered[static_cast<std::size_t>(word * 4 + b)]);
    sid += "-" + std::to_string(value);
  }
  return sid;
}

// Resolves "members@odata.bind"/"owners@odata.bind" to directory objects, all or nothing.
std::optional<SimResponse> resolve_binds(GraphCall& call, const Json& body, const std::string& relation,
                                         std::vector<DirectoryObject>& out) {
  std::string key = relation + "@odata.bind";
  if (!body.contains(key)) return std::nullopt;
  for (const auto& url : body[key]) {
    auto id = reference_id(url.get<std::string>());
    if (!id) return bad_request("Invalid object identifier '" + url.get<std::string>() + "'.", call.request);
    auto object = find_directory_object(call, *id, true);
    if (!object) return not_found(*id, call.request);
    if (object->set->type == "application") {
      return bad_request("An application cannot be added to '" + relation + "'.", call.request);
    }
    out.push_back(*object);
  }
  return std::nullopt;
}

SimResponse create_group(GraphCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, groups_set(), WriteKind::create)) return *error;
  std::string nickname = (*body)["mailNickname"].get<std::string>();
  if (!mail_nickname_valid(nickname)) {
    return bad_request("Invalid value specified for property 'mailNickname' of resource 'Group'.", call.request);
  }
  if ((*body)["displayName"].get<std::string>().size() > 256) {
    return bad_request("Invalid value specified for property 'displayName' of resource 'Group'.", call.request);
  }
  std::size_t binds = 0;
  for (const char* key : {"members@odata.bind", "owners@odata.bind"}) {
    if (body->contains(key)) binds += (*body)[key].size();
  }
  if (binds > kMaxBindsPerRequest) {
    return bad_request("The number of references to add exceeds the maximum of 20 per request.", call.request);
  }
  std::vector<DirectoryObject> members, owners;
  if (auto error = resolve_binds(call, *body, "members", members)) return *error;
  if (auto error = resolve_binds(call, *body, "owners", owners)) return *error;

  bool unified = is_unified(*body);
  std::string mail = unified ? nickname + "@" + call.settings.tenant_domain : std::string();
  if (unified) {
    for (const auto& row : readable_rows(call, groups_set())) {
      if (iequals(string_field(*row.object, "mail"), mail)) {
        return bad_request("Another object with the same value for property proxyAddresses already exists.",
                           call.request);
      }
    }
  }
  std::string id = new_object_id();
  std::string now = now_timestamp();
  Json group = Json::object();
  group["id"] = id;
  group["deletedDateTime"] = nullptr;
  group["classification"] = body->value("classification", Json());
  group["createdDateTime"] = now;
  group["creationOptions"] = Json::array();
  group["description"] = body->value("description", Json());
  group["displayName"] = (*body)["displayName"];
  group["expirationDateTime"] = nullptr;
  group["groupTypes"] = body->value("groupTypes", Json::array());
  group["isAssignableToRole"] = body->value("isAssignableToRole", Json());
  group["mail"] = unified ? Json(mail) : Json();
  group["mailEnabled"] = (*body)["mailEnabled"];
  group["mailNickname"] = nickname;
  group["membershipRule"] = body->value("membershipRule", Json());
  group["membershipRuleProcessingState"] = body->value("membershipRuleProcessingState", Json());
  group["onPremisesDomainName"] = nullptr;
  group["onPremisesLastSyncDateTime"] = nullptr;
  group["onPremisesNetBiosName"] = nullptr;
  group["onPremisesSamAccountName"] = nullptr;
  group["onPremisesSecurityIdentifier"] = nullptr;
  group["onPremisesSyncEnabled"] = nullptr;
  group["preferredDataLocation"] = body->value("preferredDataLocation", Json());
  group["preferredLanguage"] = body->value("preferredLanguage", Json());
  group["proxyAddresses"] = unified ? Json::array({"SMTP:" + mail}) : Json::array();
  group["renewedDateTime"] = now;
  group["resourceBehaviorOptions"] = body->value("resourceBehaviorOptions", Json::array());
  group["resourceProvisioningOptions"] = body->value("resourceProvisioningOptions", Json::array());
  group["securityEnabled"] = (*body)["securityEnabled"];
  group["securityIdentifier"] = security_identifier(id);
  group["theme"] = body->value("theme", Json());
  group["visibility"] = body->value("visibility", unified ? Json("Public") : Json());
  group["onPremisesProvisioningErrors"] = Json::array();
  group["serviceProvisioningErrors"] = Json::array();
  // Any other settable property given in the body (already validated against the CSDL).
  for (const auto& [key, value] : body->items()) {
    if (key.find('@') == std::string::npos && !group.contains(key)) group[key] = value;
  }
  Record& record = insert_object(call, groups_set(), group);
  for (const auto& member : members) add_link(call, "groups.members", id, member.record->id, member.set->name);
  for (const auto& owner : owners) add_link(call, "groups.owners", id, owner.record->id, owner.set->name);
  return entity_response(call, groups_set(), record.data, "groups", 201);
}

SimResponse get_group(GraphCall& call) {
  Record* record = find_readable(call, groups_set(), call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  return entity_response(call, groups_set(), record->data, "groups");
}

SimResponse list_groups(GraphCall& call) {
  return list_response(call, ListShape{&groups_set(), true}, readable_rows(call, groups_set()), "groups");
}

SimResponse update_group(GraphCall& call) {
  Record* record = find_writable(call, groups_set(), call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, groups_set(), WriteKind::update)) return *error;
  if (body->contains("owners@odata.bind")) {
    return graph_error(400, "Request_BadRequest", "Updating 'owners' with @odata.bind is not supported; use owners/$ref.",
                       call.request);
  }
  if (body->contains("mailNickname") && !mail_nickname_valid((*body)["mailNickname"].get<std::string>())) {
    return bad_request("Invalid value specified for property 'mailNickname' of resource 'Group'.", call.request);
  }
  std::vector<DirectoryObject> members;
  if (body->contains("members@odata.bind") && (*body)["members@odata.bind"].size() > kMaxBindsPerRequest) {
    return bad_request("The number of references to add exceeds the maximum of 20 per request.", call.request);
  }
  if (auto error = resolve_binds(call, *body, "members", members)) return *error;
  for (const auto& member : members) {
    Link* existing = call.data.relation("groups.members").find(record->id, member.record->id);
    if (existing && !existing->deleted_at) {
      return bad_request("One or more added object references already exist for the following modified properties: "
                         "'members'.",
                         call.request);
    }
  }
  for (const auto& [key, value] : body->items()) {
    if (key.find('@') != std::string::npos) continue;
    record->data[key] = value;
  }
  for (const auto& member : members) add_link(call, "groups.members", record->id, member.record->id, member.set->name);
  return graph_no_content(call.request);
}

SimResponse delete_group(GraphCall& call) {
  Record* record = find_writable(call, groups_set(), call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  delete_object(call, groups_set(), record->id);
  return graph_no_content(call.request);
}

// Members and owners: the directory objects linked from the group, with @odata.type.
std::vector<ListRow> related_rows(GraphCall& call, const std::string& relation, const std::string& group_id,
                                  const std::string& cast) {
  std::vector<ListRow> rows;
  for (const auto* link : readable_links(call, relation, group_id)) {
    auto object = find_directory_object(call, link->child_id, false);
    if (!object) continue;
    if (!cast.empty() && object->set->type != cast) continue;
    rows.push_back(ListRow{&object->record->data, object->set, link->sequence});
  }
  return rows;
}

SimResponse list_related(GraphCall& call, const std::string& relation) {
  Record* group = find_readable(call, groups_set(), call.param("id"));
  if (!group) return not_found(call.param("id"), call.request);
  return list_response(call, ListShape{nullptr, true}, related_rows(call, relation, group->id, ""), "directoryObjects");
}

SimResponse list_transitive_members(GraphCall& call) {
  Record* group = find_readable(call, groups_set(), call.param("id"));
  if (!group) return not_found(call.param("id"), call.request);
  std::vector<ListRow> rows;
  std::vector<std::string> pending = {group->id};
  std::set<std::string> seen_groups = {to_lower(group->id)}, seen_members;
  while (!pending.empty()) {
    std::string current = pending.back();
    pending.pop_back();
    for (const auto& row : related_rows(call, "groups.members", current, "")) {
      std::string id = to_lower(row.object->value("id", ""));
      if (seen_members.insert(id).second) rows.push_back(row);
      if (row.set->type == "group" && seen_groups.insert(id).second) pending.push_back(id);
    }
  }
  std::sort(rows.begin(), rows.end(), [](const ListRow& a, const ListRow& b) { return a.sequence < b.sequence; });
  return list_response(call, ListShape{nullptr, true}, rows, "directoryObjects");
}

// GET /groups/{id}/members/{x}: x is a member id or an OData cast such as microsoft.graph.user.
SimResponse get_member_or_cast(GraphCall& call) {
  Record* group = find_readable(call, groups_set(), call.param("id"));
  if (!group) return not_found(call.param("id"), call.request);
  std::string member = call.param("member");
  if (istarts_with(member, "microsoft.graph.")) {
    std::string cast = member.substr(16);
    const EntitySet* set = entity_set_by_type(cast);
    if (!set || !set->directory_object) {
      return graph_error(400, "BadRequest", "Resource not found for the segment '" + member + "'.", call.request);
    }
    return list_response(call, ListShape{set, true}, related_rows(call, "groups.members", group->id, cast),
                         set->list_context);
  }
  for (const auto* link : readable_links(call, "groups.members", group->id)) {
    if (!iequals(link->child_id, member)) continue;
    if (auto object = find_directory_object(call, member, false)) {
      return entity_response(call, *object->set, object->record->data, "directoryObjects");
    }
  }
  return not_found(member, call.request);
}

SimResponse add_reference(GraphCall& call, const std::string& relation) {
  Record* group = find_writable(call, groups_set(), call.param("id"));
  if (!group) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (!body->is_object() || !body->contains("@odata.id") || !(*body)["@odata.id"].is_string()) {
    return bad_request("Invalid request body: '@odata.id' is required.", call.request);
  }
  auto id = reference_id((*body)["@odata.id"].get<std::string>());
  if (!id) return bad_request("Invalid object identifier '" + (*body)["@odata.id"].get<std::string>() + "'.", call.request);
  auto object = find_directory_object(call, *id, true);
  if (!object) return not_found(*id, call.request);
  std::string property = relation.substr(relation.find('.') + 1);
  if (property == "members" && has_dynamic_membership(group->data)) {
    return bad_request("Members of a group with dynamic membership cannot be added or removed.", call.request);
  }
  if (object->set->type == "application" || (property == "owners" && object->set->type == "group")) {
    return bad_request("Invalid object type '" + object->set->resource_name + "' for property '" + property + "'.",
                       call.request);
  }
  if (!add_link(call, relation, group->id, object->record->id, object->set->name)) {
    return bad_request("One or more added object references already exist for the following modified properties: '" +
                           property + "'.",
                       call.request);
  }
  return graph_no_content(call.request);
}

SimResponse remove_reference(GraphCall& call, const std::string& relation) {
  Record* group = find_writable(call, groups_set(), call.param("id"));
  if (!group) return not_found(call.param("id"), call.request);
  std::string member = call.param("member");
  if (relation == "groups.members" && has_dynamic_membership(group->data)) {
    return bad_request("Members of a group with dynamic membership cannot be added or removed.", call.request);
  }
  Link* link = call.data.relation(relation).find(group->id, member);
  if (!link || link->deleted_at || !call.visibility.writable(*link, call.now)) return not_found(member, call.request);
  remove_link(call, relation, group->id, member);
  return graph_no_content(call.request);
}

// DELETE /groups/{id}/members/{memberId} without /$ref deletes the member object itself
// (group-delete-members.md: "If /$ref is not appended to the request and the calling app has
// permissions to manage the member object type, the member object will also be deleted").
SimResponse delete_member_object(GraphCall& call) {
  Record* group = find_writable(call, groups_set(), call.param("id"));
  if (!group) return not_found(call.param("id"), call.request);
  std::string member = call.param("member");
  Link* link = call.data.relation("groups.members").find(group->id, member);
  if (!link || link->deleted_at) return not_found(member, call.request);
  auto object = find_directory_object(call, member, true);
  if (!object) return not_found(member, call.request);
  delete_object(call, *object->set, object->record->id);
  return graph_no_content(call.request);
}

}  // namespace

void register_group_routes(GraphRouter& router) {
  router.add("GET", "/groups", list_groups);
  router.add("POST", "/groups", create_group);
  router.add("GET", "/groups/{id}", get_group);
  router.add("PATCH", "/groups/{id}", update_group);
  router.add("DELETE", "/groups/{id}", delete_group);
  router.add("GET", "/groups/{id}/members", [](GraphCall& call) { return list_related(call, "groups.members"); });
  router.add("GET", "/groups/{id}/transitiveMembers", list_transitive_members);
  router.add("GET", "/groups/{id}/members/{member}", get_member_or_cast);
  router.add("POST", "/groups/{id}/members/$ref", [](GraphCall& call) { return add_reference(call, "groups.members"); });
  router.add("DELETE", "/groups/{id}/members/{member}/$ref",
             [](GraphCall& call) { return remove_reference(call, "groups.members"); });
  router.add("DELETE", "/groups/{id}/members/{member}", delete_member_object);
  router.add("GET", "/groups/{id}/owners", [](GraphCall& call) { return list_related(call, "groups.owners"); });
  router.add("POST", "/groups/{id}/owners/$ref", [](GraphCall& call) { return add_reference(call, "groups.owners"); });
  router.add("DELETE", "/groups/{id}/owners/{member}/$ref",
             [](GraphCall& call) { return remove_reference(call, "groups.owners"); });
  register_group_app_role_routes(router);
}

}  // namespace idp_sim::graph
