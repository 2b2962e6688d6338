// The Microsoft Graph client: authentication, paging, $batch envelopes, pacing and error messages.
#include "providers/entra/json_fields.hpp"
#include "providers/entra/graph_client.hpp"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <future>

#include "reconciler/util/backoff.hpp"
#include "reconciler/util/guarded.hpp"
#include "reconciler/util/log_line.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

constexpr size_t kBatchLimit = 20;  // Graph JSON batching: at most 20 requests per envelope
constexpr int kBatchRounds = 10;

bool is_policy_path(const std::string& url) { return url.find("/identity/conditionalAccess/") != std::string::npos; }

nlohmann::json parse_body(const std::string& text) {
  if (text.empty()) return nullptr;
  nlohmann::json body = nlohmann::json::parse(text, nullptr, false);
  return body.is_discarded() ? nlohmann::json() : body;
}

bool transient(const BatchItem& item, long status) {
  if (status == 429) return true;
  bool idempotent = item.method != "POST";
  return idempotent && (status == 500 || status == 502 || status == 503 || status == 504);
}

// What the pacer learns from one inner answer.
ResourceUnitPacer::Answer pacer_answer(const std::string& url, double reserved, const GraphResponse& response) {
  ResourceUnitPacer::Answer answer;
  answer.url = url;
  answer.reserved = reserved;
  answer.throttled = response.status == 429;
  auto number = [&](const char* name) -> std::optional<double> {
    auto found = response.headers.find(name);
    if (found == response.headers.end()) return std::nullopt;
    char* end = nullptr;
    double value = std::strtod(found->second.c_str(), &end);
    if (end == found->second.c_str() || value < 0) return std::nullopt;
    return value;
  };
  answer.charged = number("x-ms-resource-unit");
  answer.used_fraction = number("x-ms-throttle-limit-percentage");
  if (answer.throttled) answer.retry_after = http::retry_after(response.headers);
  return answer;
}

std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

}  // namespace

std::string GraphResponse::error_code() const {
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return "";
  return text(body["error"], "code");
}

std::string GraphResponse::error_message() const {
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return "";
  return text(body["error"], "message");
}

std::string GraphResponse::request_id() const {
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const nlohmann::json& error = body["error"];
    for (const char* inner : {"innerError", "innererror"})
      if (error.contains(inner) && error[inner].is_object() && error[inner].contains("request-id"))
        return text(error[inner], "request-id");
  }
  auto found = headers.find("request-id");
  return found == headers.end() ? "" : found->second;
}

std::string describe_failure(const std::string& method, const std::string& path, const GraphResponse& response) {
  std::string text = method + " " + path_of(path) + ": HTTP " + std::to_string(response.status);
  if (std::string code = response.error_code(); !code.empty()) text += " " + code;
  if (std::string message = response.error_message(); !message.empty()) text += ": " + message;
  if (std::string id = response.request_id(); !id.empty()) text += " (request-id " + id + ")";
  return util::redact(text);
}

Error response_error(const std::string& method, const std::string& path, const GraphResponse& response) {
  ErrorCategory category = http::category_of_status(response.status);
  // OData answers a path segment it does not know (an API this cloud or tenant lacks, such as
  // applicationTemplates) with 400 "Resource not found for the segment '...'".
  if (response.status == 400 && response.error_message().starts_with("Resource not found for the segment"))
    category = ErrorCategory::not_found;
  return Error{describe_failure(method, path, response), {}, {}, {}}.with_category(category);
}

std::string odata_quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

