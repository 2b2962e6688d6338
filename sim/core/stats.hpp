#pragma once
// Request accounting for /_sim/stats: what a benchmark or test needs to assert on how a client
// behaved (calls per route, throttled calls, cost units, concurrency), independent of flavor.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "core/json.hpp"

namespace idp_sim {

class Stats {
public:
  // Call at the start/end of every HTTP request (not for /_sim/*).
  void request_started();
  void request_finished(const std::string& route, int status, double resource_units, bool throttled);
  // A request inside a flavor's batch envelope (counted separately from HTTP requests).
  void batch_item_finished(const std::string& route, int status, double resource_units, bool throttled);
  // Injected faults: "dropped", "error", "slow".
  void fault_injected(const std::string& kind);
  // A request that was dropped never finishes normally; this balances request_started().
  void request_abandoned(const std::string& route);

  Json to_json() const;
  void reset();

private:
  mutable std::mutex m_mutex;
  std::uint64_t m_requests = 0;
  std::map<std::string, std::uint64_t> m_by_route;
  std::map<std::string, std::uint64_t> m_by_status;
  std::map<std::string, std::uint64_t> m_batch_by_route;
  std::map<std::string, std::uint64_t> m_faults;
  std::uint64_t m_batch_items = 0;
  std::uint64_t m_throttled = 0;
  double m_resource_units = 0;
  int m_in_flight = 0;
  int m_peak_concurrency = 0;
};

}  // namespace idp_sim
