#pragma once
// Test harness for the Okta flavor of idp-sim: starts `idp-sim --flavor okta --port 0 ...` as a
// child process, talks to it over real HTTP with libcurl (keeping repeated headers such as the two
// `Link` headers), and signs client assertions with OpenSSL. Header-only, used by
// tests/sim/okta_*_test.cpp.
#include <curl/curl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/process.hpp"

namespace idform::testing::okta_sim {

using Json = nlohmann::ordered_json;

inline std::string vendor_examples_dir() {
  if (const char* dir = std::getenv("IDFORM_VENDOR_EXAMPLES")) return std::string(dir) + "/okta";
  for (const char* candidate : {IDFORM_SOURCE_DIR "/../shared/vendor-examples/okta", "/work/shared/vendor-examples/okta"}) {
    if (std::filesystem::is_directory(candidate)) return std::filesystem::canonical(candidate).string();
  }
  return {};
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// ---------------------------------------------------------------------------------------------
// HTTP

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;
  bool failed = false;  // transport error (connection closed, ...)

  std::string header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
  std::vector<std::string> all(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : headers) {
      if (key == name) out.push_back(value);
    }
    return out;
  }
  Json json() const { return body.empty() ? Json() : Json::parse(body); }
  // The URL of the Link header with rel="next" ("" when there is none).
  std::string next_link() const {
    for (const auto& value : all("link")) {
      if (value.find("rel=\"next\"") != std::string::npos) return value.substr(1, value.find('>') - 1);
    }
    return {};
  }
};

inline std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

inline std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* target) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    auto begin = value.find_first_not_of(" \t");
    auto end = value.find_last_not_of(" \t\r\n");
    value = begin == std::string::npos ? std::string() : value.substr(begin, end - begin + 1);
    static_cast<HttpResponse*>(target)->headers.emplace_back(name, value);
  }
  return size * count;
}

inline HttpResponse http(const std::string& method, const std::string& url, const std::string& body = {},
                         const std::vector<std::string>& headers = {}) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  HttpResponse response;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    response.failed = true;
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return response;
}

// ---------------------------------------------------------------------------------------------
// The simulator process

class OktaSim {
public:
  // `args` come after `--flavor okta --port 0`.
  explicit OktaSim(std::vector<std::string> args) {
    std::vector<std::string> argv = {IDP_SIM_BINARY, "--flavor", "okta", "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    m_stderr_path = m_dir.path() / "stderr.log";
    int out_pipe[2];
    if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    m_pid = fork();
    if (m_pid == 0) {
      dup2(out_pipe[1], 1);
      FILE* err = std::fopen(m_stderr_path.c_str(), "w");
      if (err) dup2(fileno(err), 2);
      close(out_pipe[0]);
      close(out_pipe[1]);
      std::vector<char*> raw;
      for (auto& arg : argv) raw.push_back(arg.data());
      raw.push_back(nullptr);
      execv(raw[0], raw.data());
      _exit(127);
    }
    close(out_pipe[1]);
    m_stdout = out_pipe[0];
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd fd{m_stdout, POLLIN, 0};
      if (poll(&fd, 1, 100) <= 0) continue;
      char buffer[256];
      ssize_t n = read(m_stdout, buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<std::size_t>(n));
    }
    auto at = line.find("http://");
    if (at == std::string::npos) {
      stop();
      throw std::runtime_error("idp-sim did not start: " + line + " / " + read_text(m_stderr_path));
    }
    m_base = line.substr(at, line.find('\n', at) - at);
  }
  ~OktaSim() { stop(); }
  OktaSim(const OktaSim&) = delete;
  OktaSim& operator=(const OktaSim&) = delete;

  const std::string& base() const { return m_base; }
  std::string url(const std::string& path) const { return path.rfind("http", 0) == 0 ? path : m_base + path; }
  std::string log() const { return read_text(m_stderr_path); }

  HttpResponse admin(const std::string& method, const std::string& path) const { return http(method, url(path)); }
  Json stats() const { return admin("GET", "/_sim/stats").json(); }
  void advance(double seconds) const { admin("POST", "/_sim/clock?advance=" + std::to_string(seconds)); }
  void reset(bool state = false) const { admin("POST", state ? "/_sim/reset?state=true" : "/_sim/reset"); }

private:
  void stop() {
    if (m_pid > 0) {
      kill(m_pid, SIGTERM);
      int status = 0;
      waitpid(m_pid, &status, 0);
      m_pid = -1;
    }
    if (m_stdout >= 0) {
      close(m_stdout);
      m_stdout = -1;
    }
  }

  TempDir m_dir;
  std::filesystem::path m_stderr_path;
  pid_t m_pid = -1;
  int m_stdout = -1;
  std::string m_base;
};

