#pragma once
// Okta's rate limits (OKTA-DOCS rate-limits overview, rl-global-mgmt, rl-global-enduser,
// rl2-token-oauth, rl-additional-limits, rl-best-practices):
//  - per-minute buckets by endpoint, the quota depending on the plan (table in okta_rate_limit.cpp);
//    the window starts with the first request, not on the clock minute;
//  - each API token or OAuth service app may use at most `client_share` of a bucket (default 50 %);
//  - every response carries X-Rate-Limit-Limit / -Remaining / -Reset (UTC epoch seconds) for the
//    bucket of the request; an empty bucket answers 429 E0000047;
//  - a concurrent-request limit per org (75): the request over it gets 429 with Limit and
//    Remaining 0 and an estimated Reset.
// Windows run on the virtual clock (--time-scale); Reset is translated back to wall-clock epoch.
#include <string>

#include "core/http_types.hpp"
#include "core/json.hpp"
#include "core/rate_limit.hpp"
#include "core/sim_clock.hpp"
#include "okta/okta_settings.hpp"

namespace idp_sim::okta {

// The bucket a request belongs to, from its method and route template
// ("GET /api/v1/groups/{groupId}" -> "/api/v1/groups/{id}").
std::string bucket_of(const std::string& method, const std::string& route_path);
// Per-minute quota of a bucket for a plan; -1 for an unknown plan.
int bucket_limit(const std::string& bucket, const std::string& plan);
bool known_plan(const std::string& plan);

class OktaRateLimiter {
public:
  OktaRateLimiter(SimClock& clock, const OktaSettings& settings, bool enabled);

  struct Decision {
    bool allowed = true;
    Headers headers;
  };
  // Counts one request of `principal` ("" when unauthenticated) against `bucket`.
  Decision take(const std::string& bucket, const std::string& principal);
  // The org bucket's headers without counting a request (for injected faults).
  Headers peek(const std::string& bucket);

  // Concurrency gate; try_enter() false means "answer 429 now".
  bool try_enter();
  void leave();
  Headers concurrency_headers() const;

  void reset();
  Json describe();

private:
  std::string epoch_of(double virtual_time) const;

  SimClock& m_clock;
  const OktaSettings& m_settings;
  bool m_enabled;
  KeyedLimiters<FixedWindow> m_org;
  KeyedLimiters<FixedWindow> m_principal;
  ConcurrencyGate m_concurrency;
};

}  // namespace idp_sim::okta
