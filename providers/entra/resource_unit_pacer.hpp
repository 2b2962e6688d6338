#pragma once
// Pacing of Graph reads by resource units (RU).
//
// Microsoft Graph limits identity and access calls per app and tenant with a bucket of resource
// units that refills over 10 seconds (3,500 / 5,000 / 8,000 RU by tenant size), and a request it
// rejects with 429 is still charged (throttling-limits, "identity and access service limits").
// A client that keeps sending after the first 429 therefore digs itself deeper: every rejected
// item pushes the next success further out. The pacer avoids that:
//
// - Until Graph signals pressure it does not slow anything down, and it adds up the units Graph
//   reports charging (`x-ms-resource-unit` on each answer).
// - The first signal is `x-ms-throttle-limit-percentage` (sent once more than 80 % of the budget
//   is used) or a 429. Since the bucket started full and refills at budget / 10 s, the units
//   charged so far, U, over the time since the first request, t, with a used fraction f give the
//   refill rate: U = f × budget + rate × t and budget = rate × 10 s, so rate = U / (10 s × f + t).
// - From then on every envelope reserves its estimated cost from a bucket refilled at that rate,
//   and waits when the reservation runs ahead (a 429's Retry-After also becomes such a debt).
//   Pacing starts with four fifths of what the first header says is left (less its rounding),
//   since envelopes still in flight have been charged too.
//   The rate then follows Graph's answers: a 429 lowers it by 5 % (once per Retry-After), and
//   once answers are known to carry the percentage header, each answer without it (under 80 %
//   used: budget left over) raises it by 0.1 % (2 % per envelope of 20). Without the header the
//   rate creeps up by 0.02 % per answer until a 429 says it is too high. Raises happen only while
//   the rate is what holds the reads back (the last reservation had to wait), and never past
//   twice the first estimate.
// - The cost of a request is learned per route shape from the answers (members lists cost more
//   than owners lists) and corrected once the real charge is known.
//
// Only timing depends on these estimates: any 429 the pacer fails to avoid is still retried.
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "reconciler/util/clock.hpp"

namespace idform::providers::entra {

class ResourceUnitPacer {
 public:
  // `window`: how long Graph takes to refill a whole budget (10 s; shorter in a time-scaled
  // simulator).
  // `clock`: the budget refills by its steady time.
  explicit ResourceUnitPacer(util::Clock& clock, std::chrono::milliseconds window = std::chrono::seconds(10));

  // The estimated cost of a request for `url` (learned per route shape; 1 RU before any answer).
  double estimate(const std::string& url) const;
  // Reserves `units` and returns how long to wait before sending them (zero until Graph has shown
  // pressure, or while the reservation fits the refilled budget).
  std::chrono::milliseconds reserve(double units);

  struct Answer {
    std::string url;                         // the request's URL, for its route shape
    double reserved = 0;                     // what reserve() was told for it
    std::optional<double> charged;           // x-ms-resource-unit
    bool throttled = false;                  // HTTP 429
    std::optional<double> used_fraction;     // x-ms-throttle-limit-percentage
    std::optional<std::chrono::milliseconds> retry_after;
  };
  void observe(const Answer& answer);

  bool pacing() const;
  // Once, after pacing began: what it began from, for -v ("" otherwise).
  std::string take_start_note();
  double rate_per_second() const;  // 0 until pacing

  // The route shape of a URL: path segments that are ids become {id}, the query is dropped.
  static std::string shape_of(const std::string& url);

 private:
  void refill(std::chrono::steady_clock::time_point now);
  void start_pacing(std::chrono::steady_clock::time_point now, double used_fraction);

  util::Clock& m_clock;
  double m_window;  // seconds
  mutable std::mutex m_mutex;
  std::map<std::string, double> m_costs;  // route shape -> last charged RU
  bool m_started = false;
  std::chrono::steady_clock::time_point m_first{};
  double m_charged = 0;  // RU charged for answers that were not throttled, before pacing began
  bool m_pacing = false;
  bool m_percentage_seen = false;  // Graph sends x-ms-throttle-limit-percentage to this client
  bool m_binding = false;          // the last reservation had to wait: the rate is what limits the read
  std::string m_start_note;        // for take_start_note()
  double m_rate = 0;      // RU per second
  double m_ceiling = 0;   // raises stop here
  double m_tokens = 0;    // may go negative: units reserved ahead of the refill
  std::chrono::steady_clock::time_point m_last{};
  std::chrono::steady_clock::time_point m_no_decrease_before{};  // one decrease per 429 episode
};

}  // namespace idform::providers::entra
