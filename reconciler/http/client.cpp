// The HTTP client the cloud providers share: retries, Retry-After, backoff and origin checks.
#include "reconciler/http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include "reconciler/util/backoff.hpp"
#include "reconciler/util/progress.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::http {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return util::to_lower(a) < util::to_lower(b);
}

std::string Response::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

Client::Client(std::shared_ptr<Transport> transport, RetryPolicy policy, ClientHooks hooks, util::Clock& clock)
    : m_transport(std::move(transport)), m_policy(std::move(policy)), m_hooks(std::move(hooks)), m_clock(clock) {}

int Client::retries() const {
  std::lock_guard lock(m_mutex);
  return m_retries;
}

std::chrono::milliseconds Client::backoff(int attempt) {
  return util::backoff(attempt, m_policy.base_delay, m_policy.max_delay, m_clock.random());
}

Result<Response> Client::send(const Request& request) {
  if (!url_allowed(request.url))
    return fail(
        ErrorCategory::invalid, "refusing to send a request to " + util::redact(request.url),
        "idform sends only to https:// URLs, plain http only to loopback, and never to a URL with user information");
  std::string last_problem;
  for (int attempt = 0; attempt < m_policy.max_attempts; ++attempt) {
    if (m_hooks.before_send) m_hooks.before_send(request);
    auto started = m_clock.steady_now();
    auto result = m_transport->send(request);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.steady_now() - started);
    bool last = attempt + 1 == m_policy.max_attempts;
    std::optional<std::chrono::milliseconds> wait;
    std::string why;
    if (!result) {
      last_problem = result.error().message;
      if (m_hooks.log) m_hooks.log(util::redact(request.method + " " + request.url + " -> " + last_problem));
      if (!request.idempotent() && !result.error().before_send) {
        // A transport failure, but not one to repeat blindly: the request may have been processed.
        Error error = Error{
            request.method + " " + request.url + " failed: " + last_problem,
            "not retried: the request may have been processed",
            {},
            {}}.with_category(ErrorCategory::transient);
        error.retryable = false;
        return fail(std::move(error));
      }
      wait = backoff(attempt);
      why = last_problem;
    } else {
      if (m_hooks.log)
        m_hooks.log(util::redact(request.method + " " + request.url + " -> " + std::to_string(result->status) + " (" +
                                 std::to_string(elapsed.count()) + " ms)"));
      if (m_hooks.after_receive) m_hooks.after_receive(request, *result);
      bool retryable_status =
          result->status == 429 ||
          (request.idempotent() && std::find(m_policy.retry_statuses.begin(), m_policy.retry_statuses.end(),
                                             result->status) != m_policy.retry_statuses.end());
      if (!retryable_status || last) return std::move(*result);
      auto asked = retry_after(result->headers);
      wait = asked ? *asked : backoff(attempt);
      why = std::to_string(result->status) + (asked ? ", Retry-After" : "");
    }
    if (last) break;
    {
      std::lock_guard lock(m_mutex);
      ++m_retries;
    }
    if (m_hooks.log)
      m_hooks.log(util::redact("retrying " + request.method + " " + request.url + " in " +
                               util::format_duration(*wait) + " (" + why + ")"));
    if (m_hooks.before_retry) m_hooks.before_retry(request, why, *wait);
    m_clock.sleep(*wait);
  }
  return fail(
      ErrorCategory::transient,
      request.method + " " + request.url + " failed after " + std::to_string(m_policy.max_attempts) + " attempts",
      last_problem);
}

ErrorCategory category_of_status(long status) {
  if (status == 401 || status == 403) return ErrorCategory::auth;
  if (status == 404 || status == 410) return ErrorCategory::not_found;
  if (status == 409 || status == 412) return ErrorCategory::conflict;
  if (status == 429) return ErrorCategory::throttled;
  if (status == 408 || (status >= 500 && status < 600)) return ErrorCategory::transient;
  if (status >= 400 && status < 500) return ErrorCategory::invalid;
  return ErrorCategory::internal;
}

std::string path_of(const std::string& url) {
  std::size_t scheme = url.find("://");
  std::size_t start = scheme == std::string::npos ? 0 : url.find('/', scheme + 3);
  if (start == std::string::npos) return "/";
  std::size_t end = url.find_first_of("?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

namespace {
// The longest wait a Retry-After is believed for: a server asking for years (or for more
// milliseconds than a number holds) would otherwise stall the run for good.
constexpr std::chrono::milliseconds kLongestRetryAfter = std::chrono::minutes(10);

// A whole non-negative number and nothing else (surrounding spaces aside).
std::optional<long long> whole_number(const std::string& value) {
  std::string text = util::trim(value);
  long long number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || number < 0) return std::nullopt;
  return number;
}
}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value) {
  auto seconds = whole_number(value);
  if (!seconds) return std::nullopt;
  return std::chrono::milliseconds(std::min<long long>(*seconds, kLongestRetryAfter.count() / 1000) * 1000);
}

std::optional<std::chrono::milliseconds> retry_after(const Headers& headers) {
  for (const char* name : {"retry-after-ms", "x-ms-retry-after-ms"}) {
    auto found = headers.find(name);
    if (found == headers.end()) continue;
    if (auto milliseconds = whole_number(found->second))
      return std::min(std::chrono::milliseconds(*milliseconds), kLongestRetryAfter);
  }
  auto found = headers.find("Retry-After");
  return found == headers.end() ? std::nullopt : parse_retry_after(found->second);
}

std::string next_link(const std::string& link_header) {
  // Link: <https://x/api/v1/groups?after=abc&limit=200>; rel="next", <...>; rel="self"
  for (const std::string& part : util::split(link_header, ',')) {
    auto open = part.find('<');
    auto close = part.find('>');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::string params = part.substr(close + 1);
    std::string lowered = util::to_lower(params);
    if (lowered.find("rel=\"next\"") != std::string::npos || lowered.find("rel=next") != std::string::npos)
      return part.substr(open + 1, close - open - 1);
  }
  return {};
}

std::optional<Origin> origin_of(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return std::nullopt;
  auto part = [&](CURLUPart which, unsigned flags) -> std::optional<std::string> {
    char* value = nullptr;
    if (curl_url_get(handle.get(), which, &value, flags) != CURLUE_OK || !value) return std::nullopt;
    std::string out = value;
    curl_free(value);
    return out;
  };
  if (part(CURLUPART_USER, 0) || part(CURLUPART_PASSWORD, 0) || part(CURLUPART_OPTIONS, 0)) return std::nullopt;
  auto scheme = part(CURLUPART_SCHEME, 0);
  auto host = part(CURLUPART_HOST, 0);
  auto port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!scheme || !host || !port || host->empty()) return std::nullopt;
  Origin origin{util::to_lower(*scheme), util::to_lower(*host), *port};
  if (origin.scheme != "http" && origin.scheme != "https") return std::nullopt;
  return origin;
}

bool same_origin(const std::string& url, const std::string& reference) {
  auto first = origin_of(url);
  auto second = origin_of(reference);
  return first && second && *first == *second;
}

bool url_allowed(const std::string& url) {
  auto origin = origin_of(url);
  if (!origin) return false;
  if (origin->scheme == "https") return true;
  return origin->host == "127.0.0.1" || origin->host == "localhost" || origin->host == "[::1]";
}

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace idform::http
