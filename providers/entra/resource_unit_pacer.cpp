// Paces Graph reads by resource units, so idform stays inside Graph's budget instead of meeting 429s.
#include "providers/entra/resource_unit_pacer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <utility>

namespace idform::providers::entra {
namespace {

using Seconds = std::chrono::duration<double>;

constexpr double kDecrease = 0.95;        // once per 429 episode while pacing
constexpr double kIncrease = 1.001;       // per answer that shows budget left over (+2 % per envelope)
constexpr double kProbe = 1.0002;         // per answer, when Graph sends no percentage header
constexpr double kCeiling = 2.0;          // raises stop at twice the first estimate
constexpr double kLowestRate = 1.0;       // RU per second: never stop altogether

// Object ids in Graph paths are GUIDs; any other segment with a digit is taken for an id too
// (short ids in tests), except an API version such as "v1.0".
bool looks_like_id(const std::string& segment) {
  if (segment.empty()) return false;
  bool version = segment.size() >= 2 && segment[0] == 'v' && std::isdigit(static_cast<unsigned char>(segment[1]));
  bool digit = std::any_of(segment.begin(), segment.end(), [](unsigned char c) { return std::isdigit(c); });
  return !version && (digit || segment.find('-') != std::string::npos);
}

}  // namespace

ResourceUnitPacer::ResourceUnitPacer(util::Clock& clock, std::chrono::milliseconds window)
    : m_clock(clock), m_window(std::chrono::duration_cast<Seconds>(window).count()) {}

std::string ResourceUnitPacer::shape_of(const std::string& url) {
  std::string path = url.substr(0, url.find('?'));
  if (auto scheme = path.find("://"); scheme != std::string::npos) {
    auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
  }
  std::string shape;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    if (start > 0) shape += '/';
    shape += looks_like_id(segment) ? "{id}" : segment;
    start = end + 1;
  }
  return shape;
}

double ResourceUnitPacer::estimate(const std::string& url) const {
  std::lock_guard lock(m_mutex);
  auto found = m_costs.find(shape_of(url));
  return found == m_costs.end() ? 1.0 : found->second;
}

std::string ResourceUnitPacer::take_start_note() {
  std::lock_guard lock(m_mutex);
  return std::exchange(m_start_note, std::string());
}

bool ResourceUnitPacer::pacing() const {
  std::lock_guard lock(m_mutex);
  return m_pacing;
}

double ResourceUnitPacer::rate_per_second() const {
  std::lock_guard lock(m_mutex);
  return m_pacing ? m_rate : 0;
}

void ResourceUnitPacer::refill(std::chrono::steady_clock::time_point now) {
  if (now <= m_last) return;
  double elapsed = std::chrono::duration_cast<Seconds>(now - m_last).count();
  m_tokens = std::min(m_rate * m_window, m_tokens + elapsed * m_rate);
  m_last = now;
}

std::chrono::milliseconds ResourceUnitPacer::reserve(double units) {
  std::lock_guard lock(m_mutex);
  auto now = m_clock.steady_now();
  if (!m_started) {
    m_started = true;
    m_first = now;
  }
  if (!m_pacing) return std::chrono::milliseconds(0);
  refill(now);
  m_tokens -= units;
  m_binding = m_tokens < 0;
  if (!m_binding) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(-m_tokens / m_rate * 1000.0)));
}

void ResourceUnitPacer::start_pacing(std::chrono::steady_clock::time_point now, double used_fraction) {
  double elapsed = std::chrono::duration_cast<Seconds>(now - m_first).count();
  double fraction = std::clamp(used_fraction, 0.0, 1.0);
  // The model assumes the budget was untouched when this client began; if other work had spent
  // part of it, the estimate comes out low, and the raises below recover it.
  m_rate = std::max(kLowestRate, m_charged / (m_window * fraction + elapsed));
  m_ceiling = kCeiling * m_rate;
  char note[200];
  std::snprintf(note, sizeof note, "%.0f RU charged in %.2f s, %.0f %% of the budget used: pacing at %.0f RU/s",
                m_charged, elapsed, used_fraction * 100, m_rate);
  m_start_note = note;
  // What is left is uncertain by the header's rounding (one decimal: 0.8 is up to 0.85) and by
  // the requests still in flight, already charged but not yet answered (a few envelopes, about
  // 2 % of a budget): count on four fifths of the rest.
  m_tokens = m_rate * m_window * std::max(0.0, 1.0 - fraction - 0.05) * 0.8;
  m_last = now;
  m_pacing = true;
}

void ResourceUnitPacer::observe(const Answer& answer) {
  std::lock_guard lock(m_mutex);
  auto now = m_clock.steady_now();
  if (!m_started) {
    m_started = true;
    m_first = now;
  }
  if (answer.charged) m_costs[shape_of(answer.url)] = *answer.charged;
  double charged = answer.charged.value_or(answer.reserved);
  if (m_pacing) {
    // The reservation was an estimate; the bucket owes the difference.
    refill(now);
    m_tokens -= charged - answer.reserved;
  } else if (!answer.throttled) {
    m_charged += charged;
  }

  if (answer.throttled) {
    if (!m_pacing) start_pacing(now, 1.0);
    else if (now >= m_no_decrease_before) m_rate = std::max(kLowestRate, m_rate * kDecrease);
    auto wait = answer.retry_after.value_or(std::chrono::milliseconds(1000));
    m_no_decrease_before = now + wait;
    // Nothing more goes out before Retry-After: the budget is in debt until then.
    m_tokens = std::min(m_tokens, -m_rate * std::chrono::duration_cast<Seconds>(wait).count());
    return;
  }
  if (answer.used_fraction && *answer.used_fraction >= 0.8) {
    m_percentage_seen = true;
    if (!m_pacing) start_pacing(now, *answer.used_fraction);
    return;
  }
  // Raising a rate that holds nothing back proves nothing and only lets it run away.
  if (!m_pacing || !m_binding) return;
  // An answer without the header says budget is left over only once answers are known to carry
  // it; without it, the rate creeps up until a 429 says it is too high.
  m_rate = std::min(m_ceiling, m_rate * (m_percentage_seen ? kIncrease : kProbe));
}

}  // namespace idform::providers::entra
