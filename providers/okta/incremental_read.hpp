#pragma once
// Incremental reads of an Okta org (docs/incremental.md): a saved TenantSnapshot is brought up to
// date instead of being read again. The lists of groups, apps, ACCESS_POLICY policies and zones
// are one page each on most orgs and are read in full (that is also how deletions are seen); the
// expensive per-object lists are re-read only where something says they changed:
//   members of a group whose lastMembershipUpdated differs from the cached one, or that the System
//     Log names in a group.user_membership.add/remove event;
//   group assignments of an app that is new, or that a group.application_assignment.add/remove
//     event names;
//   rules of a policy that is new, whose lastUpdated differs, or that a policy.* event names.
// The System Log is read from the start of the previous read less Tuning::feed_margin.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "providers/okta/tenant_snapshot.hpp"

namespace idform::providers::okta {

inline constexpr const char* kStateVersion = "okta-state-1";

struct FeedCursors {
  std::string log_since;  // ISO 8601 UTC: when the read that made the state started
};

nlohmann::json encode_state(const TenantSnapshot& snapshot, const FeedCursors& cursors);
std::optional<std::pair<TenantSnapshot, FeedCursors>> decode_state(const nlohmann::json& state);
// The cursor of a full read that starts now.
FeedCursors cursors_from_now();

struct IncrementalRead {
  TenantSnapshot snapshot;
  FeedCursors cursors;
  std::string refused;  // non-empty: why the read is made in full (no System Log, an object gone)
};

Result<IncrementalRead> read_changes(OktaClient& okta, TenantSnapshot snapshot, const FeedCursors& cursors,
                                     const ReadScope& scope);

}  // namespace idform::providers::okta
