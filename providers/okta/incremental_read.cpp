// Bringing a saved Okta snapshot up to date (incremental_read.hpp).
//
// The System Log is read first (bounded by `until`, so its paging ends), from the previous read's
// start less the feed margin, filtered to the event types that change what idform reads through
// per-object lists; each event's targets name groups, apps and policies to re-read. Then the four
// top-level lists are read in full and compared with the cached objects by id and timestamp: new
// objects and changed timestamps add to the re-reads, vanished objects are dropped with their
// relationships. Finally exactly the lists named are read again, with the full read's workers.
#include "providers/okta/incremental_read.hpp"

#include <cstdio>
#include <ctime>
#include <set>

#include "providers/okta/application_mapping.hpp"
#include "providers/okta/json_fields.hpp"
#include "providers/okta/okta_client.hpp"
#include "reconciler/util/date.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

using nlohmann::json;

// Event types of the Okta Event Types catalog that change a per-object list idform reads.
const std::vector<std::string>& watched_events() {
  static const std::vector<std::string> kEvents = {
      "group.user_membership.add",      "group.user_membership.remove", "group.application_assignment.add",
      "group.application_assignment.remove", "policy.rule.add",         "policy.rule.update",
      "policy.rule.delete",             "policy.rule.activate",         "policy.rule.deactivate",
      "policy.lifecycle.update"};
  return kEvents;
}

struct Rereads {
  std::set<std::string> groups, apps, policies;
};

struct LoggedTargets {
  std::set<std::string> ids;  // every id the events name: the lists decide what each one is
  std::string refused;        // the log could not be read (no okta.logs.read): read in full
};

Result<LoggedTargets> logged_targets(OktaClient& okta, const std::string& since,
                                     std::chrono::system_clock::time_point until) {
  auto start = util::parse_utc_seconds(since);
  std::string from = util::format_utc_seconds((start ? *start : until - std::chrono::hours(24 * 7)) -
                             okta.settings().tuning.feed_margin);
  std::vector<std::string> clauses;
  for (const std::string& type : watched_events()) clauses.push_back("eventType eq " + filter_quote(type));
  // Bounded by `until`, the answer ends without a next link (a polling request would not).
  // `until` is exclusive and our timestamps are whole seconds: the next second, so that an event
  // of the second the read started in is not left for the next read.
  std::string next = "/api/v1/logs?since=" + http::url_encode(from) + "&until=" +
                     http::url_encode(util::format_utc_seconds(until + std::chrono::seconds(1))) +
                     "&limit=1000&filter=" + http::url_encode(util::join(clauses, " or "));
  LoggedTargets out;
  while (!next.empty()) {
    OktaResponse response = IDFORM_TRY(okta.call("GET", next));
    if (response.status == 401 || response.status == 403) {
      out.refused = "the System Log could not be read (HTTP " + std::to_string(response.status) +
                    "; a service app needs the okta.logs.read scope, docs/incremental.md)";
      return out;
    }
    if (!response.ok()) return fail(describe_failure("GET", next, response));
    for (const json& event : response.body.is_array() ? response.body : json::array())
      for (const json& target : items(event, "target")) out.ids.insert(text(target, "id"));
    auto link = response.headers.find("Link");
    next = link == response.headers.end() ? "" : http::next_link(link->second);
  }
  return out;
}

std::map<std::string, json> by_id(const std::vector<json>& list) {
  std::map<std::string, json> objects;
  for (const json& object : list) objects[text(object, "id")] = object;
  return objects;
}

// Compares a fresh list with the cached one: new objects and a changed `stamp` are re-read.
void compare(const std::vector<json>& cached, const std::vector<json>& fresh, const char* stamp,
             std::set<std::string>& rereads) {
  std::map<std::string, json> before = by_id(cached);
  for (const json& object : fresh) {
    auto old = before.find(text(object, "id"));
    if (old == before.end() || text(old->second, stamp) != text(object, stamp)) rereads.insert(text(object, "id"));
  }
}

