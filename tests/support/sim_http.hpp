#pragma once
// A small blocking HTTP client for tests (header-only, libcurl): enough to talk to idp-sim and to
// observe transport failures (a dropped connection is CURLE_GOT_NOTHING, not a status code).
// https is verified against the system's authorities or HttpRequest::ca_file.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace idform::testing {

struct HttpResponse {
  long status = 0;                                          // 0 when no response arrived
  std::vector<std::pair<std::string, std::string>> headers;  // in order received, names as sent
  std::string body;
  CURLcode error = CURLE_OK;                                // transport error, if any
  std::string error_text;

  bool ok() const { return error == CURLE_OK; }
  // First value of a header (case-insensitive name); "" when absent.
  std::string header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (equals_ignore_case(key, name)) return value;
    }
    return {};
  }
  bool has_header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (equals_ignore_case(key, name)) return true;
    }
    return false;
  }
  std::vector<std::string> header_values(const std::string& name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : headers) {
      if (equals_ignore_case(key, name)) values.push_back(value);
    }
    return values;
  }
  nlohmann::json json() const { return body.empty() ? nlohmann::json() : nlohmann::json::parse(body); }

  static bool equals_ignore_case(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  }
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  long timeout_ms = 15000;
  std::string ca_file = {};  // PEM authorities to trust for https (idp-sim --tls); verification is always on
};

namespace detail {

inline void curl_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

inline std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

inline std::size_t write_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    response->headers.clear();  // a new status line (e.g. after 100 Continue)
  } else if (auto colon = line.find(':'); colon != std::string::npos) {
    std::string value = line.substr(colon + 1);
    auto first = value.find_first_not_of(' ');
    response->headers.emplace_back(line.substr(0, colon), first == std::string::npos ? "" : value.substr(first));
  }
  return size * count;
}

}  // namespace detail

inline HttpResponse http_send(const HttpRequest& request) {
  detail::curl_init_once();
  HttpResponse response;
  CURL* curl = curl_easy_init();
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : request.headers) header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &detail::write_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &detail::write_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  response.error = curl_easy_perform(curl);
  if (response.error == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.error_text = curl_easy_strerror(response.error);
  }
  curl_slist_free_all(header_list);
  curl_easy_cleanup(curl);
  return response;
}

inline HttpResponse http_get(const std::string& url, std::vector<std::pair<std::string, std::string>> headers = {}) {
  return http_send(HttpRequest{"GET", url, std::move(headers), "", 15000});
}

inline HttpResponse http_post(const std::string& url, const std::string& body,
                              std::vector<std::pair<std::string, std::string>> headers = {}) {
  return http_send(HttpRequest{"POST", url, std::move(headers), body, 15000});
}

// Percent-encodes a query or form value.
inline std::string url_encode(const std::string& text) {
  detail::curl_init_once();
  char* escaped = curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

}  // namespace idform::testing
