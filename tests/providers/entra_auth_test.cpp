// Every auth method against idp-sim's identity-platform token endpoint: client secret,
// certificate (key from a file or from the environment), GitHub Actions OIDC federation (a local
// stand-in for the job's ID-token endpoint), and a ready-made access token. Wrong credentials
// give a clear authentication error that names the method and the AADSTS code, and never the
// secret.

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "providers/entra/client_assertion.hpp"
#include "providers/entra_testbed.hpp"

using namespace idform::testing::entra;
using idform::providers::entra::AuthMethod;
using idform::providers::entra::EntraSettings;
using nlohmann::json;

namespace {

constexpr const char* kGithubIssuer = "https://token.actions.githubusercontent.com";
constexpr const char* kGithubSubject = "repo:acme/identity:environment:production";
constexpr const char* kRequestToken = "gha-request-token-0123456789";

// Stands in for $ACTIONS_ID_TOKEN_REQUEST_URL: a minimal HTTP/1.1 responder on loopback (one
// request per connection) handing out ID tokens signed by the "GitHub" key.
class FakeGithubTokenService {
 public:
  FakeGithubTokenService(const TestCertificate& key, std::string subject) : m_subject(std::move(subject)) {
    m_credential = *idform::providers::entra::SigningCredential::from_pem(key.certificate_pem, key.key_pem);
    m_socket = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_socket, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(m_socket, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
    ::listen(m_socket, 8);
    m_thread = std::thread([this] { serve(); });
  }
  ~FakeGithubTokenService() {
    m_stopping = true;
    ::shutdown(m_socket, SHUT_RDWR);
    ::close(m_socket);
    m_thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/token?api-version=2.0"; }
  int calls() const { return m_calls; }
  std::string audience() const {
    std::lock_guard lock(m_mutex);
    return m_audience;
  }

 private:
  void serve() {
    while (!m_stopping) {
      int client = ::accept(m_socket, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(client, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      ++m_calls;
      std::string target = request.substr(4, request.find(' ', 4) - 4);
      auto at = target.find("audience=");
      std::string audience = at == std::string::npos ? "" : url_decode(target.substr(at + 9));
      {
        std::lock_guard lock(m_mutex);
        m_audience = audience;
      }
      bool authorized = request.find(std::string("\r\nAuthorization: bearer ") + kRequestToken + "\r\n") != std::string::npos;
      std::string body = authorized ? json({{"count", 1}, {"value", id_token(m_audience)}}).dump() : "";
      std::string response = std::string(authorized ? "HTTP/1.1 200 OK" : "HTTP/1.1 401 Unauthorized") +
                             "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body;
      ssize_t written = ::write(client, response.data(), response.size());
      (void)written;
      ::close(client);
    }
  }

  static std::string url_decode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else if (text[i] == '&') {
        break;
      } else {
        out += text[i];
      }
    }
    return out;
  }

  std::string id_token(const std::string& audience) const {
    using idform::providers::entra::base64url_encode;
    long long now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    json header = {{"alg", "RS256"}, {"typ", "JWT"}};
    json claims = {{"iss", kGithubIssuer}, {"sub", m_subject}, {"aud", audience}, {"repository", "acme/identity"},
                   {"iat", now}, {"nbf", now}, {"exp", now + 300}};
    std::string input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
    return input + "." + *m_credential.sign(input, idform::providers::entra::SigningAlgorithm::rs256);
  }

  int m_socket = -1;
  int m_port = 0;
  std::thread m_thread;
  std::atomic<bool> m_stopping{false};
  std::string m_subject;
  mutable std::mutex m_mutex;
  std::string m_audience;
  std::atomic<int> m_calls{0};
  idform::providers::entra::SigningCredential m_credential;
};

struct AuthTenant {
  TestCertificate client_certificate = make_test_certificate("idform-client");
  TestCertificate github_key = make_test_certificate("github-oidc");
  idform::testing::TempDir files;
  std::unique_ptr<Testbed> bed;

  AuthTenant() {
    std::ofstream(files.path() / "client.pem") << client_certificate.certificate_pem;
    std::ofstream(files.path() / "client.key") << client_certificate.key_pem;
    TestbedOptions options;
    options.seed = [this](const std::filesystem::path& seed) {
      write_json(seed, "users.json", list_of("users", standard_users()));
      // The app registration idform signs in as, with its GitHub Actions federated credential.
      write_json(seed, "applications.json",
                 list_of("applications", json::array({{{"id", "0b0e0000-0000-4000-8000-00000000c11e"}, {"appId", kSimClient},
                                                       {"displayName", "idform"}, {"signInAudience", "AzureADMyOrg"}}})));
      write_json(seed, "applications/0b0e0000-0000-4000-8000-00000000c11e/federatedIdentityCredentials.json",
                 list_of("applications('0b0e0000-0000-4000-8000-00000000c11e')/federatedIdentityCredentials",
                         json::array({{{"id", "f1d00000-0000-4000-8000-000000000001"}, {"name", "github-production"},
                                       {"issuer", kGithubIssuer}, {"subject", kGithubSubject},
                                       {"audiences", {"api://AzureADTokenExchange"}}}})));
      write_json(seed, "_sim/clients.json",
                 json::array({{{"appId", kSimClient}, {"certificates", {client_certificate.certificate_pem}}}}));
      write_json(seed, "_sim/oidc-issuers.json",
                 json::array({{{"issuer", kGithubIssuer}, {"certificate", github_key.certificate_pem}}}));
    };
    bed = std::make_unique<Testbed>(options);
  }

  // Reads the tenant with the given auth; the result or the error.
  idform::Result<void> read_with(std::function<void(EntraSettings&)> auth, std::map<std::string, std::string> env) {
    auto provider = bed->try_provider(std::move(auth), std::move(env));
    if (!provider) return std::unexpected(provider.error());
    auto read = (*provider)->read({});
    if (!read) return std::unexpected(read.error());
    return {};
  }
};

void certificate_auth(EntraSettings& settings, const std::filesystem::path& dir, bool key_in_env) {
  settings.auth = {};
  settings.auth.method = AuthMethod::certificate;
  settings.auth.certificate_file = (dir / "client.pem").string();
  if (key_in_env) settings.auth.key_file_env = "IDFORM_TEST_KEY";
  else settings.auth.key_file = (dir / "client.key").string();
}

}  // namespace

TEST_CASE("every auth method signs in at the token endpoint and reads the tenant", "[entra]") {
  AuthTenant tenant;
  const auto& dir = tenant.files.path();

  SECTION("client secret") {
    CHECK(tenant.read_with({}, {{"IDFORM_TEST_ENTRA_SECRET", kSimSecret}}));
  }
  SECTION("certificate, key from a file (PS256 assertion with x5t#S256)") {
    CHECK(tenant.read_with([&](EntraSettings& s) { certificate_auth(s, dir, false); }, {}));
  }
  SECTION("certificate, key PEM in the environment") {
    CHECK(tenant.read_with([&](EntraSettings& s) { certificate_auth(s, dir, true); },
                           {{"IDFORM_TEST_KEY", tenant.client_certificate.key_pem}}));
  }
  SECTION("GitHub Actions OIDC federation") {
    FakeGithubTokenService github(tenant.github_key, kGithubSubject);
    auto result = tenant.read_with([](EntraSettings& s) { s.auth = {}; s.auth.method = AuthMethod::github_oidc; },
                                   {{"ACTIONS_ID_TOKEN_REQUEST_URL", github.url()},
                                    {"ACTIONS_ID_TOKEN_REQUEST_TOKEN", kRequestToken}});
    if (!result) FAIL(result.error().to_string());
    CHECK(github.calls() == 1);
    CHECK(github.audience() == "api://AzureADTokenExchange");
  }
  SECTION("access token from the environment") {
    // A token obtained elsewhere (here: the client-credentials grant, by hand).
    auto http = idform::http::make_curl_transport({});
    idform::http::Request request{"POST", tenant.bed->sim().base_url() + "/" + kSimTenant + "/oauth2/v2.0/token", {},
                                  "grant_type=client_credentials&client_id=" + std::string(kSimClient) +
                                      "&client_secret=" + idform::http::url_encode(kSimSecret) +
                                      "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"};
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
    std::string token = json::parse(http->send(request)->body)["access_token"];
    CHECK(tenant.read_with([](EntraSettings& s) { s.auth = {}; s.auth.method = AuthMethod::access_token; s.auth.token_env = "IDFORM_TEST_TOKEN"; },
                           {{"IDFORM_TEST_TOKEN", token}}));
  }
}

TEST_CASE("wrong credentials give a clear authentication error without the secret", "[entra]") {
  AuthTenant tenant;
  const auto& dir = tenant.files.path();
  std::string secret;
  idform::Result<void> result;

  SECTION("a wrong client secret") {
    secret = "not-the-secret-value-42";
    result = tenant.read_with({}, {{"IDFORM_TEST_ENTRA_SECRET", secret}});
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().to_string(), Catch::Contains("authentication failed for target \"entra-test\" (client_secret"));
    CHECK_THAT(result.error().to_string(), Catch::Contains("invalid_client: AADSTS7000215: Invalid client secret provided"));
  }
  SECTION("a certificate the app does not have (its assertion cannot be verified)") {
    TestCertificate other = make_test_certificate("not-registered");
    std::ofstream(dir / "client.pem") << other.certificate_pem;
    std::ofstream(dir / "client.key") << other.key_pem;
    secret = other.key_pem.substr(100, 40);
    result = tenant.read_with([&](EntraSettings& s) { certificate_auth(s, dir, false); }, {});
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().to_string(), Catch::Contains("(certificate, client " + std::string(kSimClient) + "): HTTP 401 invalid_client: AADSTS700027"));
  }
  SECTION("a private key that does not match the certificate") {
    TestCertificate other = make_test_certificate("other");
    std::ofstream(dir / "client.key") << other.key_pem;
    secret = other.key_pem.substr(100, 40);
    result = tenant.read_with([&](EntraSettings& s) { certificate_auth(s, dir, false); }, {});
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().to_string(), Catch::Contains("the private key does not belong to the certificate"));
  }
  SECTION("a GitHub token for a subject the app does not trust") {
    FakeGithubTokenService github(tenant.github_key, "repo:acme/identity:pull_request");
    secret = kRequestToken;
    result = tenant.read_with([](EntraSettings& s) { s.auth = {}; s.auth.method = AuthMethod::github_oidc; },
                              {{"ACTIONS_ID_TOKEN_REQUEST_URL", github.url()}, {"ACTIONS_ID_TOKEN_REQUEST_TOKEN", kRequestToken}});
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().to_string(), Catch::Contains("AADSTS70021: No matching federated identity record found"));
  }
  SECTION("github_oidc outside GitHub Actions") {
    result = tenant.read_with([](EntraSettings& s) { s.auth = {}; s.auth.method = AuthMethod::github_oidc; }, {});
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().to_string(), Catch::Contains("ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set"));
  }
  SECTION("an access token Graph rejects") {
    secret = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    result = tenant.read_with([](EntraSettings& s) { s.auth = {}; s.auth.method = AuthMethod::access_token; s.auth.token_env = "IDFORM_TEST_TOKEN"; },
                              {{"IDFORM_TEST_TOKEN", secret}});
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().to_string(), Catch::Contains("the access token in $IDFORM_TEST_TOKEN was rejected by Microsoft Graph"));
  }
  if (!secret.empty()) CHECK(result.error().to_string().find(secret) == std::string::npos);
}
