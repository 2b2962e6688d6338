// Graph throttling as documented for identity and access: resource units per app and tenant.
#include "graph/graph_throttle.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace idp_sim::graph {

namespace {
constexpr double kResourceUnitWindow = 10.0;
constexpr double kAppWriteLimit = 3000, kAppWriteWindow = 150.0;
constexpr double kTenantWriteLimit = 18000, kTenantWriteWindow = 300.0;

std::string format_number(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}
}  // namespace

RequestCost cost_of(const std::string& route, const SimRequest& request) {
  RequestCost cost;
  if (route.find("/identity/conditionalAccess/") != std::string::npos) {
    cost.kind = ThrottleClass::conditional_access;
    cost.resource_units = 0;
    cost.write = request.method != "GET";
    return cost;
  }
  if (request.method != "GET") {
    cost.write = true;
    cost.resource_units = 1;
    return cost;
  }
  double base = 1;
  if (route == "GET /applications" || route == "GET /applications/{id}") base = 2;
  else if (route.rfind("GET /groups/{id}/members", 0) == 0) base = 3;
  else if (route.rfind("GET /groups/{id}/transitiveMembers", 0) == 0) base = 5;
  else if (route == "GET /users" || route == "GET /users/{id}") base = 2;
  else if (route == "GET /servicePrincipals/{id}/appRoleAssignments") base = 2;
  double cost_units = base;
  if (request.has_query("$select")) cost_units -= 1;
  if (auto top = request.query_value("$top")) {
    if (std::atoi(top->c_str()) > 0 && std::atoi(top->c_str()) < 20) cost_units -= 1;
  }
  if (request.has_query("$expand")) cost_units += 1;
  cost.resource_units = std::max(1.0, cost_units);
  return cost;
}

GraphThrottle::GraphThrottle(SimClock& clock, bool enabled, std::string tenant_id)
    : m_clock(clock), m_enabled(enabled), m_tenant_id(std::move(tenant_id)),
      m_resource_units([this](const std::string&) {
        double budget = m_budget_override > 0 ? m_budget_override : budget_for(m_tenant_size, m_budget_users);
        return std::make_unique<TokenBucket>(budget, kResourceUnitWindow);
      }),
      m_app_writes([](const std::string&) { return std::make_unique<TokenBucket>(kAppWriteLimit, kAppWriteWindow); }),
      m_tenant_writes(std::make_unique<TokenBucket>(kTenantWriteLimit, kTenantWriteWindow)),
      m_conditional_access(std::make_unique<FixedWindow>(1, 1.0)) {}

double GraphThrottle::budget_for(const std::string& size, std::size_t tenant_users) {
  char effective = size == "auto" ? (tenant_users < 50 ? 'S' : tenant_users <= 500 ? 'M' : 'L') : size.at(0);
  if (effective == 'L') return 8000;
  if (effective == 'M') return 5000;
  return 3500;
}

void GraphThrottle::reset() {
  std::lock_guard lock(m_mutex);
  m_resource_units.clear();
  m_app_writes.clear();
  m_tenant_writes = std::make_unique<TokenBucket>(kTenantWriteLimit, kTenantWriteWindow);
  m_conditional_access = std::make_unique<FixedWindow>(1, 1.0);
}

ThrottleDecision GraphThrottle::reject(const std::string& scope, const std::string& information,
                                       double retry_after_seconds) {
  ThrottleDecision decision;
  decision.allowed = false;
  double real_seconds = retry_after_seconds * m_clock.time_scale();
  decision.headers["Retry-After"] = std::to_string(std::max<long long>(1, static_cast<long long>(std::ceil(real_seconds))));
  if (m_clock.time_scale() != 1.0) {
    decision.headers["retry-after-ms"] = std::to_string(static_cast<long long>(std::ceil(real_seconds * 1000)));
  }
  decision.headers["x-ms-throttle-scope"] = scope;
  decision.headers["x-ms-throttle-information"] = information;
  return decision;
}

ThrottleDecision GraphThrottle::check(const std::string& app_id, const RequestCost& cost, std::size_t tenant_users) {
  ThrottleDecision decision;
  if (cost.kind == ThrottleClass::none) return decision;
  double now = m_clock.now();
  std::lock_guard lock(m_mutex);
  if (cost.kind == ThrottleClass::conditional_access) {
    if (!m_enabled) return decision;
    auto window = m_conditional_access->take(now);
    if (!window.allowed) decision.allowed = false;  // no Retry-After, no throttle headers (documented)
    return decision;
  }
  m_budget_users = tenant_users;
  decision.resource_units = cost.resource_units;
  decision.headers["x-ms-resource-unit"] = format_number(cost.resource_units, 0);
  if (!m_enabled) return decision;
  std::string key = app_id + "/" + m_tenant_id;
  // Requests count even while the client is being throttled (throttling.md), so a rejected
  // request is still charged.
  auto units = m_resource_units.get(key).take(now, cost.resource_units, true);
  if (!units.allowed) {
    auto rejected = reject("Tenant_Application/ReadWrite/" + app_id + "/" + m_tenant_id, "ResourceUnitLimitExceeded",
                           units.retry_after_seconds);
    rejected.resource_units = cost.resource_units;
    rejected.headers["x-ms-resource-unit"] = decision.headers["x-ms-resource-unit"];
    return rejected;
  }
  if (cost.write) {
    auto app_writes = m_app_writes.get(key).take(now, 1, false);
    if (!app_writes.allowed) {
      auto rejected = reject("Tenant_Application/Write/" + app_id + "/" + m_tenant_id, "WriteLimitExceeded",
                             app_writes.retry_after_seconds);
      rejected.resource_units = cost.resource_units;
      return rejected;
    }
    auto tenant_writes = m_tenant_writes->take(now, 1, false);
    if (!tenant_writes.allowed) {
      auto rejected = reject("Tenant/Write/" + app_id + "/" + m_tenant_id, "WriteLimitExceeded",
                             tenant_writes.retry_after_seconds);
      rejected.resource_units = cost.resource_units;
      return rejected;
    }
  }
  if (units.used_fraction > 0.8) {
    decision.headers["x-ms-throttle-limit-percentage"] = format_number(std::min(1.8, units.used_fraction), 1);
  }
  return decision;
}

}  // namespace idp_sim::graph
