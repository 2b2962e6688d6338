#pragma once
// Calendar dates in the form the config and IDFORM_TODAY use: YYYY-MM-DD.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace idform::util {

// The date `text` names, when it is exactly YYYY-MM-DD and a real calendar date (2027-02-30 and
// 2027-1-5 are not).
std::optional<std::chrono::sys_days> parse_date(std::string_view text);
std::string format_date(std::chrono::sys_days day);
// Whole days from `from` to `to` (negative when `to` is earlier); nullopt when either is not a date.
std::optional<int> days_between(std::string_view from, std::string_view to);

// Instants to the second in UTC, as the read cache and the vendors' change feeds write them:
// "2026-12-07T16:47:11Z". Parsing wants exactly that shape (a trailing Z, nothing after it).
std::string format_utc_seconds(std::chrono::system_clock::time_point when);
std::optional<std::chrono::system_clock::time_point> parse_utc_seconds(const std::string& text);

}  // namespace idform::util
