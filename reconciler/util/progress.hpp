#pragma once
// Progress of long work (reading a tenant, applying a plan), reported by whoever does the work
// (providers, from any thread) and shown by whoever started it (the CLI's status line).
//
// Progress holds the current state; reporting is cheap and never blocks on output. A
// ProgressRelay lets parts made before a call — an HTTP client's hooks, a pacer — report into the
// Progress of whichever call is running, or nowhere when none is.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

#include "reconciler/util/clock.hpp"

namespace idform::util {

struct ProgressSnapshot {
  std::string phase;         // "reading the tenant"
  long long done = 0;        // objects read or changes applied in this phase
  long long total = -1;      // -1: not known
  long long requests = 0;    // requests sent since the work began
  std::string waiting_for;   // "Okta's /api/v1/apps window"; empty when not waiting
  std::chrono::steady_clock::time_point waiting_until{};
};

class Progress {
 public:
  // Waits are timed on `clock`'s steady time; compare a snapshot's waiting_until with clock().
  explicit Progress(Clock& clock = real_clock()) : m_clock(&clock) {}
  Clock& clock() const { return *m_clock; }

  void start_phase(std::string phase, long long total = -1);
  void add_done(long long count = 1);
  void add_request();
  // A wait of `duration` has begun for `what` ("Okta's /api/v1/apps window"); the next request
  // or end_wait() ends it.
  void begin_wait(std::string what, std::chrono::milliseconds duration);
  void end_wait();
  ProgressSnapshot snapshot() const;

 private:
  Clock* m_clock;
  mutable std::mutex m_mutex;
  ProgressSnapshot m_state;
};

// Calls may overlap (an apply runs several changes at once, all reporting to the same Progress):
// the relay stays attached until the last of them detaches.
class ProgressRelay {
 public:
  void attach(Progress* progress);
  void detach();
  Progress* current() const { return m_current.load(); }
  void add_done(long long count) const;
  void add_request() const;
  void begin_wait(std::string what, std::chrono::milliseconds duration) const;

 private:
  std::atomic<Progress*> m_current{nullptr};
  std::mutex m_mutex;
  int m_attached = 0;
};

// Attaches a Progress (which may be null) to a relay for the lifetime of the scope (a provider call).
class ProgressScope {
 public:
  ProgressScope(ProgressRelay& relay, Progress* progress) : m_relay(relay) { m_relay.attach(progress); }
  ~ProgressScope() { m_relay.detach(); }
  ProgressScope(const ProgressScope&) = delete;
  ProgressScope& operator=(const ProgressScope&) = delete;

 private:
  ProgressRelay& m_relay;
};

// "1m 05s", "41 s": a duration as the status line shows it.
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace idform::util
