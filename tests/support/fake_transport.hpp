#pragma once
// An http::Transport for client unit tests: answers each request with a function and records it.

#include <expected>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconciler/http/client.hpp"

namespace idform::testing {

class FakeTransport final : public http::Transport {
 public:
  using Handler = std::function<std::expected<http::Response, http::TransportError>(const http::Request&)>;
  explicit FakeTransport(Handler handler) : m_handler(std::move(handler)) {}

  // Clients send from several threads; the handler is called one request at a time so that a
  // test's handler may keep plain counters and make Catch assertions.
  std::expected<http::Response, http::TransportError> send(const http::Request& request) override {
    std::lock_guard lock(m_mutex);
    m_requests.push_back(request);
    return m_handler(request);
  }
  std::vector<http::Request> requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }

 private:
  Handler m_handler;
  mutable std::mutex m_mutex;
  std::vector<http::Request> m_requests;
};

inline http::Response json_response(long status, const nlohmann::json& body, http::Headers headers = {}) {
  headers["Content-Type"] = "application/json";
  return http::Response{status, std::move(headers), body.is_null() ? std::string() : body.dump()};
}

}  // namespace idform::testing
