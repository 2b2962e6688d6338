#pragma once
// Shows the progress of long work on stderr, never on stdout.
//
// On a terminal: a status line redrawn a few times a second ("reading the tenant: 1,200
// objects, 37 requests, waiting 41 s for Okta's /api/v1/apps window"), erased when the work ends.
// Otherwise (CI logs): the same text as a timestamped line every `interval`, starting one
// interval in, so short commands print nothing and long ones are never silent for long.

#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>

#include "reconciler/util/progress.hpp"

namespace idform::cli {

struct ProgressSettings {
  bool enabled = true;   // false with --quiet
  bool terminal = false;  // stderr is a terminal
  std::chrono::milliseconds interval{5000};  // between lines when not on a terminal
};

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& err, ProgressSettings settings);
  ~ProgressDisplay();  // stops and erases the status line
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  // What providers and commands report into; null when progress is off.
  util::Progress* progress() { return m_settings.enabled ? &m_progress : nullptr; }

 private:
  void run();
  void show(bool as_line);

  std::ostream& m_err;
  ProgressSettings m_settings;
  util::Progress m_progress;
  std::chrono::steady_clock::time_point m_started = m_progress.clock().steady_now();
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  bool m_line_shown = false;
  std::thread m_thread;
};

// "reading the tenant: 1,200 of 5,000 objects, 37 requests, waiting 41 s for ..."
std::string describe(const util::ProgressSnapshot& state, std::chrono::steady_clock::time_point now);

}  // namespace idform::cli