GraphClient::GraphClient(const EntraSettings& settings, std::shared_ptr<http::Transport> transport, util::Clock& clock)
    : m_settings(settings), m_clock(clock), m_transport(std::move(transport)) {
  m_pacer = std::make_unique<ResourceUnitPacer>(m_clock, settings.tuning.resource_unit_window);
  http::ClientHooks client_hooks;
  if (settings.verbose) client_hooks.log = [](const std::string& line) { util::log_line("entra", line); };
  client_hooks.before_retry = [this](const http::Request& request, const std::string& why,
                                    std::chrono::milliseconds wait) {
    m_progress.begin_wait("a retry of " + http::path_of(request.url) + " (" + why + ")", wait);
  };
  client_hooks.before_send = [this](const http::Request&) { m_progress.add_request(); };
  m_client = std::make_unique<http::Client>(m_transport, http::RetryPolicy{}, client_hooks, m_clock);

  // Graph answers conditional access 429s without Retry-After; spacing the calls avoids them.
  // Spacing them by when they leave is not enough: a request held up on its way arrives close
  // behind the next one. So the next call also waits `policy_interval` after this one's answer.
  http::ClientHooks paced = client_hooks;
  paced.after_receive = [this](const http::Request&, const http::Response&) {
    std::lock_guard lock(m_pace_mutex);
    m_next_policy_call = std::max(m_next_policy_call, m_clock.steady_now() + m_settings.tuning.policy_interval);
  };
  paced.before_send = [this](const http::Request&) {
    std::chrono::milliseconds wait{0};
    {
      std::lock_guard lock(m_pace_mutex);
      auto now = m_clock.steady_now();
      auto start = std::max(now, m_next_policy_call);
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(start - now);
      m_next_policy_call = start + m_settings.tuning.policy_interval;
    }
    if (wait.count() > 0) {
      m_progress.begin_wait("Graph's conditional access spacing", wait);
      m_clock.sleep(wait);
    }
    m_progress.add_request();
  };
  http::RetryPolicy policy_retries;
  policy_retries.base_delay = std::max(std::chrono::milliseconds(500), m_settings.tuning.policy_interval);
  m_policy_client = std::make_unique<http::Client>(m_transport, policy_retries, paced);
}

Result<void> GraphClient::authenticate(const TokenSourceHooks& hooks) {
  m_tokens = IDFORM_TRY(make_token_source(m_settings, *m_client, hooks));
  return {};
}

std::chrono::milliseconds GraphClient::backoff(int attempt, std::chrono::milliseconds first,
                                               std::chrono::milliseconds most) {
  return util::backoff(attempt, first, most, m_clock.random());
}

std::string GraphClient::relative(const std::string& url) const {
  if (url.starts_with(m_settings.graph_endpoint)) return url.substr(m_settings.graph_endpoint.size());
  // Same API behind another host name: keep what follows the version segment.
  std::string version = path_of(m_settings.graph_endpoint);
  std::string path = path_of(url);
  if (!version.empty() && version != "/" && path.starts_with(version)) return path.substr(version.size());
  return path;
}

Result<GraphResponse> GraphClient::call(const std::string& method, const std::string& path,
                                        const nlohmann::json& body, bool repeatable) {
  if (!m_tokens) return fail("internal error: Graph client used before authentication");
  std::string url = path.starts_with("http") ? path : m_settings.graph_endpoint + path;
  // A paging link is an absolute URL chosen by the server: the token goes only where it was
  // configured to go.
  if (!http::same_origin(url, m_settings.graph_endpoint))
    return fail("refusing to send the Graph token to " + util::redact(url),
                "the URL is not on the configured graph_endpoint (" + m_settings.graph_endpoint +
                    "): same scheme, host and port are required");
  bool policy = is_policy_path(url);
  http::Client& client = policy ? *m_policy_client : *m_client;
  std::unique_lock one_at_a_time(m_policy_call_mutex, std::defer_lock);
  if (policy) one_at_a_time.lock();
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string token = IDFORM_TRY(m_tokens->token(attempt > 0));
    http::Request request{method, url, {}, body.is_null() ? std::string() : body.dump()};
    request.repeatable = repeatable;
    request.headers["Authorization"] = "Bearer " + token;
    request.headers["Accept"] = "application/json";
    if (!body.is_null()) request.headers["Content-Type"] = "application/json";
    auto sent = client.send(request);
    if (!sent) return fail(util::redacted(sent.error()));
    GraphResponse response{sent->status, parse_body(sent->body), sent->headers};
    if (response.status == 401 && attempt == 0) continue;  // the token expired or was revoked
    return response;
  }
  return fail("internal error: unreachable");
}

Result<std::vector<nlohmann::json>> GraphClient::list(const std::string& path) {
  std::vector<nlohmann::json> items;
  std::string next = path;
  while (!next.empty()) {
    GraphResponse response = IDFORM_TRY(call("GET", next));
    if (!response.ok()) return fail(response_error("GET", next, response));
    if (response.body.contains("value") && response.body["value"].is_array()) {
      m_progress.add_done(static_cast<long long>(response.body["value"].size()));
      for (auto& item : response.body["value"]) items.push_back(std::move(item));
    }
    next = text(response.body, "@odata.nextLink");
  }
  return items;
}

