// Bringing a saved Graph snapshot up to date from the change feeds (incremental_read.hpp).
//
// The three delta queries and the directory audit log are fetched first, side by side; each
// delta returns the objects created, changed or removed since its deltaLink. Changed objects are
// merged into the snapshot (only the properties a full read selects), removed ones dropped with
// their relationships. Then the audit log since the previous read (less the feed margin) names
// the service principals whose app role assignments changed and any group it mentions. Exactly
// those groups' members and owners, those service principals' assignments, and the service
// principals of new applications are re-read, through the same $batch reads a full read uses
// (the relationships in one round). Conditional access policies and named locations, a handful
// of objects that Graph lets a tenant read only once a second, are listed in full when the audit
// log records a change to any of them, and kept from the snapshot otherwise. New cursors are
// taken from this round, so a change made while it runs is reported again next time (re-reading
// is idempotent).
#include "providers/entra/incremental_read.hpp"

#include <cstdio>
#include <ctime>
#include <set>

#include "providers/entra/graph_client.hpp"
#include "providers/entra/json_fields.hpp"
#include "reconciler/util/date.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

using nlohmann::json;

// The cursor less the margin; empty (read the whole log) when the cursor is not a timestamp.
std::string audit_start(const std::string& since, std::chrono::seconds margin) {
  auto start = util::parse_utc_seconds(since);
  return start ? util::format_utc_seconds(*start - margin) : "";
}

// Follows a delta link through its nextLinks to the new deltaLink. Graph answers a link it no
// longer knows with 410 (some documents show 400) and the code syncStateNotFound.
Result<DeltaRound> follow(GraphClient& graph, const std::string& link) {
  DeltaRound round;
  std::string next = link;
  while (!next.empty()) {
    GraphResponse response = IDFORM_TRY(graph.call("GET", next));
    if (response.status == 410 || response.error_code() == "syncStateNotFound") {
      round.refused = true;
      return round;
    }
    if (!response.ok()) return fail(describe_failure("GET", graph.relative(next), response));
    for (auto& entry : items(response.body, "value")) round.entries.push_back(entry);
    next = text(response.body, "@odata.nextLink");
    if (next.empty()) round.delta_link = text(response.body, "@odata.deltaLink");
  }
  if (round.delta_link.empty()) return fail("GET " + graph.relative(link) + ": the delta round ended without a deltaLink");
  return round;
}

// Copies the properties a full read selects from a delta entry onto `object`.
void merge_selected(json& object, const json& entry, const char* select) {
  for (const std::string& field : util::split(select, ','))
    if (entry.contains(field)) object[field] = entry[field];
}

// Merges or adds the entry in `list` (by id); returns whether it is new.
bool merge_into(std::vector<json>& list, const json& entry, const char* select) {
  std::string id = text(entry, "id");
  for (auto& object : list)
    if (text(object, "id") == id) {
      merge_selected(object, entry, select);
      return false;
    }
  json object = json::object();
  merge_selected(object, entry, select);
  object["id"] = id;
  list.push_back(std::move(object));
  return true;
}

void erase_by_id(std::vector<json>& list, const std::string& id) {
  std::erase_if(list, [&](const json& object) { return text(object, "id") == id; });
}

struct Rereads {
  std::set<std::string> groups;      // members and owners
  std::set<std::string> principals;  // app role assignments
  std::vector<std::string> new_app_ids;  // service principal look-up
  bool conditional_access = false;       // policies and named locations
};

// An audit entry about a conditional access policy or a named location (Graph logs them with
// loggedByService "Conditional Access": "Add conditional access policy", "Update named
// location", ...). Matched broadly: a false match costs two list requests, a miss a wrong plan.
bool about_conditional_access(const json& entry) {
  std::string activity = util::to_lower(text(entry, "activityDisplayName"));
  return text(entry, "loggedByService") == "Conditional Access" || activity.contains("conditional access") ||
         activity.contains("named location");
}

void apply_group_changes(const std::vector<json>& entries, TenantSnapshot& snapshot, Rereads& rereads) {
  for (const json& entry : entries) {
    std::string id = text(entry, "id");
    if (entry.contains("@removed")) {
      erase_by_id(snapshot.groups, id);
      snapshot.members.erase(id);
      snapshot.owners.erase(id);
      rereads.groups.erase(id);
      continue;
    }
    merge_into(snapshot.groups, entry, kGroupSelect);
    rereads.groups.insert(id);
  }
}

void apply_application_changes(const std::vector<json>& entries, TenantSnapshot& snapshot, Rereads& rereads) {
  for (const json& entry : entries) {
    std::string id = text(entry, "id");
    if (entry.contains("@removed")) {
      erase_by_id(snapshot.applications, id);
      continue;
    }
    if (merge_into(snapshot.applications, entry, kApplicationSelect)) rereads.new_app_ids.push_back(text(entry, "appId"));
  }
}

