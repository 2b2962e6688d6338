// Progress state shared between the threads doing the work and the thread showing it.
#include "reconciler/util/progress.hpp"

namespace idform::util {

void Progress::start_phase(std::string phase, long long total) {
  std::lock_guard lock(m_mutex);
  m_state.phase = std::move(phase);
  m_state.done = 0;
  m_state.total = total;
  m_state.waiting_for.clear();
}

void Progress::add_done(long long count) {
  std::lock_guard lock(m_mutex);
  m_state.done += count;
}

void Progress::add_request() {
  std::lock_guard lock(m_mutex);
  ++m_state.requests;
  m_state.waiting_for.clear();
}

void Progress::begin_wait(std::string what, std::chrono::milliseconds duration) {
  std::lock_guard lock(m_mutex);
  m_state.waiting_for = std::move(what);
  m_state.waiting_until = m_clock->steady_now() + duration;
}

void Progress::end_wait() {
  std::lock_guard lock(m_mutex);
  m_state.waiting_for.clear();
}

ProgressSnapshot Progress::snapshot() const {
  std::lock_guard lock(m_mutex);
  return m_state;
}

void ProgressRelay::attach(Progress* progress) {
  std::lock_guard lock(m_mutex);
  if (m_attached++ == 0 || progress) m_current.store(progress);
}

void ProgressRelay::detach() {
  std::lock_guard lock(m_mutex);
  if (--m_attached == 0) m_current.store(nullptr);
}

void ProgressRelay::add_done(long long count) const {
  if (Progress* progress = m_current.load()) progress->add_done(count);
}

void ProgressRelay::add_request() const {
  if (Progress* progress = m_current.load()) progress->add_request();
}

void ProgressRelay::begin_wait(std::string what, std::chrono::milliseconds duration) const {
  if (Progress* progress = m_current.load()) progress->begin_wait(std::move(what), duration);
}

std::string format_duration(std::chrono::milliseconds duration) {
  long long seconds = (duration.count() + 999) / 1000;
  if (seconds < 60) return std::to_string(seconds) + " s";
  std::string rest = std::to_string(seconds % 60);
  return std::to_string(seconds / 60) + "m " + (rest.size() == 1 ? "0" : "") + rest + "s";
}

}  // namespace idform::util
