#pragma once
// Two clocks: the *virtual* clock that every vendor window and delay is measured on (rate-limit
// windows, Retry-After, consistency delays, slow responses), and the wall clock (token lifetimes,
// JWT exp/nbf, timestamps in payloads). Virtual time runs 1/time_scale times faster than real
// time, so `--time-scale 0.01` plays a 10-second throttling window in 100 ms while keeping every
// ratio. Tests can also jump the virtual clock forward (POST /_sim/clock) instead of sleeping.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace idp_sim {

class SimClock {
public:
  explicit SimClock(double time_scale = 1.0);

  double time_scale() const { return m_time_scale; }
  // Virtual seconds since the simulator started (including any advance()).
  double now() const;
  // Moves virtual time forward without waiting.
  void advance(double virtual_seconds);
  // Real duration that corresponds to a virtual duration.
  std::chrono::microseconds to_real(double virtual_seconds) const;
  void sleep_virtual(double virtual_seconds) const;

  // Wall clock, never scaled.
  static std::int64_t unix_seconds();
  static double unix_seconds_precise();
  // "2025-02-13T10:17:06" (Graph innerError.date style) and "...Z" with 7 fraction digits.
  static std::string utc_timestamp_seconds();
  static std::string utc_timestamp_precise();

private:
  double m_time_scale;
  std::chrono::steady_clock::time_point m_start;
  std::atomic<std::int64_t> m_offset_micros{0};
};

}  // namespace idp_sim
