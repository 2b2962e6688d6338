#pragma once
// Verbose (-v) output from providers, written to stderr a whole line at a time.
//
// Requests are logged from several threads at once ($batch envelopes, parallel Okta reads);
// streaming the pieces of a line to std::cerr, which flushes after every piece, let two threads'
// lines interleave mid-line.

#include <string_view>

namespace idform::util {

// Writes "<source>: <text>\n" to stderr in one piece.
void log_line(std::string_view source, std::string_view text);

}  // namespace idform::util
