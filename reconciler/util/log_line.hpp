#pragma once
// Verbose (-v) output from providers, written to stderr a whole line at a time, each line
// starting with a UTC timestamp.
//
// Requests are logged from several threads at once ($batch envelopes, parallel Okta reads);
// streaming the pieces of a line to std::cerr, which flushes after every piece, let two threads'
// lines interleave mid-line.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

namespace idform::util {

// Writes "<timestamp> <source>: <text>\n" to stderr in one piece.
void log_line(std::string_view source, std::string_view text);

// The lock every writer of whole lines to stderr holds while writing (log lines, progress).
std::mutex& stderr_mutex();
// Set while a terminal status line is on screen (held under stderr_mutex): log_line erases it
// before writing, and the status line is redrawn after.
void set_status_line_shown(bool shown);

// "2026-12-07T02:31:07.123Z"
std::string utc_timestamp(std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

}  // namespace idform::util