void apply_principal_changes(const std::vector<json>& entries, TenantSnapshot& snapshot, Rereads& rereads) {
  std::map<std::string, std::string> app_of;  // service principal id -> appId
  for (const auto& [app_id, principal] : snapshot.service_principals) app_of[text(principal, "id")] = app_id;
  std::set<std::string> app_ids;
  for (const auto& app : snapshot.applications) app_ids.insert(text(app, "appId"));
  for (const json& entry : entries) {
    std::string id = text(entry, "id");
    auto known = app_of.find(id);
    if (entry.contains("@removed")) {
      if (known != app_of.end()) snapshot.service_principals.erase(known->second);
      snapshot.assignments.erase(id);
      continue;
    }
    std::string app_id = known != app_of.end() ? known->second : text(entry, "appId");
    if (!app_ids.contains(app_id)) continue;  // not one of the tenant's applications: never read
    json& principal = snapshot.service_principals[app_id];
    if (!principal.is_object()) principal = json{{"id", id}};
    merge_selected(principal, entry, kServicePrincipalSelect);
    if (known == app_of.end()) rereads.principals.insert(id);
  }
  // The service principals of applications that are gone leave with them.
  std::erase_if(snapshot.service_principals, [&](const auto& item) {
    if (app_ids.contains(item.first)) return false;
    snapshot.assignments.erase(text(item.second, "id"));
    return true;
  });
}

// The directory audit log since the cursor less the feed margin. Reading it needs
// AuditLog.Read.All; without it (403) the read is made in full.
Result<AuditRound> fetch_audits(GraphClient& graph, const std::string& since) {
  AuditRound round;
  std::string next = "/auditLogs/directoryAudits?$top=999";
  std::string start = audit_start(since, graph.settings().tuning.feed_margin);
  if (!start.empty()) next += "&$filter=" + http::url_encode("activityDateTime ge " + start);
  while (!next.empty()) {
    GraphResponse response = IDFORM_TRY(graph.call("GET", next));
    if (response.status == 401 || response.status == 403) {
      round.refused = "the directory audit log could not be read (HTTP " + std::to_string(response.status) +
                      "; it needs AuditLog.Read.All)";
      return round;
    }
    if (!response.ok()) return fail(describe_failure("GET", graph.relative(next), response));
    for (auto& entry : items(response.body, "value")) round.entries.push_back(entry);
    next = text(response.body, "@odata.nextLink");
  }
  return round;
}

// Audit entries name service principals (app role assignments) and other objects by id.
void apply_audits(const std::vector<json>& entries, const TenantSnapshot& snapshot, Rereads& rereads) {
  std::set<std::string> principals, groups;
  for (const auto& [app_id, principal] : snapshot.service_principals) principals.insert(text(principal, "id"));
  for (const auto& group : snapshot.groups) groups.insert(text(group, "id"));
  for (const json& entry : entries) {
    if (about_conditional_access(entry)) rereads.conditional_access = true;
    for (const json& target : items(entry, "targetResources")) {
      std::string id = text(target, "id");
      if (principals.contains(id)) rereads.principals.insert(id);
      // An owner added or removed, say: the group's relationships are read again.
      if (groups.contains(id) && text(target, "type") == "Group" && !text(entry, "activityDisplayName").contains("app role"))
        rereads.groups.insert(id);
    }
  }
}

// Applies what the feeds answered, in order: the audit entries are matched against the snapshot
// the delta rounds brought up to date. Sets the cursors to the rounds' new deltaLinks.
std::optional<std::string> apply_feeds(FeedRounds& rounds, TenantSnapshot& snapshot, FeedCursors& cursors,
                                       Rereads& rereads) {
  if (rounds.groups.refused) return "Graph refused the groups delta link (syncStateNotFound)";
  if (rounds.applications.refused) return "Graph refused the applications delta link (syncStateNotFound)";
  if (rounds.principals.refused) return "Graph refused the servicePrincipals delta link (syncStateNotFound)";
  if (!rounds.audits.refused.empty()) return rounds.audits.refused;
  apply_group_changes(rounds.groups.entries, snapshot, rereads);
  apply_application_changes(rounds.applications.entries, snapshot, rereads);
  apply_principal_changes(rounds.principals.entries, snapshot, rereads);
  // A deleted group loses its app role assignments with it.
  std::set<std::string> group_ids;
  for (const json& group : snapshot.groups) group_ids.insert(text(group, "id"));
  for (auto& [principal, assignments] : snapshot.assignments)
    std::erase_if(assignments, [&](const json& assignment) {
      return text(assignment, "principalType") == "Group" && !group_ids.contains(text(assignment, "principalId"));
    });
  apply_audits(rounds.audits.entries, snapshot, rereads);
  cursors.groups = rounds.groups.delta_link;
  cursors.applications = rounds.applications.delta_link;
  cursors.service_principals = rounds.principals.delta_link;
  return std::nullopt;
}

}  // namespace

