// The real clock (system time, sleep_for, a random engine per thread) and the tests' FakeClock.
#include "reconciler/util/clock.hpp"

#include <random>
#include <thread>

namespace idform::util {
namespace {

class RealClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steady_now() override { return std::chrono::steady_clock::now(); }
  void sleep(std::chrono::milliseconds delay) override { std::this_thread::sleep_for(delay); }
  double random() override {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  }
};

}  // namespace

Clock& real_clock() {
  static RealClock clock;
  return clock;
}

FakeClock::FakeClock(std::chrono::system_clock::time_point start, double draw) : m_now(start), m_draw(draw) {}

std::chrono::system_clock::time_point FakeClock::now() {
  std::lock_guard lock(m_mutex);
  return m_now;
}

std::chrono::steady_clock::time_point FakeClock::steady_now() {
  std::lock_guard lock(m_mutex);
  return std::chrono::steady_clock::time_point(m_elapsed);
}

void FakeClock::sleep(std::chrono::milliseconds delay) {
  std::lock_guard lock(m_mutex);
  m_sleeps.push_back(delay);
  m_now += delay;
  m_elapsed += delay;
}

double FakeClock::random() { return m_draw; }

void FakeClock::advance(std::chrono::milliseconds delay) {
  std::lock_guard lock(m_mutex);
  m_now += delay;
  m_elapsed += delay;
}

void FakeClock::set_now(std::chrono::system_clock::time_point when) {
  std::lock_guard lock(m_mutex);
  m_now = when;
}

std::vector<std::chrono::milliseconds> FakeClock::sleeps() const {
  std::lock_guard lock(m_mutex);
  return m_sleeps;
}

std::chrono::milliseconds FakeClock::slept() const {
  std::lock_guard lock(m_mutex);
  std::chrono::milliseconds total{0};
  for (auto delay : m_sleeps) total += delay;
  return total;
}

}  // namespace idform::util
