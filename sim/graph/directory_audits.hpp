#pragma once
// The directory audit log for what delta queries do not track (GRAPH-DC
// directoryaudit-list.md, resources/directoryaudit.md; activity names as Entra's audit log shows
// them): app role assignments granted and removed, conditional access policies and named
// locations added, updated and deleted. Entries are recorded when such a write succeeds and
// served by GET /auditLogs/directoryAudits, newest first, with $top, $filter on
// activityDateTime (ge, le, gt, lt), category, activityDisplayName, loggedByService and
// operationType (eq) joined by "and", and @odata.nextLink paging.
#include <string>
#include <vector>

#include "core/http_types.hpp"
#include "core/router.hpp"
#include "graph/graph_auth.hpp"

namespace idp_sim::graph {

struct GraphCall;

class DirectoryAudits {
public:
  // `before` is the object a DELETE removed (its last state), or null.
  void record_write(const std::string& route, const PathParams& params, const SimResponse& response,
                    const Caller& caller, const Json& before);
  SimResponse list(GraphCall& call) const;
  void clear() { m_entries.clear(); }

private:
  std::vector<Json> m_entries;  // oldest first
};

}  // namespace idp_sim::graph