Result<FeedCursors> latest_cursors(GraphClient& graph) {
  FeedCursors cursors;
  cursors.audits_since = util::format_utc_seconds(std::chrono::system_clock::now());
  const std::string latest = "$deltatoken=latest";
  std::string group_select = std::string("$select=") + kGroupSelect + ",members";
  cursors.groups = IDFORM_TRY(follow(graph, "/groups/delta?" + group_select + "&" + latest)).delta_link;
  cursors.applications =
      IDFORM_TRY(follow(graph, std::string("/applications/delta?$select=") + kApplicationSelect + "&" + latest)).delta_link;
  cursors.service_principals = IDFORM_TRY(
      follow(graph, std::string("/servicePrincipals/delta?$select=") + kServicePrincipalSelect + "&" + latest)).delta_link;
  return cursors;
}

// The three delta rounds and the audit log need nothing of each other, so they are fetched side
// by side: on Graph each is a round trip or more of its own.
Result<FeedRounds> fetch_feeds(GraphClient& graph, const FeedCursors& cursors) {
  FeedRounds rounds;
  rounds.from = cursors;
  rounds.started = util::format_utc_seconds(std::chrono::system_clock::now());
  auto fetch = [&graph](const std::string& link) {
    return util::start_guarded("reading a Graph delta feed", [&graph, link] { return follow(graph, link); });
  };
  auto groups = fetch(cursors.groups);
  auto applications = fetch(cursors.applications);
  auto principals = fetch(cursors.service_principals);
  Result<AuditRound> audits = fetch_audits(graph, cursors.audits_since);
  rounds.groups = IDFORM_TRY(groups.get());
  rounds.applications = IDFORM_TRY(applications.get());
  rounds.principals = IDFORM_TRY(principals.get());
  rounds.audits = IDFORM_TRY(std::move(audits));
  return rounds;
}

Result<IncrementalRead> read_changes(GraphClient& graph, TenantSnapshot snapshot, const FeedCursors& cursors,
                                     const ReadScope& scope, std::optional<FeedRounds> fetched) {
  FeedRounds rounds;
  if (fetched && fetched->from == cursors) rounds = std::move(*fetched);
  else rounds = IDFORM_TRY(fetch_feeds(graph, cursors));
  IncrementalRead read{std::move(snapshot), cursors, ""};
  read.cursors.audits_since = rounds.started;
  Rereads rereads;
  FeedCursors next = cursors;
  std::optional<std::string> refused = apply_feeds(rounds, read.snapshot, next, rereads);
  if (refused) {
    read.refused = *refused;
    return read;
  }
  read.cursors.groups = next.groups;
  read.cursors.applications = next.applications;
  read.cursors.service_principals = next.service_principals;
  // Conditional access has a limit of its own (one request a second, so two lists take a second):
  // the lists are read again only when the audit log names a policy or location change, beside
  // the directory reads below (they fill other parts of the snapshot).
  std::future<Result<void>> conditional_access;
  if (rereads.conditional_access)
    conditional_access = util::start_guarded("reading conditional access", [&graph, &read]() -> Result<void> {
      read.snapshot.locations = IDFORM_TRY(graph.list("/identity/conditionalAccess/namedLocations"));
      read.snapshot.policies = IDFORM_TRY(graph.list("/identity/conditionalAccess/policies"));
      return {};
    });

  std::vector<std::string> principal_ids =
      IDFORM_TRY(read_service_principals(graph, rereads.new_app_ids, read.snapshot));
  rereads.principals.insert(principal_ids.begin(), principal_ids.end());
  // An object the feeds named may be deleted before its relationships are read (or not be
  // readable yet on every replica): the feeds and the reads disagree, so the read is made in full.
  std::set<std::string> gone;
  Result<void> relations = read_relations(graph, {rereads.groups.begin(), rereads.groups.end()},
                                          {rereads.principals.begin(), rereads.principals.end()}, read.snapshot, &gone);
  if (conditional_access.valid()) IDFORM_TRY(conditional_access.get());
  IDFORM_TRY(std::move(relations));
  if (!gone.empty()) {
    read.refused = "an object the change feeds named was not found when read (" + *gone.begin() +
                   (gone.size() > 1 ? " and " + std::to_string(gone.size() - 1) + " more" : std::string()) +
                   "; deleted meanwhile?)";
    return read;
  }
  IDFORM_TRY(resolve_referenced_users(graph, scope, read.snapshot));
  return read;
}

}  // namespace idform::providers::entra
