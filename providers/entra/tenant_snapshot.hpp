#pragma once
// The raw Graph objects one read of the tenant returned, before they are mapped to idform's
// model. Kept separate from the mapping so that `idform import` can reuse the same efficient
// read (issue 7) and tests can feed the mappers vendor payloads directly.

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "reconciler/model/kind.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

class GraphClient;

struct DirectoryUser {
  std::string id;
  std::string user_principal_name;
  std::string display_name;
};

struct TenantSnapshot {
  std::vector<nlohmann::json> groups;
  // Members and owners by id: a group's list is a list of ids, and what an id is comes from
  // `users` (users with a userPrincipalName) or `object_types` (everything else), each held once
  // however many groups name it. Half a million memberships stay half a million ids.
  std::map<std::string, std::vector<std::string>> members;  // group id -> direct member ids
  std::map<std::string, std::vector<std::string>> owners;   // group id -> owner ids
  std::map<std::string, std::string> object_types;          // member or owner id -> Graph type, non-users
  std::vector<nlohmann::json> applications;
  std::map<std::string, nlohmann::json> service_principals;    // appId -> the app's service principal
  std::map<std::string, std::vector<nlohmann::json>> assignments;  // service principal id -> appRoleAssignedTo
  std::vector<nlohmann::json> policies;
  std::vector<nlohmann::json> locations;
  std::map<std::string, DirectoryUser> users;  // id -> every user the read met or was asked for
};

struct ReadScope {
  std::set<model::Kind> kinds;           // empty: all
  std::vector<std::string> user_emails;  // UPNs to resolve in bulk

  bool wants(model::Kind kind) const { return kinds.empty() || kinds.contains(kind); }
};

// Reads what `scope` needs with list endpoints ($top=999, $select), relationships through $batch
// and users through `$filter=... in (...)`; never one GET per object.
Result<TenantSnapshot> read_tenant(GraphClient& graph, const ReadScope& scope);

// Looks users up by `property` (userPrincipalName or id), 15 values per request, through $batch,
// adding them to snapshot.users.
Result<void> resolve_users(GraphClient& graph, const std::string& property, const std::vector<std::string>& values,
                           TenantSnapshot& snapshot);

// The relationship reads of a full read, for the objects named (incremental reads re-read these):
// members and owners of groups; the service principals of applications (by appId; returns their
// ids); the app role assignments of service principals. With `gone`, the ids of groups or service
// principals deleted since they were named (404) are put there instead of failing the read.
Result<void> read_group_relations(GraphClient& graph, const std::vector<std::string>& group_ids,
                                  TenantSnapshot& snapshot, std::set<std::string>* gone = nullptr);
Result<std::vector<std::string>> read_service_principals(GraphClient& graph, const std::vector<std::string>& app_ids,
                                                         TenantSnapshot& snapshot);
Result<void> read_assignments(GraphClient& graph, const std::vector<std::string>& principal_ids,
                              TenantSnapshot& snapshot, std::set<std::string>* gone = nullptr);
// Both kinds of relationship in one $batch round (an incremental read re-reads a few of each).
Result<void> read_relations(GraphClient& graph, const std::vector<std::string>& group_ids,
                            const std::vector<std::string>& principal_ids, TenantSnapshot& snapshot,
                            std::set<std::string>* gone = nullptr);
// The users `scope` names that the snapshot has not met, and users named by id (policies,
// assignments) that no member list told about.
Result<void> resolve_referenced_users(GraphClient& graph, const ReadScope& scope, TenantSnapshot& snapshot);

// The $select lists, shared with the writer's read-backs.
inline constexpr const char* kGroupSelect =
    "id,displayName,description,groupTypes,securityEnabled,mailEnabled,onPremisesSyncEnabled";
inline constexpr const char* kApplicationSelect =
    "id,appId,displayName,description,identifierUris,web,spa,publicClient,appRoles";
inline constexpr const char* kServicePrincipalSelect =
    "id,appId,displayName,preferredSingleSignOnMode,loginUrl,appRoles";
inline constexpr const char* kDirectoryObjectSelect = "id,displayName,userPrincipalName";
inline constexpr const char* kAssignmentSelect = "id,appRoleId,principalId,principalType";

// Graph limits an `in` to 15 values (filter-query-parameter known limitations).
inline constexpr size_t kFilterInLimit = 15;

}  // namespace idform::providers::entra
