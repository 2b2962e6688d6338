// Reading an org costs a fixed handful of list requests plus one list per related collection:
//   groups         GET /api/v1/groups?limit=10000                       ceil(G / 10000) pages
//   members        GET /api/v1/groups/{id}/users?limit=1000             one per OKTA_GROUP
//   apps           GET /api/v1/apps?limit=200                           ceil(A / 200) pages
//   assignments    GET /api/v1/apps/{id}/groups?limit=200               one per managed app
//   policies       GET /api/v1/policies?type=ACCESS_POLICY              one (plus pages)
//   rules          GET /api/v1/policies/{id}/rules                      one per non-system policy
//   zones          GET /api/v1/zones                                    one (plus pages)
//   users          GET /api/v1/users?search=profile.login eq ".." or .. ceil(U / 20)
// Okta offers no embedding of group assignments in the app list, so the /api/v1/apps* bucket
// (the tightest, 100/min on most plans) costs one request per managed app; built-in apps
// (Okta's own, bookmarks, SWA) are not asked for theirs. The three families run at the same time,
// each on its own bucket, so a slow bucket does not hold up the others.

#include <algorithm>
#include <future>
#include <mutex>

#include "providers/okta/application_mapping.hpp"
#include "providers/okta/json_fields.hpp"
#include "providers/okta/okta_client.hpp"
#include "providers/okta/parallel.hpp"
#include "providers/okta/tenant_snapshot.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

using model::Kind;

DirectoryUser user_of(const nlohmann::json& user) {
  nlohmann::json profile = child(user, "profile");
  std::string name = util::trim(text(profile, "firstName") + " " + text(profile, "lastName"));
  return {text(user, "id"), text(profile, "login"), name};
}

// Lists `paths[i]` into `out[i]`, `workers` at a time. With `gone`, the ids[i] of lists whose
// owner answered 404 are put there instead of failing.
Result<void> list_all(OktaClient& okta, const std::vector<std::string>& paths, int workers,
                      std::vector<std::vector<nlohmann::json>>& out, const std::vector<std::string>& ids = {},
                      std::set<std::string>* gone = nullptr) {
  out.assign(paths.size(), {});
  std::vector<char> missing(paths.size(), 0);
  IDFORM_TRY(parallel_for(paths.size(), workers, [&](size_t i) -> Result<void> {
    bool absent = false;
    out[i] = IDFORM_TRY(okta.list(paths[i], gone ? &absent : nullptr));
    missing[i] = absent;
    return {};
  }));
  for (size_t i = 0; i < paths.size(); ++i)
    if (missing[i]) gone->insert(ids[i]);
  return {};
}

Result<void> read_groups(OktaClient& okta, const ReadScope& scope, int workers, TenantSnapshot& snapshot) {
  const Tuning& tuning = okta.settings().tuning;
  snapshot.groups = IDFORM_TRY(okta.list("/api/v1/groups?limit=" + std::to_string(tuning.group_page)));
  if (!scope.wants(Kind::group)) return {};
  // Members of OKTA_GROUPs only: the others (Everyone, imported groups) are read-only, and
  // Everyone alone would list the whole directory.
  std::vector<std::string> ids;
  for (const auto& group : snapshot.groups)
    if (has_member_list(group)) ids.push_back(text(group, "id"));
  return read_members(okta, ids, workers, snapshot);
}

Result<void> read_apps(OktaClient& okta, const ReadScope& scope, int workers, TenantSnapshot& snapshot) {
  const Tuning& tuning = okta.settings().tuning;
  snapshot.apps =
      IDFORM_TRY(okta.list("/api/v1/apps?limit=" + std::to_string(tuning.app_page) + "&includeNonDeleted=true"));
  if (!scope.wants(Kind::application)) return {};
  std::vector<std::string> ids;
  for (const auto& app : snapshot.apps)
    if (is_managed_app(app)) ids.push_back(text(app, "id"));
  return read_app_assignments(okta, ids, workers, snapshot);
}

Result<void> read_policies(OktaClient& okta, int workers, TenantSnapshot& snapshot) {
  snapshot.policies = IDFORM_TRY(okta.list("/api/v1/policies?type=ACCESS_POLICY&limit=" +
                                           std::to_string(okta.settings().tuning.policy_page)));
  std::vector<std::string> ids;
  for (const auto& policy : snapshot.policies)
    if (!flag(policy, "system")) ids.push_back(text(policy, "id"));  // the default policy is Okta's
  return read_rules(okta, ids, workers, snapshot);
}

