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

}  // namespace idform::util
