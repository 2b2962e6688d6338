// Reading a tenant costs a fixed handful of list requests plus one $batch envelope per 20
// relationship lists:
//   groups            GET /groups?$top=999&$select=...            ceil(G / 999) pages
//   members, owners   $batch of GET /groups/{id}/members|owners   ceil(2G / 20) envelopes
//   applications      GET /applications?$top=999&$select=...      ceil(A / 999) pages
//   service princ.    $batch of GET /servicePrincipals?$filter=appId in (15 ids)   ceil(ceil(A/15) / 20)
//   assignments       $batch of GET /servicePrincipals/{id}/appRoleAssignedTo      ceil(A / 20)
//   policies, named locations: one GET each (paced), plus pages beyond the first
//   users             $batch of GET /users?$filter=userPrincipalName in (15 UPNs)  ceil(ceil(U/15) / 20)
// Users that objects refer to by id (policy conditions, assignments) and that the read has not
// met as members are resolved the same way, by id.

#include <algorithm>
#include <future>
#include <unordered_set>

#include "providers/entra/graph_client.hpp"
#include "providers/entra/json_fields.hpp"
#include "providers/entra/tenant_snapshot.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

using model::Kind;

std::string select(const char* fields) { return std::string("$select=") + fields; }

// "/users?$filter=userPrincipalName in ('a','b')&$select=..." for each chunk of 15 values.
std::map<std::string, std::string> in_filters(const std::string& collection, const std::string& property,
                                              const std::vector<std::string>& values, const char* fields) {
  std::map<std::string, std::string> paths;
  for (size_t start = 0; start < values.size(); start += kFilterInLimit) {
    std::vector<std::string> quoted;
    for (size_t i = start; i < std::min(values.size(), start + kFilterInLimit); ++i)
      quoted.push_back(odata_quote(values[i]));
    std::string filter = property + " in (" + util::join(quoted, ",") + ")";
    char key[32];
    std::snprintf(key, sizeof key, "%08zu", start);
    paths[key] = "/" + collection + "?$filter=" + http::url_encode(filter) + "&" + select(fields);
  }
  return paths;
}

void remember_user(TenantSnapshot& snapshot, const nlohmann::json& object) {
  std::string id = text(object, "id");
  std::string upn = object.contains("userPrincipalName") && object["userPrincipalName"].is_string()
                        ? object["userPrincipalName"].get<std::string>()
                        : "";
  if (id.empty() || upn.empty()) return;
  std::string name = object.contains("displayName") && object["displayName"].is_string()
                         ? object["displayName"].get<std::string>()
                         : "";
  snapshot.users[id] = {id, upn, name};
}

bool is_user(const nlohmann::json& object) {
  std::string type = text(object, "@odata.type");
  return type == "#microsoft.graph.user" || (type.empty() && object.contains("userPrincipalName"));
}

// "group", "servicePrincipal", ...: the @odata.type without its namespace; "directoryObject"
// when the object does not say.
std::string object_type(const nlohmann::json& object) {
  std::string type = text(object, "@odata.type");
  if (type.starts_with("#microsoft.graph.")) type = type.substr(17);
  return type.empty() ? "directoryObject" : type;
}

Result<void> read_groups(GraphClient& graph, const ReadScope& scope, TenantSnapshot& snapshot) {
  snapshot.groups = IDFORM_TRY(graph.list("/groups?$top=999&" + select(kGroupSelect)));
  if (!scope.wants(Kind::group)) return {};
  std::vector<std::string> ids;
  for (const auto& group : snapshot.groups) ids.push_back(text(group, "id"));
  return read_group_relations(graph, ids, snapshot);
}

Result<void> read_applications(GraphClient& graph, const ReadScope& scope, TenantSnapshot& snapshot) {
  snapshot.applications = IDFORM_TRY(graph.list("/applications?$top=999&" + select(kApplicationSelect)));
  if (!scope.wants(Kind::application)) return {};
  std::vector<std::string> app_ids;
  for (const auto& app : snapshot.applications) app_ids.push_back(text(app, "appId"));
  std::vector<std::string> principal_ids = IDFORM_TRY(read_service_principals(graph, app_ids, snapshot));
  return read_assignments(graph, principal_ids, snapshot);
}

void collect_strings(const nlohmann::json& value, std::vector<std::string>& out) {
  if (!value.is_array()) return;
  for (const auto& item : value)
    if (item.is_string()) out.push_back(item.get<std::string>());
}

