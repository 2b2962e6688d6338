#pragma once
// Test harness for the Okta flavor of idp-sim, on top of the shared test support
// (tests/support/sim_process.hpp, sim_http.hpp, test_keys.hpp): an Okta sim process, a client that
// sends `Authorization: SSWS ...` or `Bearer ...`, responses parsed with key order preserved (to
// compare payloads exactly) and their Link headers, and private_key_jwt client assertions.
// Header-only, used by sim/okta_*_test.cpp.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/sim_http.hpp"
#include "support/sim_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_keys.hpp"

namespace idform::testing::okta_sim {

using Json = nlohmann::ordered_json;  // Okta payloads compared with their key order
using idform::testing::TempDir;
using idform::testing::read_text;

inline std::string vendor_examples_dir() {
  for (const char* candidate :
       {IDFORM_SOURCE_DIR "/tests/fixtures/vendor/okta"}) {
    if (std::filesystem::is_directory(candidate)) return std::filesystem::canonical(candidate).string();
  }
  return {};
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A response of the shared client, read the Okta way.
struct OktaResponse {
  long status = 0;
  bool failed = false;  // no HTTP response (e.g. an injected dropped connection)
  std::string body;
  idform::testing::HttpResponse raw;

  std::string header(const std::string& name) const { return raw.header(name); }
  std::vector<std::string> all(const std::string& name) const { return raw.header_values(name); }
  Json json() const { return body.empty() ? Json() : Json::parse(body); }
  // The URL of the Link header with rel="next" ("" when there is none).
  std::string next_link() const {
    for (const auto& value : all("link")) {
      if (value.find("rel=\"next\"") != std::string::npos) return value.substr(1, value.find('>') - 1);
    }
    return {};
  }
};

inline OktaResponse http(const std::string& method, const std::string& url, const std::string& body = {},
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
  OktaResponse response;
  response.raw = http_send(HttpRequest{method, url, std::move(headers), body, 20000});
  response.status = response.raw.status;
  response.failed = !response.raw.ok();
  response.body = response.raw.body;
  return response;
}

class OktaSim {
public:
  // `args` come after `--flavor okta --port 0`.
  explicit OktaSim(std::vector<std::string> args)
      : m_process(SimProcessOptions{.flavor = "okta", .seed_dir = "", .extra_args = std::move(args)}) {}

  std::string base() const { return m_process.base_url(); }
  std::string url(const std::string& path) const { return path.rfind("http", 0) == 0 ? path : base() + path; }
  std::string log() const { return m_process.log(); }
  OktaResponse admin(const std::string& method, const std::string& path) const { return http(method, url(path)); }
  Json stats() const { return admin("GET", "/_sim/stats").json(); }
  void advance(double seconds) const { m_process.advance_clock(seconds); }
  void reset(bool state = false) const { m_process.reset(state); }

private:
  SimProcess m_process;
};

// A client with an Authorization header ("SSWS token" or "Bearer token"; "" for none).
class OktaClient {
public:
  OktaClient(const OktaSim& sim, std::string authorization) : m_sim(sim), m_authorization(std::move(authorization)) {}

  OktaResponse get(const std::string& path) const { return send("GET", path, ""); }
  OktaResponse del(const std::string& path) const { return send("DELETE", path, ""); }
  OktaResponse post(const std::string& path, const Json& body) const { return send("POST", path, body.dump()); }
  OktaResponse put(const std::string& path, const Json& body) const { return send("PUT", path, body.dump()); }
  OktaResponse post_empty(const std::string& path) const { return send("POST", path, ""); }
  OktaResponse put_empty(const std::string& path) const { return send("PUT", path, ""); }
  OktaResponse send(const std::string& method, const std::string& path, const std::string& body) const {
    std::vector<std::pair<std::string, std::string>> headers = {{"Accept", "application/json"}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    if (!m_authorization.empty()) headers.emplace_back("Authorization", m_authorization);
    return http(method, m_sim.url(path), body, std::move(headers));
  }

private:
  const OktaSim& m_sim;
  std::string m_authorization;
};

// A key pair for private_key_jwt: its public JWK for the sim, and assertions signed with it.
class SigningKey {
public:
  static SigningKey rsa(const std::string& kid) { return SigningKey(make_test_key("RSA", "okta test", kid), "RS256"); }
  static SigningKey ec(const std::string& kid) { return SigningKey(make_test_key("EC", "okta test", kid), "ES256"); }

  const std::string& alg() const { return m_alg; }
  Json public_jwk() const { return Json::parse(m_key.public_jwk.dump()); }
  Json jwks() const { return {{"keys", Json::array({public_jwk()})}}; }
  // `header` may override "alg" (to send a header naming another algorithm).
  std::string sign(const Json& claims, const Json& header = Json::object()) const {
    nlohmann::json full = {{"kid", m_key.public_jwk["kid"]}};
    for (const auto& [key, value] : header.items()) full[key] = nlohmann::json::parse(value.dump());
    std::string alg = full.value("alg", m_alg);
    return sign_test_jwt(full, nlohmann::json::parse(claims.dump()), m_key, alg);
  }

private:
  SigningKey(TestKey key, std::string alg) : m_key(std::move(key)), m_alg(std::move(alg)) {}
  TestKey m_key;
  std::string m_alg;
};

inline long long now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline std::string unique_jti() {
  static std::atomic<int> counter{0};
  return "jti-" + std::to_string(now_seconds()) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// Claims of a private_key_jwt client assertion for `client_id` addressed to the sim's token URL.
inline Json assertion_claims(const OktaSim& sim, const std::string& client_id, long long lifetime = 300) {
  return {{"aud", sim.url("/oauth2/v1/token")},
          {"iss", client_id},
          {"sub", client_id},
          {"iat", now_seconds()},
          {"exp", now_seconds() + lifetime},
          {"jti", unique_jti()}};
}

inline OktaResponse request_token(const OktaSim& sim, const std::string& assertion, const std::string& scope,
                                  const std::string& grant_type = "client_credentials") {
  std::string body = "grant_type=" + url_encode(grant_type) + "&scope=" + url_encode(scope) +
                     "&client_assertion_type=" + url_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                     "&client_assertion=" + url_encode(assertion);
  return http("POST", sim.url("/oauth2/v1/token"), body,
              {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}});
}

}  // namespace idform::testing::okta_sim
