// Rate-limit primitives on the virtual clock, shared by both flavors.
#include "core/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace idp_sim {

TokenBucket::TokenBucket(double capacity, double window_seconds)
    : m_capacity(capacity), m_rate(capacity / window_seconds), m_tokens(capacity) {}

void TokenBucket::refill(double now) {
  if (!m_started) {
    m_started = true;
    m_last = now;
    return;
  }
  if (now > m_last) {
    m_tokens = std::min(m_capacity, m_tokens + (now - m_last) * m_rate);
    m_last = now;
  }
}

TokenBucket::Result TokenBucket::take(double now, double cost, bool charge_rejected) {
  std::lock_guard lock(m_mutex);
  refill(now);
  Result result;
  result.cost = cost;
  if (m_tokens >= cost) {
    m_tokens -= cost;
    result.allowed = true;
  } else {
    double missing = cost - m_tokens;
    if (charge_rejected) {
      m_tokens = std::max(-m_capacity, m_tokens - cost);
      missing = cost - m_tokens;
    }
    result.retry_after_seconds = missing / m_rate;
  }
  result.remaining = m_tokens;
  result.used_fraction = (m_capacity - m_tokens) / m_capacity;
  return result;
}

FixedWindow::FixedWindow(int limit, double window_seconds) : m_limit(limit), m_window(window_seconds) {}

void FixedWindow::roll(double now) {
  if (!m_started || now >= m_window_start + m_window) {
    m_started = true;
    m_window_start = now;
    m_used = 0;
  }
}

FixedWindow::Result FixedWindow::take(double now) {
  std::lock_guard lock(m_mutex);
  roll(now);
  Result result;
  result.limit = m_limit;
  result.reset_at = m_window_start + m_window;
  if (m_used < m_limit) {
    ++m_used;
    result.allowed = true;
  }
  result.remaining = std::max(0, m_limit - m_used);
  return result;
}

FixedWindow::Result FixedWindow::peek(double now) {
  std::lock_guard lock(m_mutex);
  roll(now);
  return Result{m_used < m_limit, m_limit, std::max(0, m_limit - m_used), m_window_start + m_window};
}

bool ConcurrencyGate::try_enter() {
  std::lock_guard lock(m_mutex);
  if (m_in_flight >= m_limit) return false;
  ++m_in_flight;
  return true;
}

void ConcurrencyGate::leave() {
  std::lock_guard lock(m_mutex);
  if (m_in_flight > 0) --m_in_flight;
}

int ConcurrencyGate::in_flight() {
  std::lock_guard lock(m_mutex);
  return m_in_flight;
}

}  // namespace idp_sim