// A client with an Authorization header ("SSWS token" or "Bearer token").
class OktaClient {
public:
  OktaClient(const OktaSim& sim, std::string authorization) : m_sim(sim), m_authorization(std::move(authorization)) {}

  HttpResponse get(const std::string& path) const { return send("GET", path, ""); }
  HttpResponse del(const std::string& path) const { return send("DELETE", path, ""); }
  HttpResponse post(const std::string& path, const Json& body) const { return send("POST", path, body.dump()); }
  HttpResponse put(const std::string& path, const Json& body) const { return send("PUT", path, body.dump()); }
  HttpResponse post_empty(const std::string& path) const { return send("POST", path, ""); }
  HttpResponse put_empty(const std::string& path) const { return send("PUT", path, ""); }
  HttpResponse send(const std::string& method, const std::string& path, const std::string& body) const {
    std::vector<std::string> headers = {"Accept: application/json"};
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    if (!m_authorization.empty()) headers.push_back("Authorization: " + m_authorization);
    return http(method, m_sim.url(path), body, headers);
  }

private:
  const OktaSim& m_sim;
  std::string m_authorization;
};

// ---------------------------------------------------------------------------------------------
// Keys and client assertions

inline std::string base64url(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (i + 1 == bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (i + 2 == bytes.size()) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

class SigningKey {
public:
  static SigningKey rsa(const std::string& kid) { return SigningKey(EVP_RSA_gen(2048), kid, "RS256"); }
  static SigningKey ec(const std::string& kid) { return SigningKey(EVP_EC_gen("P-256"), kid, "ES256"); }

  const std::string& kid() const { return m_kid; }
  const std::string& alg() const { return m_alg; }

  Json public_jwk() const {
    if (m_alg == "RS256") {
      return {{"kty", "RSA"}, {"e", bignum(OSSL_PKEY_PARAM_RSA_E)}, {"use", "sig"}, {"kid", m_kid},
              {"alg", "RS256"}, {"n", bignum(OSSL_PKEY_PARAM_RSA_N)}};
    }
    return {{"kty", "EC"}, {"crv", "P-256"}, {"kid", m_kid}, {"use", "sig"},
            {"x", bignum(OSSL_PKEY_PARAM_EC_PUB_X, 32)}, {"y", bignum(OSSL_PKEY_PARAM_EC_PUB_Y, 32)}};
  }
  Json jwks() const { return {{"keys", Json::array({public_jwk()})}}; }

  std::string sign(const Json& claims, const Json& extra_header = Json::object()) const {
    Json header = {{"alg", m_alg}, {"kid", m_kid}};
    for (const auto& [key, value] : extra_header.items()) header[key] = value;
    std::string input = base64url(header.dump()) + "." + base64url(claims.dump());
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    std::size_t length = 0;
    EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, m_key.get());
    EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string signature(length, '\0');
    EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    signature.resize(length);
    EVP_MD_CTX_free(context);
    if (m_alg == "ES256") signature = der_to_raw(signature);
    return input + "." + base64url(signature);
  }

private:
  SigningKey(EVP_PKEY* key, std::string kid, std::string alg)
      : m_key(key, EVP_PKEY_free), m_kid(std::move(kid)), m_alg(std::move(alg)) {}

  std::string bignum(const char* name, std::size_t pad = 0) const {
    BIGNUM* value = nullptr;
    EVP_PKEY_get_bn_param(m_key.get(), name, &value);
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(value)), '\0');
    BN_bn2bin(value, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(value);
    if (bytes.size() < pad) bytes.insert(0, pad - bytes.size(), '\0');
    return base64url(bytes);
  }

  static std::string der_to_raw(const std::string& der) {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size()));
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig, &r, &s);
    std::string raw(64, '\0');
    BN_bn2binpad(r, reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(s, reinterpret_cast<unsigned char*>(raw.data() + 32), 32);
    ECDSA_SIG_free(sig);
    return raw;
  }

  std::shared_ptr<EVP_PKEY> m_key;
  std::string m_kid;
  std::string m_alg;
};

inline long long now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline std::string unique_jti() {
  static std::atomic<int> counter{0};
  return "jti-" + std::to_string(now_seconds()) + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
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

inline HttpResponse request_token(const OktaSim& sim, const std::string& assertion, const std::string& scope,
                                  const std::string& grant_type = "client_credentials") {
  std::string body = "grant_type=" + grant_type + "&scope=" + scope +
                     "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                     "&client_assertion=" + assertion;
  for (auto& c : body) {
    if (c == ' ') c = '+';
  }
  return http("POST", sim.url("/oauth2/v1/token"), body,
              {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"});
}

}  // namespace idform::testing::okta_sim
