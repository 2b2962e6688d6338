#pragma once
// Rate-limit primitives on the virtual clock (see sim_clock.hpp), shared by all flavors:
// a token bucket (Graph's resource-unit budget), a fixed window (Okta's per-minute buckets,
// Graph's 1 request/second for conditional access) and a concurrency gate (Okta's concurrent
// request limit). Each is thread-safe; KeyedLimiters holds one limiter per key (app, tenant, ...).
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace idp_sim {

class TokenBucket {
public:
  // `capacity` tokens, refilled continuously so that a full bucket takes `window_seconds`.
  TokenBucket(double capacity, double window_seconds);

  struct Result {
    bool allowed = false;
    double cost = 0;
    double remaining = 0;          // tokens left after this request
    double used_fraction = 0;      // (capacity - remaining) / capacity, may exceed 1
    double retry_after_seconds = 0;  // virtual seconds until `cost` tokens are available
  };
  // Takes `cost` tokens at virtual time `now`. A rejected request is still charged when
  // `charge_rejected` is set (the bucket may then go negative, down to -capacity).
  Result take(double now, double cost, bool charge_rejected);
  double capacity() const { return m_capacity; }

private:
  void refill(double now);
  std::mutex m_mutex;
  double m_capacity;
  double m_rate;  // tokens per virtual second
  double m_tokens;
  double m_last = 0;
  bool m_started = false;
};

class FixedWindow {
public:
  // At most `limit` requests per window of `window_seconds`; the first window starts at the
  // first request (not aligned to the clock).
  FixedWindow(int limit, double window_seconds);

  struct Result {
    bool allowed = false;
    int limit = 0;
    int remaining = 0;
    double reset_at = 0;  // virtual time at which the current window ends
  };
  Result take(double now);
  Result peek(double now);

private:
  void roll(double now);
  std::mutex m_mutex;
  int m_limit;
  double m_window;
  double m_window_start = 0;
  bool m_started = false;
  int m_used = 0;
};

class ConcurrencyGate {
public:
  explicit ConcurrencyGate(int limit) : m_limit(limit) {}
  // Returns false (and does not enter) when `limit` requests are already inside.
  bool try_enter();
  void leave();
  int limit() const { return m_limit; }
  int in_flight();

private:
  std::mutex m_mutex;
  int m_limit;
  int m_in_flight = 0;
};

template <class Limiter>
class KeyedLimiters {
public:
  using Factory = std::function<std::unique_ptr<Limiter>(const std::string& key)>;
  explicit KeyedLimiters(Factory factory) : m_factory(std::move(factory)) {}

  Limiter& get(const std::string& key) {
    std::lock_guard lock(m_mutex);
    auto& slot = m_limiters[key];
    if (!slot) slot = m_factory(key);
    return *slot;
  }
  void clear() {
    std::lock_guard lock(m_mutex);
    m_limiters.clear();
  }

private:
  std::mutex m_mutex;
  Factory m_factory;
  std::map<std::string, std::unique_ptr<Limiter>> m_limiters;
};

}  // namespace idp_sim
