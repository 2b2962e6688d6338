#pragma once
// Pacing from Okta's rate-limit headers, so that idform rarely meets a 429 and leaves a share of
// every bucket to the org's other API users.
//
// Okta counts requests per endpoint bucket per minute and reports, on every response, the
// bucket's ceiling (X-Rate-Limit-Limit), what is left (X-Rate-Limit-Remaining) and when the
// window resets (X-Rate-Limit-Reset, UTC epoch seconds). The pacer classifies each request into
// the bucket Okta's published table puts it in, keeps an estimate of what is left per bucket
// (the last header, minus requests sent since), and lets a request go only while the estimate
// stays above the reserve (`reserve` x Limit); otherwise the request waits for the reset. Until a
// bucket's first answer is in, one request at a time probes it. A 429 empties the bucket until
// its reset; a concurrency 429 (Limit 0) holds the bucket for the estimated second. Reset is
// taken relative to the response's Date header, as Okta recommends, so a skewed local clock does
// not matter, plus a small margin for the header's one-second resolution. A reset more than two
// minutes ahead is taken as two minutes: no header can make the pacer wait for good.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "reconciler/http/client.hpp"
#include "reconciler/util/clock.hpp"

namespace idform::providers::okta {

// The bucket a request counts against: "/api/v1/apps*", "/api/v1/apps/{id}", "/api/v1/groups",
// "/api/v1/groups/{id}", "/api/v1/users", "/api/v1/users/{id}", "/oauth2/v1/token" or "/api/v1".
std::string rate_limit_bucket(const std::string& method, const std::string& url);

class RatePacer {
 public:
  // Told of every wait for a window before it starts: the bucket and how long (progress display).
  using WaitObserver = std::function<void(const std::string& bucket, std::chrono::milliseconds wait)>;

  // `clock`: the time windows reset by (the vendor gives epoch seconds) and how waits happen.
  RatePacer(double reserve, std::chrono::milliseconds margin, util::Clock& clock = util::real_clock(),
            WaitObserver on_wait = {});

  // Hooks for http::Client (same thread for a request's before_send and after_receive).
  void before_send(const http::Request& request);
  void after_receive(const http::Request& request, const http::Response& response);
  // The caller's request is over (answered or failed): forget it if no answer came.
  void finished();

  struct Counters {
    int requests = 0;     // responses seen
    int throttled = 0;    // of which 429
    int paced = 0;        // requests that waited for a window to reset
    std::chrono::milliseconds waited{0};
  };
  Counters counters() const;

 private:
  struct Bucket {
    int limit = -1;        // -1: no answer yet
    bool unpaced = false;  // the server sends no rate-limit headers
    bool probing = false;
    int remaining = 0;
    int in_flight = 0;
    long long header_reset = 0;  // the last X-Rate-Limit-Reset seen
    std::chrono::system_clock::time_point reset{};          // local time the window is over
    std::chrono::system_clock::time_point blocked_until{};  // after a concurrency 429
  };

  void release(Bucket& bucket);

  double m_reserve;
  std::chrono::milliseconds m_margin;
  util::Clock& m_clock;
  WaitObserver m_on_wait;
  mutable std::mutex m_mutex;
  std::condition_variable m_answered;
  std::map<std::string, Bucket> m_buckets;
  Counters m_counters;
};

}  // namespace idform::providers::okta
