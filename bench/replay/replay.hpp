#pragma once
// The peer replay driver's shared pieces. A peer's refresh is a list of Tasks (one per Terraform
// resource instance: a group, an app role assignment, a policy, ...); each task is a sequence
// of Steps (GETs, each followed through its pages), run by `parallelism` workers the way
// Terraform refreshes resources with -parallelism=10. A Client does the HTTP with the retry
// behaviour of the peer's SDK; a Recorder counts requests by step and outcome.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace bench::replay {

struct Response {
  long status = 0;  // 0: transport failure
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// How the peer's SDK retries (go-retryablehttp for azuread, okta-sdk-golang's rate-limit wait
// for okta): both honour the server's hint; without one, exponential backoff from 1 s.
enum class RetryStyle { graph_retry_after, okta_rate_limit_reset };

struct ClientSettings {
  std::string base_url;  // "http://127.0.0.1:PORT"
  std::map<std::string, std::string> headers;  // e.g. Authorization
  RetryStyle retry = RetryStyle::graph_retry_after;
  double time_scale = 1.0;  // the simulator's: vendor waits are scaled by it
  int max_retries = 10;
};

class Recorder;

// One HTTP connection (kept alive) for one worker.
class Client {
 public:
  explicit Client(const ClientSettings& settings, Recorder& recorder);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // GET with retries on 429/5xx/transport errors; `step` names the request pattern in the report.
  Response get(const std::string& step, const std::string& path_or_url);
  Response post_form(const std::string& step, const std::string& path, const std::string& form);
  // True once `step` turned out not to be served by idp-sim (its requests are then not sent).
  bool skipped(const std::string& step);

 private:
  Response once(const std::string& method, const std::string& url, const std::string& body);
  std::chrono::duration<double> wait_for(const Response& response, int attempt) const;
  Response with_retries(const std::string& step, const std::string& method, const std::string& url,
                        const std::string& body);

  const ClientSettings& m_settings;
  Recorder& m_recorder;
  void* m_curl;
};

class Recorder {
 public:
  void record(const std::string& step, long status, bool retry);
  // A step whose first request the simulator did not route (400/404/405 for the path shape):
  // skipped from then on and reported as not replayed.
  void mark_unemulated(const std::string& step, long status);
  bool is_unemulated(const std::string& step);
  nlohmann::json to_json() const;

 private:
  mutable std::mutex m_mutex;
  std::map<std::string, std::map<std::string, long long>> m_by_step;  // step -> status -> count
  std::map<std::string, long long> m_retries;
  std::map<std::string, long> m_unemulated;
  long long m_requests = 0, m_throttled = 0, m_failed = 0;
};

using Task = std::function<void(Client&)>;

struct Pattern {
  std::vector<Task> tasks;
  std::function<void(Client&)> prepare;  // e.g. obtain a token (run once, before the tasks)
  std::vector<std::string> notes;        // how steps were replayed where idp-sim differs
};

// Patterns from the peers' read code (see docs/performance.md for the citations).
Pattern azuread_pattern(const nlohmann::json& state, ClientSettings& settings, const std::string& tenant_id,
                        const std::string& client_id, const std::string& client_secret);
Pattern okta_pattern(const nlohmann::json& state, ClientSettings& settings, const std::string& api_token);

// Follows @odata.nextLink (Graph) or Link rel="next" (Okta) until the last page; false when a
// page failed.
bool get_all_pages(Client& client, const std::string& step, const std::string& first);

}  // namespace bench::replay
