// Paces Okta calls by the rate-limit headers, bucket by bucket, so idform rarely meets a 429.
#include "providers/okta/rate_pacer.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <optional>
#include <vector>

#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// The furthest ahead a window's reset is believed (Okta's windows are one minute).
constexpr std::chrono::seconds kLongestWindow{120};

// The request a thread has sent and not yet seen an answer for (http::Client calls the hooks on
// the sending thread): a transport failure never reaches after_receive.
thread_local const RatePacer* t_pacer = nullptr;
thread_local std::string t_bucket;

std::optional<long long> number(const http::Response& response, const char* name) {
  std::string value = util::trim(response.header(name));
  if (value.empty()) return std::nullopt;
  char* end = nullptr;
  long long parsed = std::strtoll(value.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return parsed;
}

// RFC 7231 IMF-fixdate: "Tue, 15 Nov 1994 08:12:31 GMT".
std::optional<long long> http_date(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (!end) return std::nullopt;
  return static_cast<long long>(timegm(&tm));
}

}  // namespace

std::string rate_limit_bucket(const std::string& method, const std::string& url) {
  std::string path = http::path_of(url);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::vector<std::string> parts = util::split(path, '/');  // "", "api", "v1", "groups", ...
  if (path == "/oauth2/v1/token") return path;
  if (parts.size() < 4 || parts[1] != "api" || parts[2] != "v1") return "/api/v1";
  const std::string& family = parts[3];
  const bool by_id = parts.size() == 5;
  if (family == "apps") return by_id ? "/api/v1/apps/{id}" : "/api/v1/apps*";
  if (family == "groups" && parts.size() == 4 && (method == "GET" || method == "POST")) return "/api/v1/groups";
  if (family == "groups" && by_id && parts[4] != "rules") return "/api/v1/groups/{id}";
  if (family == "users" && parts.size() == 4 && (method == "GET" || method == "POST")) return "/api/v1/users";
  if (family == "users" && by_id && method == "GET") return "/api/v1/users/{id}";
  return "/api/v1";
}

RatePacer::RatePacer(double reserve, milliseconds margin, util::Clock& clock, WaitObserver on_wait)
    : m_reserve(std::clamp(reserve, 0.0, 0.95)), m_margin(margin), m_clock(clock), m_on_wait(std::move(on_wait)) {}

void RatePacer::release(Bucket& bucket) {
  if (bucket.in_flight > 0) --bucket.in_flight;
  bucket.probing = false;
}

void RatePacer::before_send(const http::Request& request) {
  std::string key = rate_limit_bucket(request.method, request.url);
  std::unique_lock lock(m_mutex);
  if (t_pacer == this && !t_bucket.empty()) {  // the previous attempt got no answer
    release(m_buckets[t_bucket]);
    m_answered.notify_all();
  }
  t_pacer = this;
  t_bucket.clear();
  bool counted_wait = false;
  for (;;) {
    Bucket& bucket = m_buckets[key];
    auto now = m_clock.now();
    milliseconds wait{0};
    if (bucket.blocked_until > now) {
      wait = std::chrono::duration_cast<milliseconds>(bucket.blocked_until - now);
    } else if (bucket.unpaced) {
      break;
    } else if (bucket.limit < 0) {
      if (!bucket.probing) {
        bucket.probing = true;
        break;
      }
      // Another thread is learning this bucket's limits; its answer wakes us.
      m_answered.wait_for(lock, milliseconds(50));
      continue;
    } else {
      if (now >= bucket.reset) {  // a new window: the whole quota again until a header says otherwise
        bucket.remaining = bucket.limit;
        bucket.reset = now + std::chrono::seconds(60);
      }
      int reserve = std::min(bucket.limit - 1, static_cast<int>(std::ceil(bucket.limit * m_reserve)));
      if (bucket.remaining - bucket.in_flight > reserve) break;
      wait = std::chrono::duration_cast<milliseconds>(bucket.reset - now);
    }
    if (wait.count() <= 0) continue;
    if (!counted_wait) {
      ++m_counters.paced;
      counted_wait = true;
    }
    m_counters.waited += wait;
    lock.unlock();
    if (m_on_wait) m_on_wait(key, wait);
    m_clock.sleep(wait);
    lock.lock();
  }
  Bucket& bucket = m_buckets[key];
  ++bucket.in_flight;
  t_bucket = key;
}

void RatePacer::after_receive(const http::Request& request, const http::Response& response) {
  std::string key = rate_limit_bucket(request.method, request.url);
  auto received = m_clock.now();
  std::lock_guard lock(m_mutex);
  if (t_pacer == this) t_bucket.clear();
  ++m_counters.requests;
  if (response.status == 429) ++m_counters.throttled;
  Bucket& bucket = m_buckets[key];
  release(bucket);
  m_answered.notify_all();

  auto limit = number(response, "X-Rate-Limit-Limit");
  auto remaining = number(response, "X-Rate-Limit-Remaining");
  auto reset = number(response, "X-Rate-Limit-Reset");
  if (!limit || !remaining || !reset) {
    if (response.status == 429) bucket.blocked_until = received + m_margin;  // no hint: back off a little
    else if (bucket.limit < 0) bucket.unpaced = true;
    return;
  }
  // Reset relative to the server's clock when it says what time it is. Okta's windows are a minute
  // long: a reset further out is a broken header, and waiting for it would stall the run for good.
  auto date = http_date(response.header("Date"));
  long long received_at = std::chrono::duration_cast<std::chrono::seconds>(received.time_since_epoch()).count();
  long long latest = (date ? *date : received_at) + kLongestWindow.count();
  auto reset_at = date ? received + std::chrono::seconds(std::clamp(*reset, *date, latest) - *date) + m_margin
                       : system_clock::time_point(std::chrono::seconds(std::clamp(*reset, 0LL, latest))) + m_margin;
  if (*limit == 0) {  // the concurrency limit: Reset is only an estimate
    bucket.blocked_until = std::max(bucket.blocked_until, reset_at);
    return;
  }
  bucket.unpaced = false;
  bucket.limit = static_cast<int>(*limit);
  int estimate = static_cast<int>(*remaining) - bucket.in_flight;
  if (*reset > bucket.header_reset) {  // a newer window than the one we knew
    bucket.header_reset = *reset;
    bucket.reset = reset_at;
    bucket.remaining = estimate;
  } else if (*reset == bucket.header_reset) {
    bucket.remaining = std::min(bucket.remaining, estimate);
  }
  if (response.status == 429) bucket.remaining = 0;
}

void RatePacer::finished() {
  if (t_pacer != this || t_bucket.empty()) return;
  std::lock_guard lock(m_mutex);
  release(m_buckets[t_bucket]);
  t_bucket.clear();
  m_answered.notify_all();
}

RatePacer::Counters RatePacer::counters() const {
  std::lock_guard lock(m_mutex);
  return m_counters;
}

}  // namespace idform::providers::okta
