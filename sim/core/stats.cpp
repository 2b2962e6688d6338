// Request accounting for /_sim/stats.
#include "core/stats.hpp"

#include <algorithm>

namespace idp_sim {

void Stats::request_started() {
  std::lock_guard lock(m_mutex);
  ++m_in_flight;
  m_peak_concurrency = std::max(m_peak_concurrency, m_in_flight);
}

void Stats::request_finished(const std::string& route, int status, double resource_units, bool throttled) {
  std::lock_guard lock(m_mutex);
  --m_in_flight;
  ++m_requests;
  ++m_by_route[route];
  ++m_by_status[std::to_string(status)];
  m_resource_units += resource_units;
  if (throttled) ++m_throttled;
}

void Stats::batch_item_finished(const std::string& route, int status, double resource_units, bool throttled) {
  std::lock_guard lock(m_mutex);
  ++m_batch_items;
  ++m_batch_by_route[route];
  ++m_by_status[std::to_string(status)];
  m_resource_units += resource_units;
  if (throttled) ++m_throttled;
}

void Stats::fault_injected(const std::string& kind) {
  std::lock_guard lock(m_mutex);
  ++m_faults[kind];
}

void Stats::request_abandoned(const std::string& route) {
  std::lock_guard lock(m_mutex);
  --m_in_flight;
  ++m_requests;
  ++m_by_route[route];
}

Json Stats::to_json() const {
  std::lock_guard lock(m_mutex);
  Json out;
  out["requests_total"] = m_requests;
  out["requests"] = Json::object();
  for (const auto& [route, count] : m_by_route) out["requests"][route] = count;
  out["batch_items_total"] = m_batch_items;
  out["batch_items"] = Json::object();
  for (const auto& [route, count] : m_batch_by_route) out["batch_items"][route] = count;
  out["status"] = Json::object();
  for (const auto& [status, count] : m_by_status) out["status"][status] = count;
  out["throttled"] = m_throttled;
  out["resource_units"] = m_resource_units;
  out["peak_concurrency"] = m_peak_concurrency;
  out["in_flight"] = m_in_flight;
  out["faults"] = Json::object();
  for (const auto& kind : {"dropped", "error", "slow"}) out["faults"][kind] = 0;
  for (const auto& [kind, count] : m_faults) out["faults"][kind] = count;
  return out;
}

void Stats::reset() {
  std::lock_guard lock(m_mutex);
  m_requests = 0;
  m_by_route.clear();
  m_by_status.clear();
  m_batch_by_route.clear();
  m_faults.clear();
  m_batch_items = 0;
  m_throttled = 0;
  m_resource_units = 0;
  m_peak_concurrency = m_in_flight;
}

}  // namespace idp_sim
