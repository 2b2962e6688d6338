// Bucket table and accounting for Okta's per-minute rate limits. Quotas come from Okta's
// "Management rate limits" page (developer.okta.com/docs/reference/rl-global-mgmt/, columns
// Integrator Free / One App / Enterprise / Workforce identity); "Get a user by ID" from the
// previous edition of that page; the org authorization server's /oauth2/v1/token from
// rl-global-enduser. A request is counted in its org-wide bucket and, when authenticated, in the
// caller's share of that bucket; it is refused when either is empty and then consumes neither.
#include "okta/okta_rate_limit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace idp_sim::okta {

namespace {

constexpr double kWindowSeconds = 60;

const std::array<std::string, 4> kPlans = {"integrator-free", "one-app", "enterprise", "workforce"};

const std::map<std::string, std::array<int, 4>>& bucket_table() {
  static const std::map<std::string, std::array<int, 4>> table = {
      {"/api/v1/apps*", {20, 100, 100, 100}},
      {"/api/v1/apps/{id}", {100, 600, 600, 500}},
      {"/api/v1/groups", {100, 600, 600, 500}},
      {"/api/v1/groups/{id}", {100, 600, 600, 1000}},
      {"/api/v1/users", {100, 600, 600, 600}},
      {"/api/v1/users/{idOrLogin}", {100, 300, 1000, 2000}},
      {"/api/v1", {100, 600, 600, 1200}},
      {"/oauth2/v1/token", {300, 1200, 1200, 2000}},
  };
  return table;
}

int plan_index(const std::string& plan) {
  for (std::size_t i = 0; i < kPlans.size(); ++i) {
    if (kPlans[i] == plan) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

bool known_plan(const std::string& plan) { return plan_index(plan) >= 0; }

std::string bucket_of(const std::string& method, const std::string& route_path) {
  if (route_path == "/oauth2/v1/token") return "/oauth2/v1/token";
  if (route_path == "/api/v1/apps/{appId}") return "/api/v1/apps/{id}";
  if (route_path.rfind("/api/v1/apps", 0) == 0) return "/api/v1/apps*";
  if (route_path == "/api/v1/groups") return "/api/v1/groups";
  if (route_path == "/api/v1/groups/{groupId}") return "/api/v1/groups/{id}";
  if (route_path == "/api/v1/users" && (method == "GET" || method == "POST")) return "/api/v1/users";
  if (route_path == "/api/v1/users/{userId}" && method == "GET") return "/api/v1/users/{idOrLogin}";
  return "/api/v1";
}

int bucket_limit(const std::string& bucket, const std::string& plan) {
  int index = plan_index(plan);
  auto it = bucket_table().find(bucket);
  if (index < 0 || it == bucket_table().end()) return -1;
  return it->second[static_cast<std::size_t>(index)];
}

OktaRateLimiter::OktaRateLimiter(SimClock& clock, const OktaSettings& settings, bool enabled)
    : m_clock(clock),
      m_settings(settings),
      m_enabled(enabled),
      m_org([&settings](const std::string& bucket) {
        return std::make_unique<FixedWindow>(std::max(1, bucket_limit(bucket, settings.plan)), kWindowSeconds);
      }),
      m_principal([&settings](const std::string& key) {
        std::string bucket = key.substr(0, key.find('|'));
        int limit = bucket_limit(bucket, settings.plan);
        return std::make_unique<FixedWindow>(std::max(1, static_cast<int>(std::floor(limit * settings.client_share))),
                                             kWindowSeconds);
      }),
      m_concurrency(settings.concurrency_limit) {}

std::string OktaRateLimiter::epoch_of(double virtual_time) const {
  double wall = SimClock::unix_seconds_precise() + (virtual_time - m_clock.now()) * m_clock.time_scale();
  return std::to_string(static_cast<long long>(std::ceil(wall)));
}

OktaRateLimiter::Decision OktaRateLimiter::take(const std::string& bucket, const std::string& principal) {
  double now = m_clock.now();
  FixedWindow& org = m_org.get(bucket);
  FixedWindow* own = principal.empty() || m_settings.client_share >= 1.0 ? nullptr
                                                                          : &m_principal.get(bucket + "|" + principal);
  FixedWindow::Result org_state = org.peek(now);
  FixedWindow::Result own_state = own ? own->peek(now) : org_state;
  Decision decision;
  decision.allowed = !m_enabled || (org_state.allowed && own_state.allowed);
  if (org_state.allowed && own_state.allowed) {
    org_state = org.take(now);
    if (own) own_state = own->take(now);
  }
  // The binding limit is the caller's share when there is one, and the remaining count is what
  // is left in whichever of the two buckets runs out first.
  const FixedWindow::Result& binding = (own && own_state.remaining <= org_state.remaining) ? own_state : org_state;
  decision.headers["X-Rate-Limit-Limit"] = std::to_string(own ? own_state.limit : org_state.limit);
  decision.headers["X-Rate-Limit-Remaining"] = std::to_string(std::min(org_state.remaining, own_state.remaining));
  decision.headers["X-Rate-Limit-Reset"] = epoch_of(binding.reset_at);
  return decision;
}

Headers OktaRateLimiter::peek(const std::string& bucket) {
  FixedWindow::Result state = m_org.get(bucket).peek(m_clock.now());
  Headers headers;
  headers["X-Rate-Limit-Limit"] = std::to_string(state.limit);
  headers["X-Rate-Limit-Remaining"] = std::to_string(state.remaining);
  headers["X-Rate-Limit-Reset"] = epoch_of(state.reset_at);
  return headers;
}

bool OktaRateLimiter::try_enter() { return !m_enabled || m_concurrency.try_enter(); }

void OktaRateLimiter::leave() {
  if (m_enabled) m_concurrency.leave();
}

Headers OktaRateLimiter::concurrency_headers() const {
  // Okta: "the first two headers are 0 and X-Rate-Limit-Reset is an estimate"; one second ahead.
  Headers headers;
  headers["X-Rate-Limit-Limit"] = "0";
  headers["X-Rate-Limit-Remaining"] = "0";
  headers["X-Rate-Limit-Reset"] = epoch_of(m_clock.now() + 1);
  return headers;
}

void OktaRateLimiter::reset() {
  m_org.clear();
  m_principal.clear();
}

Json OktaRateLimiter::describe() {
  Json buckets = Json::object();
  for (const auto& [bucket, limits] : bucket_table()) buckets[bucket] = bucket_limit(bucket, m_settings.plan);
  return {{"enabled", m_enabled},
          {"plan", m_settings.plan},
          {"client_share", m_settings.client_share},
          {"concurrency_limit", m_settings.concurrency_limit},
          {"window_seconds", kWindowSeconds},
          {"buckets_per_minute", buckets}};
}

}  // namespace idp_sim::okta
