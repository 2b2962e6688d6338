// Delta queries: GET /groups/delta (with members@delta), /applications/delta and
// /servicePrincipals/delta (GRAPH-DC group-delta.md, application-delta.md,
// serviceprincipal-delta.md, concepts/delta-query-overview.md, concepts/delta-query-groups.md).
//
// A round without token reports every object as it is now (groups with all their members in
// members@delta) and ends with an @odata.deltaLink; a round with $deltatoken reports what
// changed since the round that token names: new and changed objects whole, groups whose members
// changed with the added members and the removed ones marked "@removed", and deleted objects as
// {"id", "@removed": {"reason": ...}}. Pages of kPageSize entries are linked with
// @odata.nextLink ($skiptoken = round.offset). $deltatoken=latest answers only a deltaLink.
// An unknown or expired token is 410 syncStateNotFound, and the client starts over.
#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <vector>

#include "core/crypto.hpp"
#include "graph/delta_rounds.hpp"
#include "graph/graph_errors.hpp"
#include "graph/graph_flavor.hpp"

namespace idp_sim::graph {

namespace {

constexpr std::size_t kPageSize = 100;

std::string odata_type_of(const std::string& kind) {
  if (kind == "users") return "#microsoft.graph.user";
  if (kind == "groups") return "#microsoft.graph.group";
  if (kind == "servicePrincipals") return "#microsoft.graph.servicePrincipal";
  if (kind == "applications") return "#microsoft.graph.application";
  return "#microsoft.graph.directoryObject";
}

DeltaSnapshot snapshot_of(GraphCall& call, const EntitySet& set) {
  DeltaSnapshot snapshot;
  for (const auto& row : readable_rows(call, set)) {
    std::string id = string_field(*row.object, "id");
    snapshot.objects[id] = row.object->dump();
    if (set.name == "groups") {
      // A sorted vector rather than a set: a large tenant's rounds hold half a million members.
      auto& members = snapshot.members[id];
      const auto links = readable_links(call, "groups.members", id);
      members.reserve(links.size());
      for (const auto* link : links) members.push_back(link->child_kind + "/" + link->child_id);
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
    }
  }
  return snapshot;
}

Json member_entry(const std::string& member, bool removed) {
  auto slash = member.find('/');
  Json entry = {{"@odata.type", odata_type_of(member.substr(0, slash))}, {"id", member.substr(slash + 1)}};
  if (removed) entry["@removed"] = {{"reason", "deleted"}};
  return entry;
}

Json object_entry(const std::string& serialised, const std::string& collection) {
  Json object = Json::parse(serialised);
  Json entry = Json::object();
  entry["@odata.type"] = odata_type_of(collection);
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key() != "@odata.type") entry[it.key()] = it.value();
  }
  return entry;
}

// Soft-deleted objects (Microsoft 365 groups, applications, service principals) come back with
// reason "changed" (restorable), others with "deleted" (delta-query-overview.md, "Resource
// representation in the delta query response").
std::string removal_reason(const std::string& collection, const std::string& serialised) {
  if (collection != "groups") return "changed";
  Json object = Json::parse(serialised);
  for (const auto& type : object.value("groupTypes", Json::array())) {
    if (type == "Unified") return "changed";
  }
  return "deleted";
}

std::vector<Json> all_entries(const DeltaSnapshot& now, const std::string& collection) {
  std::vector<Json> entries;
  for (const auto& [id, serialised] : now.objects) {
    Json entry = object_entry(serialised, collection);
    if (collection == "groups") {
      Json members = Json::array();
      for (const auto& member : now.members.at(id)) members.push_back(member_entry(member, false));
      entry["members@delta"] = members;
    }
    entries.push_back(entry);
  }
  return entries;
}

std::vector<Json> changed_entries(const DeltaSnapshot& before, const DeltaSnapshot& now, const std::string& collection) {
  std::vector<Json> entries;
  static const std::vector<std::string> kNone;
  for (const auto& [id, serialised] : now.objects) {
    auto old = before.objects.find(id);
    bool object_changed = old == before.objects.end() || old->second != serialised;
    Json members = Json::array();
    if (collection == "groups") {
      auto old_members = before.members.find(id);
      const auto& was = old_members == before.members.end() ? kNone : old_members->second;
      const auto& is = now.members.at(id);
      std::vector<std::string> added, removed;
      std::set_difference(is.begin(), is.end(), was.begin(), was.end(), std::back_inserter(added));
      std::set_difference(was.begin(), was.end(), is.begin(), is.end(), std::back_inserter(removed));
      for (const auto& member : added) members.push_back(member_entry(member, false));
      for (const auto& member : removed) members.push_back(member_entry(member, true));
    }
    if (!object_changed && members.empty()) continue;
    Json entry = object_changed ? object_entry(serialised, collection)
                                : Json{{"@odata.type", odata_type_of(collection)}, {"id", id}};
    if (collection == "groups") entry["members@delta"] = members;
    entries.push_back(entry);
  }
  for (const auto& [id, serialised] : before.objects) {
    if (now.objects.count(id)) continue;
    entries.push_back({{"@odata.type", odata_type_of(collection)},
                       {"id", id},
                       {"@removed", {{"reason", removal_reason(collection, serialised)}}}});
  }
  return entries;
}

