#pragma once
// Okta's System Log for the changes idp-sim makes (OKTA-DOCS System Log API: GET /api/v1/logs
// with since, until, filter, q, limit, sortOrder, after; LogEvent objects; Event Types catalog).
// Every successful write through the API records the event Okta records for it (for example
// group.user_membership.add, application.lifecycle.update, policy.rule.update, zone.delete),
// with the caller as actor and the changed objects as targets; so does a reset of the tenant to
// its seed through /_sim/reset (drift made "in the portal", actor idp-sim).
#include <mutex>
#include <string>
#include <vector>

#include "core/http_types.hpp"
#include "core/router.hpp"

namespace idp_sim::okta {

struct Caller;

class SystemLog {
public:
  // Records the event of a successful API write, if that route has one. `body` is the response body.
  void record_api_write(const std::string& route, const PathParams& params, const SimResponse& response,
                        const Caller& caller, const SimRequest& request);
  // Records an event made outside the API (a reset to the seed through /_sim).
  void record(const std::string& event_type, const std::string& message, Json targets, const Json& actor);
  // GET /api/v1/logs.
  SimResponse list(const SimRequest& request) const;
  void clear();

private:
  mutable std::mutex m_mutex;
  std::vector<Json> m_events;  // in publication order
  std::vector<long long> m_published_ms;
};

}  // namespace idp_sim::okta