template <typename Map>
void drop_missing(Map& relations, const std::vector<json>& fresh) {
  std::set<std::string> ids;
  for (const json& object : fresh) ids.insert(text(object, "id"));
  std::erase_if(relations, [&](const auto& item) { return !ids.contains(item.first); });
}

}  // namespace

FeedCursors cursors_from_now() { return {util::format_utc_seconds(std::chrono::system_clock::now())}; }

Result<IncrementalRead> read_changes(OktaClient& okta, TenantSnapshot snapshot, const FeedCursors& cursors,
                                     const ReadScope& scope) {
  const auto started = std::chrono::system_clock::now();
  const Tuning& tuning = okta.settings().tuning;
  const int workers = std::max(1, std::max(3, tuning.max_concurrency) / 2);
  LoggedTargets log = IDFORM_TRY(logged_targets(okta, cursors.log_since, started));
  if (!log.refused.empty()) return IncrementalRead{std::move(snapshot), cursors, log.refused};
  const std::set<std::string>& logged = log.ids;

  std::vector<json> groups = IDFORM_TRY(okta.list("/api/v1/groups?limit=" + std::to_string(tuning.group_page)));
  std::vector<json> apps =
      IDFORM_TRY(okta.list("/api/v1/apps?limit=" + std::to_string(tuning.app_page) + "&includeNonDeleted=true"));
  std::vector<json> policies =
      IDFORM_TRY(okta.list("/api/v1/policies?type=ACCESS_POLICY&limit=" + std::to_string(tuning.policy_page)));
  snapshot.zones = IDFORM_TRY(okta.list("/api/v1/zones"));

  Rereads rereads;
  compare(snapshot.groups, groups, "lastMembershipUpdated", rereads.groups);
  compare(snapshot.apps, apps, "created", rereads.apps);  // new apps (an id seen for the first time)
  compare(snapshot.policies, policies, "lastUpdated", rereads.policies);
  std::vector<std::string> group_ids, app_ids, policy_ids;
  for (const json& group : groups)
    if (has_member_list(group) && (rereads.groups.contains(text(group, "id")) || logged.contains(text(group, "id"))))
      group_ids.push_back(text(group, "id"));
  for (const json& app : apps)
    if (is_managed_app(app) && (rereads.apps.contains(text(app, "id")) || logged.contains(text(app, "id"))))
      app_ids.push_back(text(app, "id"));
  for (const json& policy : policies)
    if (!flag(policy, "system") && (rereads.policies.contains(text(policy, "id")) || logged.contains(text(policy, "id"))))
      policy_ids.push_back(text(policy, "id"));

  drop_missing(snapshot.members, groups);
  drop_missing(snapshot.assignments, apps);
  drop_missing(snapshot.rules, policies);
  // A deleted group loses its app assignments with it, without an event of the app's.
  std::set<std::string> group_set;
  for (const json& group : groups) group_set.insert(text(group, "id"));
  for (auto& [app, assignments] : snapshot.assignments)
    std::erase_if(assignments, [&](const json& assignment) { return !group_set.contains(text(assignment, "id")); });
  snapshot.groups = std::move(groups);
  snapshot.apps = std::move(apps);
  snapshot.policies = std::move(policies);
  // The lists may still show an object deleted a moment ago that its own endpoints no longer
  // find: the lists and the reads disagree, so the read is made in full.
  std::set<std::string> gone;
  IDFORM_TRY(read_members(okta, group_ids, workers, snapshot, &gone));
  IDFORM_TRY(read_app_assignments(okta, app_ids, workers, snapshot, &gone));
  IDFORM_TRY(read_rules(okta, policy_ids, workers, snapshot, &gone));
  if (!gone.empty())
    return IncrementalRead{std::move(snapshot), cursors,
                           "an object the lists named was not found when read (" + *gone.begin() +
                               (gone.size() > 1 ? " and " + std::to_string(gone.size() - 1) + " more" : std::string()) +
                               "; deleted meanwhile?)"};
  IDFORM_TRY(resolve_referenced_users(okta, scope, snapshot));
  return IncrementalRead{std::move(snapshot), {util::format_utc_seconds(started)}, ""};
}

}  // namespace idform::providers::okta