Result<std::vector<GraphResponse>> GraphClient::send_envelope(const std::vector<BatchItem>& items) {
  nlohmann::json requests = nlohmann::json::array();
  for (size_t i = 0; i < items.size(); ++i) {
    nlohmann::json request = {{"id", std::to_string(i)}, {"method", items[i].method}, {"url", items[i].url}};
    if (!items[i].body.is_null()) {
      request["body"] = items[i].body;
      request["headers"] = {{"Content-Type", "application/json"}};
    }
    requests.push_back(std::move(request));
  }
  // A batch of reads changes nothing: it may be repeated, and reuses its connection.
  bool reads_only = std::all_of(items.begin(), items.end(), [](const BatchItem& item) { return item.method == "GET"; });
  GraphResponse outer = IDFORM_TRY(call("POST", "/$batch", {{"requests", std::move(requests)}}, reads_only));
  if (outer.status != 200 || !outer.body.contains("responses")) return fail(response_error("POST", "/$batch", outer));
  std::vector<GraphResponse> out(items.size());
  for (const auto& inner : outer.body["responses"]) {
    size_t index = std::strtoul(text(inner, "id", "0").c_str(), nullptr, 10);
    if (index >= out.size()) continue;
    GraphResponse& response = out[index];
    response.status = inner.contains("status") && inner["status"].is_number() ? inner["status"].get<long>() : 0;
    response.body = inner.contains("body") ? inner["body"] : nlohmann::json();
    if (inner.contains("headers") && inner["headers"].is_object())
      for (const auto& [name, value] : inner["headers"].items())
        if (value.is_string()) response.headers[name] = value.get<std::string>();
  }
  return out;
}

// One envelope on its way: the items it holds, the resource units reserved for each, its answer.
struct GraphClient::SentEnvelope {
  std::vector<size_t> members;
  std::vector<double> reserved;
  std::future<Result<std::vector<GraphResponse>>> answer;
};

// One round of batch(): what it settles into `outcomes`, and what is left to send again and why.
struct GraphClient::BatchRound {
  const std::vector<BatchItem>& items;
  std::vector<BatchOutcome>& outcomes;
  std::string& last_problem;
  std::vector<size_t> retry;
  bool failed_without_throttling = false;  // 5xx or a dropped envelope: back off before the next round
};

// Takes in one envelope's answers; an error when the whole batch must stop.
Result<void> GraphClient::settle(BatchRound& round, SentEnvelope& sent) {
  const std::vector<BatchItem>& items = round.items;
  auto responses = sent.answer.get();
  if (!responses) {  // the envelope failed as a whole: every item inside is retried
    round.last_problem = responses.error().summary;
    bool throttled = responses.error().category == ErrorCategory::throttled;
    bool all_idempotent =
        std::all_of(sent.members.begin(), sent.members.end(), [&](size_t i) { return items[i].method != "POST"; });
    if (!all_idempotent && !throttled)
      return fail("Graph $batch failed; it may have been partly applied", round.last_problem);
    round.failed_without_throttling = round.failed_without_throttling || !throttled;
    round.retry.insert(round.retry.end(), sent.members.begin(), sent.members.end());
    return {};
  }
  for (size_t k = 0; k < sent.members.size(); ++k) {
    GraphResponse& response = (*responses)[k];
    size_t index = sent.members[k];
    m_pacer->observe(pacer_answer(items[index].url, sent.reserved[k], response));
    if (m_settings.verbose)
      if (std::string note = m_pacer->take_start_note(); !note.empty()) util::log_line("entra", note);
    if (transient(items[index], response.status)) {
      round.last_problem = describe_failure(items[index].method, items[index].url, response);
      round.failed_without_throttling = round.failed_without_throttling || response.status != 429;
      round.retry.push_back(index);
      continue;
    }
    round.outcomes[index].response = std::move(response);
  }
  return {};
}

