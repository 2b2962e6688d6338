// The virtual clock vendor windows are measured on, and the real clock it is scaled from.
#include "core/sim_clock.hpp"

#include <cmath>
#include <ctime>
#include <thread>

namespace idp_sim {

SimClock::SimClock(double time_scale)
    : m_time_scale(time_scale > 0 ? time_scale : 1.0), m_start(std::chrono::steady_clock::now()) {}

double SimClock::now() const {
  auto real = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  return real / m_time_scale + static_cast<double>(m_offset_micros.load()) / 1e6;
}

void SimClock::advance(double virtual_seconds) {
  if (virtual_seconds > 0) m_offset_micros += static_cast<std::int64_t>(virtual_seconds * 1e6);
}

std::chrono::microseconds SimClock::to_real(double virtual_seconds) const {
  return std::chrono::microseconds(static_cast<std::int64_t>(std::ceil(virtual_seconds * m_time_scale * 1e6)));
}

void SimClock::sleep_virtual(double virtual_seconds) const {
  if (virtual_seconds > 0) std::this_thread::sleep_for(to_real(virtual_seconds));
}

std::int64_t SimClock::unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double SimClock::unix_seconds_precise() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {
std::string format_utc(std::time_t seconds) {
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  return buffer;
}
}  // namespace

std::string SimClock::utc_timestamp_seconds() { return format_utc(static_cast<std::time_t>(unix_seconds())); }

std::string SimClock::utc_timestamp_precise() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now);
  auto ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(now - seconds).count() / 100;
  char fraction[32];
  std::snprintf(fraction, sizeof fraction, ".%07lld", static_cast<long long>(ticks));
  return format_utc(static_cast<std::time_t>(seconds.count())) + fraction + "Z";
}

}  // namespace idp_sim
