#pragma once
// The Okta management API over http::Client: authentication, pacing, Link paging, error
// messages.
//
// Every call carries the Authorization header of the TokenSource (SSWS or Bearer); a 401 renews
// an OAuth token once, and a 401 that cannot be cured is an authentication error naming the
// credential. RatePacer paces every request (token endpoint included) from Okta's rate-limit
// headers; http::Client retries 429s (after the pacer's wait for the reset) and, for idempotent
// requests, 5xx answers and dropped connections. However many threads call (parallel reads, the
// applier's workers, member changes in parallel), at most `max_concurrency` requests are in
// flight, well below Okta's org-wide limit. Lists follow `Link: <...>; rel="next"` to the end
// and never build cursor URLs themselves.

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <semaphore>
#include <string>
#include <vector>

#include "providers/okta/okta_settings.hpp"
#include "providers/okta/rate_pacer.hpp"
#include "providers/okta/token_source.hpp"
#include "reconciler/http/client.hpp"
#include "reconciler/util/progress.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

struct OktaResponse {
  long status = 0;
  nlohmann::json body;  // null when the response had no JSON body
  http::Headers headers;

  bool ok() const { return status >= 200 && status < 300; }
  std::string error_code() const;     // errorCode, "" when absent
  std::string error_summary() const;  // errorSummary plus the errorCauses' summaries
  std::string error_id() const;       // errorId
  std::string request_id() const;     // X-Okta-Request-Id
};

// "PUT /api/v1/groups/00g1: HTTP 400 E0000001 Api validation failed: name (errorId oae1..., request 7f3e...)"
std::string describe_failure(const std::string& method, const std::string& path, const OktaResponse& response);
// The same as an Error, with the category the status calls for.
Error response_error(const std::string& method, const std::string& path, const OktaResponse& response);

class OktaClient {
 public:
  // `clock`: waits, jitter and the time rate-limit windows are measured against (a FakeClock in tests).
  OktaClient(OktaSettings settings, std::shared_ptr<http::Transport> transport,
             util::Clock& clock = util::real_clock());
  OktaClient(const OktaClient&) = delete;
  OktaClient& operator=(const OktaClient&) = delete;

  // Creates the token source (reads the credential). Must succeed before any call.
  Result<void> authenticate(const TokenSourceHooks& hooks = {});

  // One request; `path` is relative to the org ("/api/v1/groups?limit=200") or absolute.
  Result<OktaResponse> call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);
  // GET every page of a list. With `gone`, a list whose owner answers 404 (deleted since it was
  // named) sets *gone and is empty instead of an error.
  Result<std::vector<nlohmann::json>> list(const std::string& path, bool* gone = nullptr);

  const OktaSettings& settings() const { return m_settings; }
  RatePacer::Counters counters() const { return m_pacer.counters(); }
  int retries() const { return m_client->retries(); }
  void sleep(std::chrono::milliseconds delay) { m_clock.sleep(delay); }
  util::Clock& clock() { return m_clock; }
  // Requests, objects listed and pacing waits are reported to whatever call is attached here.
  util::ProgressRelay& progress() { return m_progress; }
  std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds first, std::chrono::milliseconds most);

 private:
  OktaSettings m_settings;  // a copy: the token source and the pacer refer to it
  util::Clock& m_clock;
  util::ProgressRelay m_progress;
  RatePacer m_pacer;
  std::counting_semaphore<75> m_in_flight;
  std::unique_ptr<http::Client> m_client;
  std::unique_ptr<TokenSource> m_tokens;
};

// A SCIM filter string literal: "a\"b".
std::string filter_quote(const std::string& value);

}  // namespace idform::providers::okta