// Sends `pending` in a sliding window of envelopes: each one waits for its resource units before
// it goes out, so after Graph's first 429 nothing more is sent until the budget has refilled.
Result<void> GraphClient::send_round(BatchRound& round, const std::vector<size_t>& pending) {
  const size_t in_flight = static_cast<size_t>(std::max(1, m_settings.tuning.batches_in_flight));
  std::deque<SentEnvelope> window;
  for (size_t start = 0; start < pending.size(); start += kBatchLimit) {
    if (window.size() == in_flight) {
      IDFORM_TRY(settle(round, window.front()));
      window.pop_front();
    }
    SentEnvelope sent;
    std::vector<BatchItem> envelope;
    double units = 0;
    for (size_t i = start; i < std::min(pending.size(), start + kBatchLimit); ++i) {
      sent.members.push_back(pending[i]);
      sent.reserved.push_back(m_pacer->estimate(round.items[pending[i]].url));
      units += sent.reserved.back();
      envelope.push_back(round.items[pending[i]]);
    }
    if (auto wait = m_pacer->reserve(units); wait.count() > 0) {
      m_progress.begin_wait("Graph's resource-unit budget", wait);
      m_clock.sleep(wait);
    }
    sent.answer = util::start_guarded("sending a Graph $batch envelope",
                                      [this, envelope = std::move(envelope)] { return send_envelope(envelope); });
    window.push_back(std::move(sent));
  }
  for (; !window.empty(); window.pop_front()) IDFORM_TRY(settle(round, window.front()));
  return {};
}

Result<std::vector<BatchOutcome>> GraphClient::batch(const std::vector<BatchItem>& items) {
  std::vector<BatchOutcome> outcomes(items.size());
  std::vector<size_t> pending(items.size());
  for (size_t i = 0; i < items.size(); ++i) pending[i] = i;
  std::string last_problem;
  for (int round_number = 0; !pending.empty(); ++round_number) {
    if (round_number == kBatchRounds)
      return fail("Graph $batch: " + std::to_string(pending.size()) + " request(s) still failing after " +
                      std::to_string(kBatchRounds) + " rounds",
                  last_problem);
    BatchRound round{items, outcomes, last_problem, {}, false};
    IDFORM_TRY(send_round(round, pending));
    if (m_settings.verbose && m_pacer->pacing())
      util::log_line("entra", "$batch round " + std::to_string(round_number + 1) + ": " +
                                  std::to_string(pending.size()) + " request(s), " +
                                  std::to_string(round.retry.size()) + " to send again; pacing reads at " +
                                  std::to_string(static_cast<long>(m_pacer->rate_per_second())) + " RU/s");
    // Throttled items wait in the pacer (their Retry-After is a debt on the budget); other
    // transient failures back off here.
    if (round.failed_without_throttling)
      m_clock.sleep(backoff(round_number, std::chrono::milliseconds(500), std::chrono::milliseconds(30000)));
    std::sort(round.retry.begin(), round.retry.end());
    pending = std::move(round.retry);
  }
  return outcomes;
}

Result<std::map<std::string, std::vector<nlohmann::json>>> GraphClient::batch_list(
    const std::map<std::string, std::string>& paths, std::set<std::string>* gone) {
  std::map<std::string, std::vector<nlohmann::json>> out;
  std::vector<std::pair<std::string, std::string>> pending(paths.begin(), paths.end());
  while (!pending.empty()) {
    std::vector<BatchItem> items;
    for (const auto& [key, path] : pending) {
      items.push_back({"GET", path, nullptr});
      out[key];  // an empty list is still an answer
    }
    std::vector<BatchOutcome> outcomes = IDFORM_TRY(batch(items));
    std::vector<std::pair<std::string, std::string>> next_pages;
    for (size_t i = 0; i < outcomes.size(); ++i) {
      GraphResponse& response = outcomes[i].response;
      if (gone && response.status == 404) {
        gone->insert(pending[i].first);
        out.erase(pending[i].first);
        continue;
      }
      if (!response.ok()) return fail(response_error("GET", pending[i].second, response));
      if (response.body.contains("value") && response.body["value"].is_array()) {
        m_progress.add_done(static_cast<long long>(response.body["value"].size()));
        for (auto& item : response.body["value"]) out[pending[i].first].push_back(std::move(item));
      }
      if (std::string link = text(response.body, "@odata.nextLink"); !link.empty()) {
        if (!http::same_origin(link, m_settings.graph_endpoint))
          return fail("refusing to follow a paging link off the configured graph_endpoint: " + util::redact(link),
                      "same scheme, host and port as " + m_settings.graph_endpoint + " are required");
        next_pages.emplace_back(pending[i].first, relative(link));
      }
    }
    pending = std::move(next_pages);
  }
  return out;
}

}  // namespace idform::providers::entra
