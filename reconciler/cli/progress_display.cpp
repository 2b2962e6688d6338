// The progress display: one thread that wakes on a timer, reads the shared Progress and writes
// it to stderr — as a redrawn status line on a terminal, as timestamped lines elsewhere. Writers
// of stderr share util::stderr_mutex, so a -v request log line never lands inside the status line.

#include "reconciler/cli/progress_display.hpp"

#include <ostream>

#include "reconciler/util/log_line.hpp"

namespace idform::cli {
namespace {

constexpr std::chrono::milliseconds kRedraw{200};
constexpr std::chrono::milliseconds kFirstDraw{500};  // a quick command never flashes a line
constexpr size_t kTerminalWidth = 100;

std::string thousands(long long value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string describe(const util::ProgressSnapshot& state, std::chrono::steady_clock::time_point now) {
  std::string text = state.phase.empty() ? "working" : state.phase;
  std::string counts;
  if (state.total >= 0) counts = thousands(state.done) + " of " + thousands(state.total);
  else if (state.done > 0) counts = thousands(state.done);
  if (!counts.empty()) text += ": " + counts + (state.phase.starts_with("apply") ? " changes" : " objects");
  if (state.requests > 0)
    text += (counts.empty() ? ": " : ", ") + thousands(state.requests) + " request" + (state.requests == 1 ? "" : "s");
  if (!state.waiting_for.empty() && state.waiting_until > now) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(state.waiting_until - now);
    text += ", waiting " + util::format_duration(left) + " for " + state.waiting_for;
  }
  return text;
}

ProgressDisplay::ProgressDisplay(std::ostream& err, ProgressSettings settings) : m_err(err), m_settings(settings) {
  if (m_settings.enabled) m_thread = std::thread([this] { run(); });
}

ProgressDisplay::~ProgressDisplay() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  if (m_thread.joinable()) m_thread.join();
  if (m_line_shown) {
    std::lock_guard lock(util::stderr_mutex());
    m_err << "\r\033[K" << std::flush;
    util::set_status_line_shown(false);
  }
}

// The redraw schedule runs on real time (it is for a person watching); what is shown is read on
// the Progress's clock.
void ProgressDisplay::run() {
  auto next = m_started + (m_settings.terminal ? kFirstDraw : m_settings.interval);
  std::unique_lock lock(m_mutex);
  while (!m_wake.wait_until(lock, next, [this] { return m_stop; })) {
    show(!m_settings.terminal);
    next += m_settings.terminal ? kRedraw : m_settings.interval;
  }
}

void ProgressDisplay::show(bool as_line) {
  auto now = m_progress.clock().steady_now();
  std::string text = describe(m_progress.snapshot(), now);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_started);
  std::lock_guard lock(util::stderr_mutex());
  if (as_line) {
    m_err << util::utc_timestamp() << " idform: " << text << " (" << util::format_duration(elapsed) << ")\n"
          << std::flush;
    return;
  }
  text = "[" + util::format_duration(elapsed) + "] " + text;
  if (text.size() > kTerminalWidth) text = text.substr(0, kTerminalWidth - 1) + "…";
  m_err << "\r\033[K" << text << std::flush;
  m_line_shown = true;
  util::set_status_line_shown(true);
}

}  // namespace idform::cli
