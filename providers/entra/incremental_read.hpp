#pragma once
// Incremental reads of a Graph tenant (docs/incremental.md): a saved TenantSnapshot is brought up
// to date from the change feeds instead of being read again.
//   groups, applications, service principals: delta queries (deltaLink cursors), changed objects
//     merged in, removed ones dropped, and the relationships of exactly the groups and service
//     principals named re-read (members and owners; app role assignments);
//   app role assignments (and anything else the directory audit log names): directoryAudits
//     since the previous read, less Tuning::feed_margin, naming service principals and groups to re-read;
//   conditional access policies and named locations: small, listed in full again when the audit
//     log records a change to a policy or location (Graph allows one such request a second).

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "providers/entra/tenant_snapshot.hpp"

namespace idform::providers::entra {

// The version of the saved state's shape; a cache of another version is read in full.
// 4: each member and owner list one string of positions in `objects` (3 held them as JSON
// numbers, 2 the ids in every list, 1 whole directory objects); users and other object types
// once each.
inline constexpr const char* kStateVersion = "entra-state-4";

struct FeedCursors {
  std::string groups;              // deltaLinks
  std::string applications;
  std::string service_principals;
  std::string audits_since;        // ISO 8601 UTC: when the read that made the state started

  bool operator==(const FeedCursors&) const = default;
};

nlohmann::json encode_state(const TenantSnapshot& snapshot, const FeedCursors& cursors);
// nullopt when `state` is not a state this version wrote.
std::optional<std::pair<TenantSnapshot, FeedCursors>> decode_state(const nlohmann::json& state);
// The cursors alone, from a state's "cursors" (or the cache header's copy of them).
std::optional<FeedCursors> decode_cursors(const nlohmann::json& cursors);

// One delta query followed from a deltaLink to its next deltaLink.
struct DeltaRound {
  std::vector<nlohmann::json> entries;
  std::string delta_link;
  bool refused = false;  // Graph no longer knows the link (410 syncStateNotFound)
};

// The directory audit log since a cursor; `refused` says why it could not be read.
struct AuditRound {
  std::vector<nlohmann::json> entries;
  std::string refused;
};

// What the change feeds answered for a set of cursors: the three delta rounds and the audit log,
// fetched side by side. They need nothing of the saved state, so they can be fetched while it is
// still being parsed (EntraProvider::start_feeds).
struct FeedRounds {
  FeedCursors from;     // the cursors they answer
  std::string started;  // when fetching started (ISO 8601 UTC): the next read's audits_since
  DeltaRound groups;
  DeltaRound applications;
  DeltaRound principals;
  AuditRound audits;
};

Result<FeedRounds> fetch_feeds(GraphClient& graph, const FeedCursors& cursors);

// Before a full read: cursors from "now" ($deltatoken=latest), so that the changes made while the
// full read runs are reported again by the next incremental read.
Result<FeedCursors> latest_cursors(GraphClient& graph);

struct IncrementalRead {
  TenantSnapshot snapshot;
  FeedCursors cursors;
  std::string refused;  // non-empty: why the read is made in full (a refused cursor, an object gone)
};

// Applies the changes since `cursors` to `snapshot`, re-reading only what the feeds name, and
// resolves the users `scope` asks for. `fetched` is used when it answers these very cursors;
// otherwise the feeds are fetched here.
Result<IncrementalRead> read_changes(GraphClient& graph, TenantSnapshot snapshot, const FeedCursors& cursors,
                                     const ReadScope& scope, std::optional<FeedRounds> fetched = std::nullopt);

}  // namespace idform::providers::entra
