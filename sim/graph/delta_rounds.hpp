#pragma once
// The state behind Graph delta queries (GRAPH-DC concepts/delta-query-overview.md, group-delta.md,
// application-delta.md, serviceprincipal-delta.md): every round of a delta query remembers what
// the collection looked like when it started (object id -> serialised object, and for groups the
// member ids), and the entries it is paging out. A $deltatoken names a round; the next round
// reports the difference between that snapshot and the current state. Rounds live in memory;
// the oldest are forgotten past kMaxRounds, and one older than seven (virtual) days is refused
// with 410, as Graph refuses identity delta links after seven days (devblogs.microsoft.com
// microsoft365dev "Duration of change tracking tokens for identity and education resources").
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace idp_sim::graph {

struct DeltaSnapshot {
  std::map<std::string, std::string> objects;                // id -> serialised object
  std::map<std::string, std::vector<std::string>> members;   // group id -> "kind/id" of members, sorted
};

struct DeltaRound {
  std::string collection;  // "groups", "applications", "servicePrincipals"
  double started = 0;      // virtual time
  DeltaSnapshot snapshot;
  std::vector<Json> entries;  // what this round reports, paged out by $skiptoken
};

class DeltaRounds {
public:
  static constexpr std::size_t kMaxRounds = 2000;
  static constexpr double kLifetimeSeconds = 7 * 24 * 3600.0;

  std::string add(DeltaRound round);  // returns its token
  const DeltaRound* find(const std::string& token) const;
  void clear() { m_rounds.clear(); }

private:
  std::map<std::uint64_t, DeltaRound> m_rounds;  // by number, oldest first
  std::uint64_t m_next = 1;
  std::string m_salt;
};

}  // namespace idp_sim::graph
