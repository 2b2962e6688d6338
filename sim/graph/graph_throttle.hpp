#pragma once
// Graph throttling as documented in GRAPH-DC throttling-limits.md ("Identity and access service
// limits" and "Identity protection and conditional access service limits"):
//  - a resource-unit (RU) token bucket per app+tenant, refilled every 10 s; its size depends on
//    the tenant size (S < 50 users: 3,500; M 50-500: 5,000; L > 500: 8,000 RU per 10 s);
//  - a write budget per app+tenant (3,000 writes per 2 min 30 s) and per tenant (18,000 per 5 min);
//  - documented costs: GET applications 2, GET groups/{id}/members 3, GET users 2,
//    GET servicePrincipals/{id}/appRoleAssignments 2, any other GET 1, writes 1 RU + 1 write;
//    $select -1, $top < 20 -1, $expand +1 (never below 1);
//  - conditional access policies and named locations: 1 request per second per tenant, and those
//    429s carry no Retry-After.
// All windows run on the virtual clock (--time-scale).
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/http_types.hpp"
#include "core/rate_limit.hpp"
#include "core/sim_clock.hpp"

namespace idp_sim::graph {

enum class ThrottleClass { identity, conditional_access, none };

struct RequestCost {
  ThrottleClass kind = ThrottleClass::identity;
  double resource_units = 1;
  bool write = false;
};

// Cost of a request given its matched route template ("GET /groups/{id}/members") and query.
RequestCost cost_of(const std::string& route, const SimRequest& request);

struct ThrottleDecision {
  bool allowed = true;
  Headers headers;            // x-ms-resource-unit, x-ms-throttle-* , Retry-After, retry-after-ms
  double resource_units = 0;  // charged
};

class GraphThrottle {
public:
  GraphThrottle(SimClock& clock, bool enabled, std::string tenant_id);

  // `tenant_users` picks the tenant size when the size is "auto".
  ThrottleDecision check(const std::string& app_id, const RequestCost& cost, std::size_t tenant_users);
  void set_tenant_size(const std::string& size) { m_tenant_size = size; }
  void set_budget_override(double budget) { m_budget_override = budget; }
  void reset();
  static double budget_for(const std::string& size, std::size_t tenant_users);

private:
  ThrottleDecision reject(const std::string& scope, const std::string& information, double retry_after_seconds);

  SimClock& m_clock;
  bool m_enabled;
  std::string m_tenant_id;
  std::string m_tenant_size = "auto";
  KeyedLimiters<TokenBucket> m_resource_units;
  KeyedLimiters<TokenBucket> m_app_writes;
  std::unique_ptr<TokenBucket> m_tenant_writes;
  std::unique_ptr<FixedWindow> m_conditional_access;
  std::mutex m_mutex;
  std::size_t m_budget_users = 0;
  double m_budget_override = 0;
};

}  // namespace idp_sim::graph
