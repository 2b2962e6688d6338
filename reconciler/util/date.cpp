// Parsing and printing YYYY-MM-DD dates strictly: four-digit year, two-digit month and day, and
// a day that exists in that month. Comparisons of access expiry depend on it, so nothing looser
// is accepted.

#include "reconciler/util/date.hpp"

#include <cstdio>
#include <ctime>

namespace idform::util {
namespace {

bool digits(std::string_view text) {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

int number(std::string_view text) {
  int out = 0;
  for (char c : text) out = out * 10 + (c - '0');
  return out;
}

}  // namespace

std::optional<std::chrono::sys_days> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::string_view year = text.substr(0, 4), month = text.substr(5, 2), day = text.substr(8, 2);
  if (!digits(year) || !digits(month) || !digits(day)) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year{number(year)},
                                   std::chrono::month{static_cast<unsigned>(number(month))},
                                   std::chrono::day{static_cast<unsigned>(number(day))}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

std::string format_date(std::chrono::sys_days day) {
  std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::optional<int> days_between(std::string_view from, std::string_view to) {
  auto start = parse_date(from), end = parse_date(to);
  if (!start || !end) return std::nullopt;
  return static_cast<int>((*end - *start).count());
}

std::string format_utc_seconds(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::optional<std::chrono::system_clock::time_point> parse_utc_seconds(const std::string& text) {
  std::tm tm{};
  char zone = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &zone, &used) != 7 ||
      zone != 'Z' || static_cast<size_t>(used) != text.size())
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace idform::util