// Users named by id somewhere (policies, assignments) that no member list told us about.
std::vector<std::string> unknown_user_ids(const TenantSnapshot& snapshot) {
  std::vector<std::string> ids;
  for (const auto& policy : snapshot.policies) {
    const nlohmann::json users = child(child(policy, "conditions"), "users");
    if (!users.is_object()) continue;
    collect_strings(items(users, "includeUsers"), ids);
    collect_strings(items(users, "excludeUsers"), ids);
  }
  for (const auto& [principal, assignments] : snapshot.assignments)
    for (const auto& assignment : assignments)
      if (text(assignment, "principalType") == "User") ids.push_back(text(assignment, "principalId"));
  std::erase_if(ids, [&](const std::string& id) {
    return id.empty() || snapshot.users.contains(id) || id == "All" || id == "None" || id == "GuestsOrExternalUsers";
  });
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

Result<void> read_relations(GraphClient& graph, const std::vector<std::string>& group_ids,
                            const std::vector<std::string>& principal_ids, TenantSnapshot& snapshot,
                            std::set<std::string>* gone) {
  // Keys: 'm' or 'o' and a group id (members, owners), 'a' and a service principal id.
  std::map<std::string, std::string> paths;
  for (const std::string& id : group_ids) {
    paths["m" + id] = "/groups/" + id + "/members?$top=999&" + select(kDirectoryObjectSelect);
    paths["o" + id] = "/groups/" + id + "/owners?$top=999&" + select(kDirectoryObjectSelect);
  }
  for (const std::string& id : principal_ids)
    paths["a" + id] = "/servicePrincipals/" + id + "/appRoleAssignedTo?$top=999&" + select(kAssignmentSelect);
  std::set<std::string> gone_keys;
  auto lists = IDFORM_TRY(graph.batch_list(paths, gone ? &gone_keys : nullptr));
  for (const std::string& key : gone_keys) gone->insert(key.substr(1));
  for (auto& [key, items] : lists) {
    if (key[0] == 'a') {
      snapshot.assignments[key.substr(1)] = std::move(items);
      continue;
    }
    std::vector<std::string> ids;
    ids.reserve(items.size());
    for (const auto& item : items) {
      std::string id = text(item, "id");
      if (is_user(item)) remember_user(snapshot, item);
      else
        snapshot.object_types[id] = object_type(item);
      ids.push_back(std::move(id));
    }
    (key[0] == 'm' ? snapshot.members : snapshot.owners)[key.substr(1)] = std::move(ids);
  }
  return {};
}

Result<void> read_group_relations(GraphClient& graph, const std::vector<std::string>& group_ids,
                                  TenantSnapshot& snapshot, std::set<std::string>* gone) {
  return read_relations(graph, group_ids, {}, snapshot, gone);
}

Result<std::vector<std::string>> read_service_principals(GraphClient& graph, const std::vector<std::string>& app_ids,
                                                         TenantSnapshot& snapshot) {
  auto principals = IDFORM_TRY(graph.batch_list(in_filters("servicePrincipals", "appId", app_ids, kServicePrincipalSelect)));
  std::vector<std::string> ids;
  for (auto& [key, items] : principals) {
    for (auto& principal : items) {
      ids.push_back(text(principal, "id"));
      std::string app_id = text(principal, "appId");  // before the move: json's operator= takes by value
      snapshot.service_principals[app_id] = std::move(principal);
    }
  }
  return ids;
}

Result<void> read_assignments(GraphClient& graph, const std::vector<std::string>& principal_ids,
                              TenantSnapshot& snapshot, std::set<std::string>* gone) {
  return read_relations(graph, {}, principal_ids, snapshot, gone);
}

Result<void> resolve_users(GraphClient& graph, const std::string& property, const std::vector<std::string>& values,
                           TenantSnapshot& snapshot) {
  if (values.empty()) return {};
  auto lists = IDFORM_TRY(graph.batch_list(in_filters("users", property, values, kDirectoryObjectSelect)));
  for (const auto& [key, users] : lists)
    for (const auto& user : users) remember_user(snapshot, user);
  return {};
}

Result<TenantSnapshot> read_tenant(GraphClient& graph, const ReadScope& scope) {
  TenantSnapshot snapshot;
  const bool policies = scope.wants(Kind::conditional_access_policy);
  const bool locations = scope.wants(Kind::named_location) || policies;
  // Conditional access allows one request a second per tenant, on a limit of its own: its lists
  // are read beside the directory reads instead of after them.
  std::vector<nlohmann::json> location_list, policy_list;
  std::future<Result<void>> conditional_access =
      util::start_guarded("reading conditional access", [&]() -> Result<void> {
        if (locations) location_list = IDFORM_TRY(graph.list("/identity/conditionalAccess/namedLocations"));
        if (policies) policy_list = IDFORM_TRY(graph.list("/identity/conditionalAccess/policies"));
        return {};
      });
  // Names of groups, applications and locations are needed to express references by name.
  Result<void> directory = [&]() -> Result<void> {
    if (scope.wants(Kind::group) || scope.wants(Kind::application) || policies)
      IDFORM_TRY(read_groups(graph, scope, snapshot));
    if (scope.wants(Kind::application) || policies) IDFORM_TRY(read_applications(graph, scope, snapshot));
    return {};
  }();
  Result<void> ca_read = conditional_access.get();  // waited for even when the directory read failed
  IDFORM_TRY(std::move(directory));
  IDFORM_TRY(std::move(ca_read));
  snapshot.locations = std::move(location_list);
  snapshot.policies = std::move(policy_list);
  IDFORM_TRY(resolve_referenced_users(graph, scope, snapshot));
  return snapshot;
}

Result<void> resolve_referenced_users(GraphClient& graph, const ReadScope& scope, TenantSnapshot& snapshot) {
  // UPNs compare case-insensitively; one set of the folded names seen keeps this linear.
  std::unordered_set<std::string> known;
  known.reserve(snapshot.users.size());
  for (const auto& [id, user] : snapshot.users) known.insert(util::to_lower(user.user_principal_name));
  std::vector<std::string> wanted;
  for (const std::string& email : scope.user_emails)
    if (!known.contains(util::to_lower(email))) wanted.push_back(email);
  IDFORM_TRY(resolve_users(graph, "userPrincipalName", wanted, snapshot));
  return resolve_users(graph, "id", unknown_user_ids(snapshot), snapshot);
}

}  // namespace idform::providers::entra
