// HTTP for the replay driver: libcurl, one easy handle (one kept-alive connection) per worker,
// and the retry behaviour of the peers' SDKs:
//  - azuread (go-retryablehttp under hamilton / go-azure-sdk): on 429 and 5xx wait Retry-After
//    when given, else 1 s * 2^attempt capped at 30 s;
//  - okta (okta-sdk-golang's request executor): on 429 wait until X-Rate-Limit-Reset (epoch
//    seconds) plus one second; other retries as above.
// Waits that are vendor-time constants (the 1 s backoff base, Okta's extra second) are scaled by
// the simulator's --time-scale; server hints are already in real time.

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "bench/replay/replay.hpp"

namespace bench::replay {
namespace {

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
    // Okta sends one Link header per relation; keep them all.
    headers[name] = headers.count(name) ? headers[name] + ", " + value : value;
  }
  return size * count;
}

bool looks_unrouted(const Response& response) {
  if (response.status == 400 || response.status == 405 || response.status == 501) return true;
  if (response.status == 404)
    return response.body.find("Resource not found for the segment") != std::string::npos ||
           response.body.find("E0000022") != std::string::npos;
  return false;
}

bool retryable(long status) { return status == 0 || status == 429 || status >= 500; }

}  // namespace

Client::Client(const ClientSettings& settings, Recorder& recorder)
    : m_settings(settings), m_recorder(recorder), m_curl(curl_easy_init()) {}

Client::~Client() { curl_easy_cleanup(static_cast<CURL*>(m_curl)); }

Response Client::once(const std::string& method, const std::string& url, const std::string& body) {
  CURL* curl = static_cast<CURL*>(m_curl);
  Response response;
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : m_settings.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(headers);
  return response;
}

std::chrono::duration<double> Client::wait_for(const Response& response, int attempt) const {
  const double scale = m_settings.time_scale;
  auto header = [&](const char* name) -> std::optional<double> {
    auto found = response.headers.find(name);
    if (found == response.headers.end()) return std::nullopt;
    try {
      return std::stod(found->second);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  if (response.status == 429 && m_settings.retry == RetryStyle::okta_rate_limit_reset) {
    if (auto reset = header("x-rate-limit-reset")) {
      double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
      return std::chrono::duration<double>(std::max(0.0, *reset - now) + 1.0 * scale);
    }
  }
  if (auto milliseconds = header("retry-after-ms")) return std::chrono::duration<double>(*milliseconds / 1000.0);
  if (auto seconds = header("retry-after")) return std::chrono::duration<double>(*seconds);
  return std::chrono::duration<double>(std::min(30.0, std::pow(2.0, attempt)) * scale);
}

Response Client::with_retries(const std::string& step, const std::string& method, const std::string& url,
                              const std::string& body) {
  Response response;
  for (int attempt = 0;; ++attempt) {
    response = once(method, url, body);
    if (attempt == 0 && looks_unrouted(response)) {
      // A 400/405 on the very first request of a step means idp-sim does not serve this path
      // shape; report it as not replayed rather than count an error.
      m_recorder.mark_unemulated(step, response.status);
      return response;
    }
    m_recorder.record(step, response.status, attempt > 0);
    if (!retryable(response.status) || attempt >= m_settings.max_retries) return response;
    std::this_thread::sleep_for(wait_for(response, attempt));
  }
}

bool Client::skipped(const std::string& step) { return m_recorder.is_unemulated(step); }

Response Client::get(const std::string& step, const std::string& path_or_url) {
  std::string url = path_or_url.rfind("http", 0) == 0 ? path_or_url : m_settings.base_url + path_or_url;
  return with_retries(step, "GET", url, "");
}

Response Client::post_form(const std::string& step, const std::string& path, const std::string& form) {
  return with_retries(step, "POST", m_settings.base_url + path, form);
}

void Recorder::record(const std::string& step, long status, bool retry) {
  std::lock_guard lock(m_mutex);
  ++m_requests;
  ++m_by_step[step][std::to_string(status)];
  if (retry) ++m_retries[step];
  if (status == 429) ++m_throttled;
  if (status == 0 || status >= 500 || (status >= 400 && status != 429)) ++m_failed;
}

void Recorder::mark_unemulated(const std::string& step, long status) {
  std::lock_guard lock(m_mutex);
  m_unemulated[step] = status;
}

bool Recorder::is_unemulated(const std::string& step) {
  std::lock_guard lock(m_mutex);
  return m_unemulated.count(step) > 0;
}

nlohmann::json Recorder::to_json() const {
  std::lock_guard lock(m_mutex);
  nlohmann::json steps = nlohmann::json::object();
  for (const auto& [step, statuses] : m_by_step) {
    long long total = 0;
    for (const auto& [status, count] : statuses) total += count;
    steps[step] = {{"requests", total}, {"status", statuses}, {"retries", m_retries.count(step) ? m_retries.at(step) : 0}};
  }
  nlohmann::json unemulated = nlohmann::json::object();
  for (const auto& [step, status] : m_unemulated) unemulated[step] = status;
  // Requests answered 429 are retried, so "failed" counts final and intermediate non-429 errors.
  return {{"requests_total", m_requests},
          {"throttled", m_throttled},
          {"error_responses", m_failed},
          {"steps", steps},
          {"not_replayed", unemulated}};
}

bool get_all_pages(Client& client, const std::string& step, const std::string& first) {
  std::string next = first;
  while (!next.empty()) {
    Response response = client.get(step, next);
    if (response.status < 200 || response.status >= 300) return false;
    next.clear();
    auto link = response.headers.find("link");
    if (link != response.headers.end()) {
      // Okta: <https://…?after=x>; rel="next"
      std::string text = link->second;
      for (std::size_t at = text.find('<'); at != std::string::npos; at = text.find('<', at + 1)) {
        auto close = text.find('>', at);
        if (close == std::string::npos) break;
        auto rel_end = text.find(',', close);
        if (text.substr(close, rel_end - close).find("rel=\"next\"") != std::string::npos) next = text.substr(at + 1, close - at - 1);
      }
    } else if (!response.body.empty() && response.body.front() == '{') {
      auto body = nlohmann::json::parse(response.body, nullptr, false);
      if (body.is_object() && body.contains("@odata.nextLink") && body["@odata.nextLink"].is_string())
        next = body["@odata.nextLink"].get<std::string>();
    }
  }
  return true;
}

}  // namespace bench::replay
