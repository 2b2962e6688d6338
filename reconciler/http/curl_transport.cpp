// libcurl behind the Transport interface. Easy handles are pooled and reused so connections stay
// alive across requests (TLS handshakes are the expensive part of talking to Graph or Okta);
// each request takes a handle from the pool and gives it back when done.

#include <curl/curl.h>

#include <mutex>
#include <vector>

#include "reconciler/http/client.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::http {
namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t write_header(char* data, size_t size, size_t count, void* user) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    auto* headers = static_cast<Headers*>(user);
    (*headers)[util::trim(line.substr(0, colon))] = util::trim(line.substr(colon + 1));
  } else if (line.starts_with("HTTP/")) {
    static_cast<Headers*>(user)->clear();  // a new response (after 100-continue or a redirect)
  }
  return size * count;
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions options) : m_options(std::move(options)) {
    static GlobalInit init;
  }
  ~CurlTransport() override {
    for (CURL* handle : m_pool) curl_easy_cleanup(handle);
  }

  std::expected<Response, TransportError> send(const Request& request) override {
    CURL* handle = acquire();
    Response response;
    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(handle, CURLOPT_NOBODY, request.method == "HEAD" ? 1L : 0L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    } else {
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    // libcurl silently sends a request again when a reused connection turns out dead before any
    // answer, which for a request that is not idempotent may do the work twice (the server may
    // have done it before the connection died). Such a request gets a connection of its own, so a
    // lost answer surfaces as an error the provider can check for.
    curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, request.idempotent() ? 0L : 1L);
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, write_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response.headers);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
    if (!m_options.ca_bundle.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, m_options.ca_bundle.c_str());

    CURLcode code = curl_easy_perform(handle);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      bool before_send = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST;
      // A failed handle may hold a broken connection: do not reuse it.
      curl_easy_cleanup(handle);
      return std::unexpected(TransportError{curl_easy_strerror(code), before_send});
    }
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
    release(handle);
    return response;
  }

 private:
  CURL* acquire() {
    {
      std::lock_guard lock(m_mutex);
      if (!m_pool.empty()) {
        CURL* handle = m_pool.back();
        m_pool.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }
  void release(CURL* handle) {
    std::lock_guard lock(m_mutex);
    m_pool.push_back(handle);
  }

  TransportOptions m_options;
  std::mutex m_mutex;
  std::vector<CURL*> m_pool;
};

}  // namespace

std::unique_ptr<Transport> make_curl_transport(const TransportOptions& options) {
  return std::make_unique<CurlTransport>(options);
}

}  // namespace idform::http
