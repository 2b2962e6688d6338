// Whole-line, timestamped writes to stderr shared by the request log and the progress display.
#include "reconciler/util/log_line.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>

namespace idform::util {
namespace {

std::atomic<bool> g_status_line_shown{false};

}  // namespace

std::mutex& stderr_mutex() {
  static std::mutex mutex;
  return mutex;
}

void set_status_line_shown(bool shown) { g_status_line_shown.store(shown); }

std::string utc_timestamp(std::chrono::system_clock::time_point when) {
  auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch());
  std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[96];  // room for any int the compiler can imagine, not just real dates
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, static_cast<int>(since_epoch.count() % 1000));
  return text;
}

void log_line(std::string_view source, std::string_view text) {
  std::string line = utc_timestamp();
  line.reserve(line.size() + source.size() + text.size() + 4);
  line.append(" ").append(source).append(": ").append(text).push_back('\n');
  std::lock_guard lock(stderr_mutex());
  if (g_status_line_shown.load()) line.insert(0, "\r\033[K");
  std::cerr.write(line.data(), static_cast<std::streamsize>(line.size()));
  std::cerr.flush();
}

}  // namespace idform::util
