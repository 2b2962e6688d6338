// The Okta management API client: authentication, pacing, Link paging and error messages.
#include "providers/okta/okta_client.hpp"

#include <algorithm>

#include "providers/okta/json_fields.hpp"
#include "reconciler/util/backoff.hpp"
#include "reconciler/util/log_line.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

nlohmann::json parse_body(const std::string& text) {
  if (text.empty()) return nullptr;
  nlohmann::json body = nlohmann::json::parse(text, nullptr, false);
  return body.is_discarded() ? nlohmann::json() : body;
}

// "https://org/api/v1/groups?q=x" -> "/api/v1/groups?q=x": the request as an error names it.
std::string path_and_query(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

}  // namespace

std::string OktaResponse::error_code() const { return text(body, "errorCode"); }
std::string OktaResponse::error_id() const { return text(body, "errorId"); }

std::string OktaResponse::error_summary() const {
  std::string summary = text(body, "errorSummary");
  if (summary.empty()) summary = text(body, "error_description", text(body, "error"));
  std::vector<std::string> causes;
  // errorCauses is usually an array of {errorSummary}, in a few places a single object.
  nlohmann::json list = body.is_object() && body.contains("errorCauses") ? body["errorCauses"] : nlohmann::json();
  if (list.is_object()) list = nlohmann::json::array({list});
  if (list.is_array())
    for (const auto& cause : list)
      if (std::string text_of_cause = text(cause, "errorSummary"); !text_of_cause.empty()) causes.push_back(text_of_cause);
  if (!causes.empty()) summary += " (" + util::join(causes, "; ") + ")";
  return summary;
}

std::string OktaResponse::request_id() const {
  auto found = headers.find("X-Okta-Request-Id");
  return found == headers.end() ? "" : found->second;
}

std::string describe_failure(const std::string& method, const std::string& path, const OktaResponse& response) {
  std::string text = method + " " + path_and_query(path) + ": HTTP " + std::to_string(response.status);
  if (std::string code = response.error_code(); !code.empty()) text += " " + code;
  if (std::string summary = response.error_summary(); !summary.empty()) text += ": " + summary;
  std::vector<std::string> ids;
  if (std::string id = response.error_id(); !id.empty()) ids.push_back("errorId " + id);
  if (std::string id = response.request_id(); !id.empty()) ids.push_back("request " + id);
  if (!ids.empty()) text += " [" + util::join(ids, ", ") + "]";
  return util::redact(text);
}

Error response_error(const std::string& method, const std::string& path, const OktaResponse& response) {
  ErrorCategory category = http::category_of_status(response.status);
  return Error{describe_failure(method, path, response), {}, {}, {}}.with_category(category);
}

std::string filter_quote(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

OktaClient::OktaClient(OktaSettings settings, std::shared_ptr<http::Transport> transport, util::Clock& clock)
    : m_settings(std::move(settings)),
      m_clock(clock),
      m_pacer(m_settings.tuning.rate_limit_reserve, m_settings.tuning.reset_margin, m_clock,
              [this](const std::string& bucket, std::chrono::milliseconds wait) {
                m_progress.begin_wait("Okta's " + bucket + " window", wait);
              }),
      m_in_flight(std::clamp(m_settings.tuning.max_concurrency, 1, 75)) {
  http::ClientHooks client_hooks;
  client_hooks.before_send = [this](const http::Request& request) {
    m_pacer.before_send(request);
    m_progress.add_request();
  };
  client_hooks.before_retry = [this](const http::Request& request, const std::string& why,
                                    std::chrono::milliseconds wait) {
    m_progress.begin_wait("a retry of " + http::path_of(request.url) + " (" + why + ")", wait);
  };
  client_hooks.after_receive = [this](const http::Request& request, const http::Response& response) {
    m_pacer.after_receive(request, response);
  };
  if (m_settings.verbose) client_hooks.log = [](const std::string& line) { util::log_line("okta", line); };
  http::RetryPolicy retries;
  // The pacer already waits for the window to reset after a 429; the client's own backoff only
  // has to space out 5xx and dropped connections.
  retries.base_delay = std::chrono::milliseconds(250);
  retries.max_delay = std::chrono::milliseconds(30000);
  m_client = std::make_unique<http::Client>(std::move(transport), retries, client_hooks, m_clock);
}

Result<void> OktaClient::authenticate(const TokenSourceHooks& hooks) {
  m_tokens = IDFORM_TRY(make_token_source(m_settings, *m_client, hooks));
  return {};
}

std::chrono::milliseconds OktaClient::backoff(int attempt, std::chrono::milliseconds first,
                                              std::chrono::milliseconds most) {
  return util::backoff(attempt, first, most, m_clock.random());
}

Result<OktaResponse> OktaClient::call(const std::string& method, const std::string& path, const nlohmann::json& body) {
  if (!m_tokens) return fail("internal error: Okta client used before authentication");
  std::string url = path.starts_with("http") ? path : m_settings.org_url + path;
  // A Link header is chosen by the server: the credential goes only to the configured org.
  if (!http::same_origin(url, m_settings.org_url))
    return fail("refusing to send the Okta credential to " + util::redact(url),
                "the URL is not on the configured org_url (" + m_settings.org_url +
                    "): same scheme, host and port are required");
  Access access = method == "GET" ? Access::read : Access::write;
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string authorization = IDFORM_TRY(m_tokens->authorization(access, attempt > 0));
    http::Request request{method, url, {}, body.is_null() ? std::string() : body.dump()};
    request.headers["Authorization"] = authorization;
    request.headers["Accept"] = "application/json";
    // Okta wants a JSON content type on writes, and Content-Length: 0 on an empty POST/PUT.
    if (!body.is_null() || method != "GET") request.headers["Content-Type"] = "application/json";
    m_in_flight.acquire();
    auto sent = m_client->send(request);
    m_pacer.finished();
    m_in_flight.release();
    if (!sent) return fail(util::redacted(sent.error()));
    OktaResponse response{sent->status, parse_body(sent->body), sent->headers};
    if (response.status != 401) return response;
    if (attempt == 0 && m_tokens->renewable()) continue;  // the token expired or was revoked
    return fail(
        ErrorCategory::auth,
        "authentication failed for target \"" + m_settings.target_name + "\": Okta rejected " + m_tokens->credential(),
        describe_failure(method, url, response));
  }
  return fail("internal error: unreachable");
}

Result<std::vector<nlohmann::json>> OktaClient::list(const std::string& path, bool* gone) {
  std::vector<nlohmann::json> items;
  std::string next = path;
  while (!next.empty()) {
    OktaResponse response = IDFORM_TRY(call("GET", next));
    if (gone && response.status == 404 && next == path) {
      *gone = true;
      return items;
    }
    if (!response.ok()) return fail(response_error("GET", next, response));
    if (response.body.is_array()) {
      m_progress.add_done(static_cast<long long>(response.body.size()));
      for (auto& item : response.body) items.push_back(std::move(item));
    }
    auto link = response.headers.find("Link");
    next = link == response.headers.end() ? "" : http::next_link(link->second);
  }
  return items;
}

}  // namespace idform::providers::okta
