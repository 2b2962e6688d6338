#pragma once
// HTTP for the cloud providers: a transport (libcurl, or a fake in tests) and a client on top
// that retries what is safe to retry.
//
// Retry rules: 429 is always retried (the request was not processed), after Retry-After when the
// server sends it, else after exponential backoff with equal jitter. 5xx and transport failures
// (connection refused/reset, timeouts, dropped connections) are retried only for idempotent
// requests, or for any request when the connection failed before anything was sent. When the
// attempts run out, the last response (or transport error) is returned for the provider to turn
// into a clear error. Plain http is allowed only to loopback; TLS verification is always on.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

#include "reconciler/util/clock.hpp"
#include "reconciler/util/result.hpp"

namespace idform::http {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  // A POST that may be sent twice without harm (a Graph $batch of reads only).
  bool repeatable = false;
  bool idempotent() const { return repeatable || method != "POST"; }
};

struct Response {
  long status = 0;
  Headers headers;
  std::string body;
  std::string header(const std::string& name) const;
};

// A transport failure: nothing usable came back.
struct TransportError {
  std::string message;
  bool before_send = false;  // the connection was never established: safe to retry anything
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual std::expected<Response, TransportError> send(const Request& request) = 0;
};

struct TransportOptions {
  std::chrono::milliseconds timeout{60000};
  std::chrono::milliseconds connect_timeout{10000};
  std::string ca_bundle;  // empty = the system's
};

// libcurl, one easy handle per thread, reused for keep-alive.
std::unique_ptr<Transport> make_curl_transport(const TransportOptions& options);

struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{60000};
  // Statuses that mean "try again later" for idempotent requests.
  std::vector<long> retry_statuses{500, 502, 503, 504};
};

// What the client tells its owner (pacing, progress, the -v log). Waiting and jitter come from
// the util::Clock the client is given.
struct ClientHooks {
  std::function<void(const Request&)> before_send;                  // pacing (Okta buckets)
  std::function<void(const Request&, const Response&)> after_receive;
  std::function<void(const std::string&)> log;                      // -v request log (redacted)
  // A retry is about to wait `wait` ("429, Retry-After", "503", "connection reset"): progress
  // shows the wait instead of a silent pause.
  std::function<void(const Request&, const std::string& why, std::chrono::milliseconds wait)> before_retry;
};

class Client {
 public:
  Client(std::shared_ptr<Transport> transport, RetryPolicy policy = {}, ClientHooks hooks = {},
         util::Clock& clock = util::real_clock());

  // Sends with retries. A returned Response may still be an error status (4xx, or 5xx after the
  // attempts ran out); a transport failure after all attempts is an Error.
  Result<Response> send(const Request& request);

  // How many attempts were retries (for tests and benchmarks).
  int retries() const;

 private:
  std::chrono::milliseconds backoff(int attempt);

  std::shared_ptr<Transport> m_transport;
  RetryPolicy m_policy;
  ClientHooks m_hooks;
  util::Clock& m_clock;
  mutable std::mutex m_mutex;
  int m_retries = 0;
};

// "https://graph.microsoft.com/v1.0/groups?$top=999" -> "/v1.0/groups": where a request went,
// short enough for a status line.
std::string path_of(const std::string& url);

// What an HTTP error status means for the caller: 401/403 auth, 404/410 not_found, 409/412
// conflict, 429 throttled, 408 and 5xx transient, other 4xx invalid; anything else internal.
ErrorCategory category_of_status(long status);

// "Retry-After: 7" -> 7000 ms; an HTTP date or nonsense -> nullopt.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value);
// The wait a throttled answer asks for: `retry-after-ms` or `x-ms-retry-after-ms` (Azure's
// millisecond forms, which Azure SDKs prefer) when present, else Retry-After in seconds.
std::optional<std::chrono::milliseconds> retry_after(const Headers& headers);
// The URL of rel="next" in an RFC 8288 Link header, or "".
std::string next_link(const std::string& link_header);
// Where a URL points, as a URL parser (libcurl's) reads it: lower-case scheme and host, and the
// port with the scheme's default filled in.
struct Origin {
  std::string scheme;
  std::string host;
  std::string port;
  bool operator==(const Origin&) const = default;
  std::string text() const { return scheme + "://" + host + ":" + port; }
};
// nullopt when `url` is not an absolute http(s) URL or carries user information
// ("http://user@host"), which idform never sends and which hides the real host from a reader.
std::optional<Origin> origin_of(const std::string& url);
// True when both URLs parse and have the same scheme, host and port.
bool same_origin(const std::string& url, const std::string& reference);
// True for any https URL, and for http to a loopback host (127.0.0.1, localhost, [::1]) on any
// port; false for anything the parser rejects.
bool url_allowed(const std::string& url);
// Percent-encodes for a query component.
std::string url_encode(const std::string& text);

}  // namespace idform::http