// Users that policy rules name by id and no member list told us about.
std::vector<std::string> unknown_user_ids(const TenantSnapshot& snapshot) {
  std::vector<std::string> ids;
  for (const auto& [policy, rules] : snapshot.rules)
    for (const auto& rule : rules) {
      nlohmann::json users = child(child(child(rule, "conditions"), "people"), "users");
      for (const char* side : {"include", "exclude"})
        for (const std::string& id : texts(users, side))
          if (!snapshot.users.contains(id)) ids.push_back(id);
    }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

bool has_member_list(const nlohmann::json& group) { return text(group, "type", "OKTA_GROUP") == "OKTA_GROUP"; }

Result<void> read_members(OktaClient& okta, const std::vector<std::string>& group_ids, int workers,
                          TenantSnapshot& snapshot, std::set<std::string>* gone) {
  std::vector<std::string> paths;
  for (const std::string& id : group_ids)
    paths.push_back("/api/v1/groups/" + id + "/users?limit=" + std::to_string(okta.settings().tuning.member_page));
  std::vector<std::vector<nlohmann::json>> lists;
  IDFORM_TRY(list_all(okta, paths, workers, lists, group_ids, gone));
  for (size_t i = 0; i < group_ids.size(); ++i) {
    std::vector<std::string>& members = snapshot.members[group_ids[i]];
    members.clear();
    for (const auto& user : lists[i]) {
      DirectoryUser found = user_of(user);
      if (found.id.empty()) continue;
      members.push_back(found.id);
      snapshot.users[found.id] = std::move(found);
    }
  }
  return {};
}

Result<void> read_app_assignments(OktaClient& okta, const std::vector<std::string>& app_ids, int workers,
                                  TenantSnapshot& snapshot, std::set<std::string>* gone) {
  std::vector<std::string> paths;
  for (const std::string& id : app_ids)
    paths.push_back("/api/v1/apps/" + id + "/groups?limit=" + std::to_string(okta.settings().tuning.assignment_page));
  std::vector<std::vector<nlohmann::json>> lists;
  IDFORM_TRY(list_all(okta, paths, workers, lists, app_ids, gone));
  for (size_t i = 0; i < app_ids.size(); ++i) snapshot.assignments[app_ids[i]] = std::move(lists[i]);
  return {};
}

Result<void> read_rules(OktaClient& okta, const std::vector<std::string>& policy_ids, int workers,
                        TenantSnapshot& snapshot, std::set<std::string>* gone) {
  std::vector<std::string> paths;
  for (const std::string& id : policy_ids) paths.push_back("/api/v1/policies/" + id + "/rules");
  std::vector<std::vector<nlohmann::json>> lists;
  IDFORM_TRY(list_all(okta, paths, workers, lists, policy_ids, gone));
  for (size_t i = 0; i < policy_ids.size(); ++i) snapshot.rules[policy_ids[i]] = std::move(lists[i]);
  return {};
}

Result<void> resolve_users(OktaClient& okta, const std::string& attribute, const std::vector<std::string>& values,
                           TenantSnapshot& snapshot) {
  const size_t chunk = std::max<size_t>(1, okta.settings().tuning.user_chunk);
  std::vector<std::string> paths;
  for (size_t start = 0; start < values.size(); start += chunk) {
    std::vector<std::string> terms;
    for (size_t i = start; i < std::min(values.size(), start + chunk); ++i)
      terms.push_back(attribute + " eq " + filter_quote(values[i]));
    paths.push_back("/api/v1/users?search=" + http::url_encode(util::join(terms, " or ")) + "&limit=200");
  }
  std::vector<std::vector<nlohmann::json>> lists;
  IDFORM_TRY(list_all(okta, paths, std::max(1, okta.settings().tuning.max_concurrency / 2), lists));
  for (const auto& list : lists)
    for (const auto& user : list) {
      DirectoryUser found = user_of(user);
      if (!found.id.empty() && !found.login.empty()) snapshot.users[found.id] = std::move(found);
    }
  return {};
}

Result<TenantSnapshot> read_tenant(OktaClient& okta, const ReadScope& scope) {
  TenantSnapshot snapshot;
  const bool policies = scope.wants(Kind::conditional_access_policy);
  const int concurrency = std::max(3, okta.settings().tuning.max_concurrency);
  const int member_workers = std::max(1, concurrency / 2);
  const int assignment_workers = std::max(1, concurrency / 4);
  const int rule_workers = std::max(1, concurrency - member_workers - assignment_workers);

  // Names of groups, apps and zones are needed to express references by name, so some lists
  // are read even when their kind is not asked for. Each family fills its own parts.
  TenantSnapshot groups, apps, rest;
  auto group_task = util::start_guarded("reading Okta groups", [&]() -> Result<void> {
    if (scope.wants(Kind::group) || scope.wants(Kind::application) || policies)
      return read_groups(okta, scope, member_workers, groups);
    return {};
  });
  auto app_task = util::start_guarded("reading Okta applications", [&]() -> Result<void> {
    if (scope.wants(Kind::application) || policies) return read_apps(okta, scope, assignment_workers, apps);
    return {};
  });
  Result<void> other = [&]() -> Result<void> {
    if (scope.wants(Kind::named_location) || policies)
      rest.zones = IDFORM_TRY(okta.list("/api/v1/zones"));
    if (policies) IDFORM_TRY(read_policies(okta, rule_workers, rest));
    return {};
  }();
  Result<void> group_result = group_task.get();
  Result<void> app_result = app_task.get();
  for (const Result<void>* result : {&group_result, &app_result, &other})
    if (!*result) return std::unexpected(result->error());

  snapshot.groups = std::move(groups.groups);
  snapshot.members = std::move(groups.members);
  snapshot.users = std::move(groups.users);
  snapshot.apps = std::move(apps.apps);
  snapshot.assignments = std::move(apps.assignments);
  snapshot.zones = std::move(rest.zones);
  snapshot.policies = std::move(rest.policies);
  snapshot.rules = std::move(rest.rules);

  IDFORM_TRY(resolve_referenced_users(okta, scope, snapshot));
  return snapshot;
}

Result<void> resolve_referenced_users(OktaClient& okta, const ReadScope& scope, TenantSnapshot& snapshot) {
  std::vector<std::string> wanted;
  std::set<std::string> known;
  for (const auto& [id, user] : snapshot.users) known.insert(util::to_lower(user.login));
  for (const std::string& email : scope.user_emails)
    if (!known.contains(util::to_lower(email))) wanted.push_back(util::to_lower(email));
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  IDFORM_TRY(resolve_users(okta, "profile.login", wanted, snapshot));
  return resolve_users(okta, "id", unknown_user_ids(snapshot), snapshot);
}

}  // namespace idform::providers::okta
