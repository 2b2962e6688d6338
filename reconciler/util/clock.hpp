#pragma once
// Time and chance behind one interface: everything that waits, measures an interval, reads the
// time or draws jitter asks a Clock, so a test replaces all of it with one FakeClock instead of
// a bundle of hooks. real_clock() is the process's.

#include <chrono>
#include <mutex>
#include <vector>

namespace idform::util {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time: token lifetimes, rate-limit windows the vendor gives in epoch seconds.
  virtual std::chrono::system_clock::time_point now() = 0;
  // Monotonic time, for intervals measured here (a resource-unit budget refilling).
  virtual std::chrono::steady_clock::time_point steady_now() = 0;
  virtual void sleep(std::chrono::milliseconds delay) = 0;
  // A draw from [0, 1), for jitter.
  virtual double random() = 0;
};

// The system's clocks, std::this_thread::sleep_for, and a random engine per thread. Thread-safe.
Clock& real_clock();

// A clock for tests that moves only when someone sleeps on it or calls advance(), and always
// draws the same number. It records every sleep. Thread-safe.
class FakeClock : public Clock {
 public:
  // 2026-01-01T00:00:00Z
  static constexpr std::chrono::seconds kDefaultStart{1767225600};

  explicit FakeClock(std::chrono::system_clock::time_point start = std::chrono::system_clock::time_point(kDefaultStart),
                     double draw = 0.5);

  std::chrono::system_clock::time_point now() override;
  std::chrono::steady_clock::time_point steady_now() override;
  void sleep(std::chrono::milliseconds delay) override;  // records it and advances by it
  double random() override;

  void advance(std::chrono::milliseconds delay);  // time passes without a sleep
  void set_now(std::chrono::system_clock::time_point when);
  std::vector<std::chrono::milliseconds> sleeps() const;
  std::chrono::milliseconds slept() const;  // the sum of sleeps()

 private:
  mutable std::mutex m_mutex;
  std::chrono::system_clock::time_point m_now;
  std::chrono::milliseconds m_elapsed{0};  // steady time since construction
  double m_draw;
  std::vector<std::chrono::milliseconds> m_sleeps;
};

}  // namespace idform::util
