#pragma once
// Microsoft Graph over http::Client: authentication, paging, $batch, pacing and error messages.
//
// Every call carries a bearer token from the TokenSource; a 401 refreshes it once. Calls to the
// conditional access API (/identity/conditionalAccess/...) go one at a time through a second
// http::Client whose hooks start each `policy_interval` after the previous one was sent and after
// its answer came back, because Graph allows one such request per second per tenant, counts
// them when they arrive, and its 429s there carry no Retry-After. Lists follow
// @odata.nextLink to the end. $batch sends up to 20 requests per envelope with several
// envelopes in flight, and re-sends the items Graph answered with 429 (or 5xx, where that is
// safe) after the longest Retry-After among them.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/entra/entra_settings.hpp"
#include "providers/entra/resource_unit_pacer.hpp"
#include "reconciler/util/progress.hpp"
#include "providers/entra/token_source.hpp"
#include "reconciler/http/client.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

struct GraphResponse {
  long status = 0;
  nlohmann::json body;  // null when the response had no JSON body
  http::Headers headers;

  bool ok() const { return status >= 200 && status < 300; }
  std::string error_code() const;  // error.code, "" when absent
  std::string error_message() const;
  std::string request_id() const;  // from the error body or the request-id header
};

// "PATCH /groups/1b2c: HTTP 400 Request_BadRequest: Invalid value (request-id 7f3e...)"
std::string describe_failure(const std::string& method, const std::string& path, const GraphResponse& response);
// The same as an Error, with the category the status (and Graph's error) calls for.
Error response_error(const std::string& method, const std::string& path, const GraphResponse& response);

// One request inside a $batch envelope. `url` is relative to the version root ("/groups/x").
struct BatchItem {
  std::string method = "GET";
  std::string url;
  nlohmann::json body;  // null: no body
};

struct BatchOutcome {
  GraphResponse response;  // the inner response (after retries)
};

class GraphClient {
 public:
  // `clock`: waits, jitter, and the time resource units refill and policy calls are spaced by.
  GraphClient(const EntraSettings& settings, std::shared_ptr<http::Transport> transport,
              util::Clock& clock = util::real_clock());

  // Creates the token source (reads the credential). Must succeed before any call.
  Result<void> authenticate(const TokenSourceHooks& hooks = {});

  // One request; `path` is relative to the Graph endpoint ("/groups?$top=999") or absolute.
  // `repeatable`: a POST that may be sent twice without harm (keeps its pooled connection).
  Result<GraphResponse> call(const std::string& method, const std::string& path,
                             const nlohmann::json& body = nullptr, bool repeatable = false);
  // GET every page of a collection.
  Result<std::vector<nlohmann::json>> list(const std::string& path);
  // GET every page of many collections through $batch: key -> all items. A failed list is an error,
  // except that with `gone`, a collection whose owner answers 404 (deleted since it was named) has
  // its key put there instead.
  Result<std::map<std::string, std::vector<nlohmann::json>>> batch_list(
      const std::map<std::string, std::string>& paths, std::set<std::string>* gone = nullptr);
  // Sends many requests through $batch; outcomes in the order of `items`. Only transient failures
  // (429; 5xx and dropped envelopes for idempotent methods) are retried.
  Result<std::vector<BatchOutcome>> batch(const std::vector<BatchItem>& items);

  http::Client& http() { return *m_client; }
  void sleep(std::chrono::milliseconds delay) { m_clock.sleep(delay); }
  util::Clock& clock() { return m_clock; }
  // Requests, objects listed and pacing waits are reported to whatever call is attached here.
  util::ProgressRelay& progress() { return m_progress; }
  std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds first, std::chrono::milliseconds most);
  const EntraSettings& settings() const { return m_settings; }
  const ResourceUnitPacer& pacer() const { return *m_pacer; }
  // "https://graph.microsoft.com/v1.0/groups?x" -> "/groups?x" (for nextLinks inside batches).
  std::string relative(const std::string& url) const;

 private:
  Result<std::vector<GraphResponse>> send_envelope(const std::vector<BatchItem>& items);
  // batch()'s steps (graph_client.cpp).
  struct SentEnvelope;
  struct BatchRound;
  Result<void> send_round(BatchRound& round, const std::vector<size_t>& pending);
  Result<void> settle(BatchRound& round, SentEnvelope& sent);

  const EntraSettings& m_settings;
  util::Clock& m_clock;
  util::ProgressRelay m_progress;
  std::shared_ptr<http::Transport> m_transport;
  std::unique_ptr<http::Client> m_client;
  std::unique_ptr<http::Client> m_policy_client;  // paced: conditional access API
  std::unique_ptr<TokenSource> m_tokens;
  std::unique_ptr<ResourceUnitPacer> m_pacer;  // $batch reads and writes, by resource units
  std::mutex m_policy_call_mutex;  // one conditional access call at a time
  std::mutex m_pace_mutex;
  std::chrono::steady_clock::time_point m_next_policy_call{};
};

// Quotes an OData string literal: O'Brien -> 'O''Brien'.
std::string odata_quote(const std::string& value);

}  // namespace idform::providers::entra
