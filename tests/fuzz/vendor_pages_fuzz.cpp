// Fuzz target: Graph and Okta list pages as the providers' clients read them. The first byte
// picks the vendor and the status; the rest is the first page's body (and, for Okta, a Link
// header line before it). Paging links are followed only on the configured origin, and every
// page after the first is empty, so each input is a bounded conversation. Error answers go
// through the clients' error descriptions.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "providers/entra/graph_client.hpp"
#include "providers/okta/okta_client.hpp"

namespace {

using namespace idform;

class ScriptedTransport final : public http::Transport {
 public:
  ScriptedTransport(long status, std::string body, std::string link)
      : m_status(status), m_body(std::move(body)), m_link(std::move(link)) {}
  std::expected<http::Response, http::TransportError> send(const http::Request& request) override {
    if (request.url.find("/token") != std::string::npos)
      return http::Response{200, {}, R"({"token_type":"Bearer","expires_in":3600,"access_token":"t0k3n"})"};
    if (m_sent++ > 0) return http::Response{200, {}, m_link.empty() ? R"({"value":[]})" : "[]"};
    http::Headers headers;
    if (!m_link.empty()) headers["Link"] = m_link;
    return http::Response{m_status, headers, m_body};
  }

 private:
  long m_status;
  std::string m_body;
  std::string m_link;
  int m_sent = 0;
};

void graph(long status, const std::string& body) {
  providers::entra::EntraSettings settings;
  settings.target_name = "fuzz";
  settings.tenant_id = "t";
  settings.client_id = "c";
  settings.graph_endpoint = "https://graph.example/v1.0";
  settings.authority = "https://graph.example";
  settings.auth.method = providers::entra::AuthMethod::client_secret;
  settings.auth.secret_env = "S";
  settings.tuning.policy_interval = std::chrono::milliseconds(0);
  util::FakeClock fake_clock;
  providers::entra::GraphClient client(settings, std::make_shared<ScriptedTransport>(status, body, ""), fake_clock);
  providers::entra::TokenSourceHooks hooks;
  hooks.env = [](const std::string&) { return std::string("secret"); };
  if (!client.authenticate(hooks)) return;
  (void)client.list("/groups");
  auto single = client.call("GET", "/groups/1");
  if (single) (void)providers::entra::describe_failure("GET", "/groups/1", *single);
}

void okta(long status, const std::string& link, const std::string& body) {
  providers::okta::OktaSettings settings;
  settings.target_name = "fuzz";
  settings.org_url = "https://acme.okta.example";
  settings.auth.method = providers::okta::AuthMethod::api_token;
  settings.auth.token_env = "T";
  settings.tuning.reset_margin = std::chrono::milliseconds(0);
  util::FakeClock clock;
  providers::okta::OktaClient client(
      settings, std::make_shared<ScriptedTransport>(status, body, link.empty() ? " " : link), clock);
  providers::okta::TokenSourceHooks env;
  env.env = [](const std::string&) { return std::string("00token"); };
  if (!client.authenticate(env)) return;
  (void)client.list("/api/v1/groups?limit=200");
  auto single = client.call("GET", "/api/v1/groups/1");
  if (single) (void)providers::okta::describe_failure("GET", "/api/v1/groups/1", *single);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const long statuses[] = {200, 400, 401, 403, 404, 409, 429, 500};
  long status = statuses[data[0] & 7];
  std::string rest = idform::fuzz::text_of(data + 1, size - 1);
  if (data[0] & 8) {
    auto newline = rest.find('\n');
    okta(status, newline == std::string::npos ? "" : rest.substr(0, newline),
         newline == std::string::npos ? rest : rest.substr(newline + 1));
  } else {
    graph(status, rest);
  }
  return 0;
}
