#pragma once
// The raw Okta objects one read of the org returned, before they are mapped to idform's model.
// Kept apart from the mapping so that the mappers can be fed vendor payloads directly in tests,
// and so that `idform import` uses exactly the read that plan uses.

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "reconciler/model/kind.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

class OktaClient;

struct DirectoryUser {
  std::string id;
  std::string login;  // profile.login, the name the config uses
  std::string display_name;
};

struct TenantSnapshot {
  std::vector<nlohmann::json> groups;
  std::map<std::string, std::vector<std::string>> members;  // OKTA_GROUP id -> user ids
  std::vector<nlohmann::json> apps;
  std::map<std::string, std::vector<nlohmann::json>> assignments;  // managed app id -> group assignments
  std::vector<nlohmann::json> policies;                            // ACCESS_POLICY
  std::map<std::string, std::vector<nlohmann::json>> rules;        // non-system policy id -> its rules
  std::vector<nlohmann::json> zones;
  std::map<std::string, DirectoryUser> users;  // id -> every user the read met or was asked for
};

struct ReadScope {
  std::set<model::Kind> kinds;           // empty: all
  std::vector<std::string> user_emails;  // logins to resolve in bulk

  bool wants(model::Kind kind) const { return kinds.empty() || kinds.contains(kind); }
};

// Reads what `scope` needs with list endpoints at their largest page size: groups, apps,
// ACCESS_POLICY policies and zones once each, then one list per OKTA_GROUP (members), per managed
// app (group assignments) and per managed policy (rules), in parallel; users by OR'ed searches.
// Never one GET per object a list already returned.
Result<TenantSnapshot> read_tenant(OktaClient& okta, const ReadScope& scope);

// The relationship reads of a full read, for the objects named (incremental reads re-read these):
// the members of groups (OKTA_GROUPs only: has_member_list), the group assignments of apps, the
// rules of policies; `workers` lists at a time. With `gone`, the ids of objects deleted since they
// were named (404) are put there instead of failing the read.
bool has_member_list(const nlohmann::json& group);
Result<void> read_members(OktaClient& okta, const std::vector<std::string>& group_ids, int workers,
                          TenantSnapshot& snapshot, std::set<std::string>* gone = nullptr);
Result<void> read_app_assignments(OktaClient& okta, const std::vector<std::string>& app_ids, int workers,
                                  TenantSnapshot& snapshot, std::set<std::string>* gone = nullptr);
Result<void> read_rules(OktaClient& okta, const std::vector<std::string>& policy_ids, int workers,
                        TenantSnapshot& snapshot, std::set<std::string>* gone = nullptr);
// The logins `scope` names that the snapshot has not met, and users policy rules name by id.
Result<void> resolve_referenced_users(OktaClient& okta, const ReadScope& scope, TenantSnapshot& snapshot);

// Looks users up by `attribute` ("profile.login" or "id"), `user_chunk` values per search,
// adding them to snapshot.users.
Result<void> resolve_users(OktaClient& okta, const std::string& attribute, const std::vector<std::string>& values,
                           TenantSnapshot& snapshot);

}  // namespace idform::providers::okta