std::string delta_url(GraphCall& call, const std::string& collection, const std::string& query) {
  return call.request.base_url + call.settings.graph_prefix + "/" + collection + "/delta" + (query.empty() ? "" : "?" + query);
}

SimResponse sync_state_not_found(GraphCall& call, const std::string& collection) {
  SimResponse response = graph_error(410, "syncStateNotFound",
                                     "The sync state generation is not found. The delta token is expired and data must "
                                     "be synchronized again.",
                                     call.request);
  response.headers["Location"] = delta_url(call, collection, "");
  return response;
}

SimResponse page_of(GraphCall& call, const std::string& collection, const std::string& token, const DeltaRound& round,
                    std::size_t offset) {
  Json body = Json::object();
  body["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#" + collection;
  std::size_t end = std::min(round.entries.size(), offset + kPageSize);
  if (end < round.entries.size()) {
    body["@odata.nextLink"] = delta_url(call, collection, "$skiptoken=" + token + "." + std::to_string(end));
  } else {
    body["@odata.deltaLink"] = delta_url(call, collection, "$deltatoken=" + token);
  }
  Json values = Json::array();
  for (std::size_t i = offset; i < end; ++i) values.push_back(round.entries[i]);
  body["value"] = std::move(values);
  return graph_json(200, body, call.request);
}

SimResponse delta(GraphCall& call, const EntitySet& set) {
  DeltaRounds& rounds = *call.delta;
  const std::string& collection = set.name;
  auto skiptoken = call.request.query_value("$skiptoken");
  auto deltatoken = call.request.query_value("$deltatoken");
  if (skiptoken) {
    auto dot = skiptoken->rfind('.');
    const DeltaRound* round = dot == std::string::npos ? nullptr : rounds.find(skiptoken->substr(0, dot));
    if (!round || round->collection != collection) return sync_state_not_found(call, collection);
    std::size_t offset = std::strtoull(skiptoken->c_str() + dot + 1, nullptr, 10);
    return page_of(call, collection, skiptoken->substr(0, dot), *round, std::min(offset, round->entries.size()));
  }
  DeltaRound round;
  round.collection = collection;
  round.started = call.now;
  round.snapshot = snapshot_of(call, set);
  if (deltatoken && *deltatoken == "latest") {
    // "Sync from now": no resource data, only a deltaLink.
  } else if (deltatoken) {
    const DeltaRound* previous = rounds.find(*deltatoken);
    if (!previous || previous->collection != collection || call.now - previous->started > DeltaRounds::kLifetimeSeconds) {
      return sync_state_not_found(call, collection);
    }
    round.entries = changed_entries(previous->snapshot, round.snapshot, collection);
  } else {
    round.entries = all_entries(round.snapshot, collection);
  }
  std::string token = rounds.add(std::move(round));
  return page_of(call, collection, token, *rounds.find(token), 0);
}

}  // namespace

std::string DeltaRounds::add(DeltaRound round) {
  if (m_salt.empty()) m_salt = base64url_encode(random_bytes(9));
  std::uint64_t number = m_next++;
  m_rounds.emplace(number, std::move(round));
  while (m_rounds.size() > kMaxRounds) m_rounds.erase(m_rounds.begin());
  return m_salt + std::to_string(number);
}

const DeltaRound* DeltaRounds::find(const std::string& token) const {
  if (m_salt.empty() || token.size() <= m_salt.size() || token.compare(0, m_salt.size(), m_salt) != 0) return nullptr;
  std::string digits = token.substr(m_salt.size());
  if (digits.find_first_not_of("0123456789") != std::string::npos) return nullptr;
  auto found = m_rounds.find(std::strtoull(digits.c_str(), nullptr, 10));
  return found == m_rounds.end() ? nullptr : &found->second;
}

void register_delta_routes(GraphRouter& router) {
  router.add("GET", "/groups/delta", [](GraphCall& call) { return delta(call, groups_set()); });
  router.add("GET", "/applications/delta", [](GraphCall& call) { return delta(call, applications_set()); });
  router.add("GET", "/servicePrincipals/delta", [](GraphCall& call) { return delta(call, service_principals_set()); });
}

}  // namespace idp_sim::graph
