// Private keys in every accepted form (PEM, DER, bare base64 DER, JWK; in a file or in the
// variable named by key_file_env) are accepted by both providers, and no error on any path
// (unreadable, corrupted, wrong type, refused by the token endpoint, unreachable endpoint,
// rejected API call) contains any piece of the key.

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <catch2/catch.hpp>

#include "providers/common/key_material.hpp"
#include "providers/entra/graph_client.hpp"
#include "providers/entra_test_support.hpp"
#include "providers/okta/okta_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_keys.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

using namespace idform;
using idform::testing::TempDir;
using idform::testing::TestKey;
using idform::testing::entra::FakeTransport;
using idform::testing::entra::json_response;
using nlohmann::json;

namespace {

// One way of handing over a key: its text, and whether it goes in the variable or a file.
struct KeyForm {
  std::string name;
  std::string material;
  bool in_variable;
};

std::vector<KeyForm> forms_of(const TestKey& key) {
  std::string der = idform::testing::private_key_der(key);
  std::string base64 = idform::testing::base64_encode(der);
  std::string jwk = idform::testing::private_key_jwk(key);
  return {{"PEM in the variable", key.private_key_pem, true}, {"PEM file", key.private_key_pem, false},
          {"DER file", der, false},                            {"base64 DER in the variable", base64, true},
          {"base64 DER file", base64, false},                  {"JWK in the variable", jwk, true},
          {"JWK file", jwk, false}};
}

// Every 16-character piece of the key's representations, skipping PEM armour lines and the JWK's
// public members, which are not secret.
std::vector<std::string> secret_pieces(const TestKey& key) {
  std::string der = idform::testing::private_key_der(key);
  std::vector<std::string> texts = {idform::testing::base64_encode(der), der};
  json jwk = json::parse(idform::testing::private_key_jwk(key));
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi"})
    if (jwk.contains(member)) texts.push_back(jwk[member]);
  for (const auto& line : util::split(key.private_key_pem, '\n'))
    if (!line.starts_with("-----")) texts.push_back(line);
  std::vector<std::string> pieces;
  for (const auto& text : texts)
    for (size_t at = 0; at + 16 <= text.size(); at += 8) pieces.push_back(text.substr(at, 16));
  return pieces;
}

void check_no_leak(const std::string& message, const TestKey& key, const std::string& context) {
  INFO(context << ": " << message);
  for (const auto& piece : secret_pieces(key)) {
    if (message.find(piece) != std::string::npos) FAIL("the message holds part of the private key");
  }
  CHECK(message.find("-----BEGIN") == std::string::npos);
}

std::string corrupted(std::string material) {
  // Keep the shape (armour, JSON, base64 alphabet) and break the contents.
  size_t middle = material.size() / 2;
  for (size_t i = middle; i < middle + 12 && i < material.size(); ++i)
    if (std::isalnum(static_cast<unsigned char>(material[i]))) material[i] = material[i] == 'A' ? 'B' : 'A';
  if (material.starts_with("0") || material[0] == '\x30') material = material.substr(0, material.size() / 2);
  return material;
}

providers::okta::OktaSettings okta_settings() {
  providers::okta::OktaSettings settings;
  settings.target_name = "okta-keys";
  settings.org_url = "https://acme.okta.example";
  settings.auth.method = providers::okta::AuthMethod::private_key_jwt;
  settings.auth.client_id = "0oaservice";
  settings.tuning.reset_margin = std::chrono::milliseconds(0);
  return settings;
}

// Sets the settings' key source to `form`; returns the environment to use.
std::map<std::string, std::string> place(const KeyForm& form, const TempDir& dir, std::string& key_file,
                                         std::string& key_file_env) {
  if (form.in_variable) {
    key_file_env = "IDFORM_TEST_KEY";
    return {{"IDFORM_TEST_KEY", form.material}};
  }
  key_file = dir.write("keys/key", form.material);
  return {};
}

template <typename Hooks>
Hooks env_hooks(std::map<std::string, std::string> values) {
  Hooks hooks;
  hooks.env = [values](const std::string& name) {
    auto found = values.find(name);
    return found == values.end() ? std::string() : found->second;
  };
  return hooks;
}

using Handler = FakeTransport::Handler;

// Signs in to Okta with the key and makes one call; the error of whichever step failed, or "".
std::string okta_attempt(const KeyForm& form, const Handler& handler) {
  TempDir dir;
  auto settings = okta_settings();
  auto env = place(form, dir, settings.auth.key_file, settings.auth.key_file_env);
  util::FakeClock clock;
  providers::okta::OktaClient client(settings, std::make_shared<FakeTransport>(handler), clock);
  auto signed_in = client.authenticate(env_hooks<providers::okta::TokenSourceHooks>(env));
  if (!signed_in) return signed_in.error().to_string();
  auto answer = client.call("GET", "/api/v1/groups");
  if (!answer) return answer.error().to_string();
  return answer->ok() ? "" : providers::okta::describe_failure("GET", "/api/v1/groups", *answer);
}

std::string entra_attempt(const KeyForm& form, const std::string& certificate_pem, const Handler& handler) {
  TempDir dir;
  auto settings = idform::testing::entra::test_settings("https://graph.example", "tenant-1", "client-1");
  settings.auth.method = providers::entra::AuthMethod::certificate;
  settings.auth.certificate_file = certificate_pem.empty() ? (dir.path() / "missing.pem").string()
                                                          : dir.write("cert.pem", certificate_pem);
  auto env = place(form, dir, settings.auth.key_file, settings.auth.key_file_env);
  util::FakeClock clock;
  providers::entra::GraphClient graph(settings, std::make_shared<FakeTransport>(handler), clock);
  auto signed_in = graph.authenticate(env_hooks<providers::entra::TokenSourceHooks>(env));
  if (!signed_in) return signed_in.error().to_string();
  auto answer = graph.call("GET", "/groups");
  if (!answer) return answer.error().to_string();
  return answer->ok() ? "" : "HTTP " + std::to_string(answer->status);
}

http::Response ok_token(const http::Request&) {
  return json_response(200, {{"token_type", "Bearer"}, {"expires_in", 3600}, {"access_token", "eyJ.at"}});
}

// A corrupted key may still parse (a flipped digit inside a number); the endpoint then refuses it.
std::expected<http::Response, http::TransportError> refuse_all(const http::Request&) {
  return json_response(401, {{"error", "invalid_client"}, {"error_description", "The client_assertion signature is invalid."}});
}

}  // namespace

TEST_CASE("okta private_key_jwt accepts every key form and no error shows any of it", "[secrets][okta-provider]") {
  for (const char* kind : {"RSA", "EC"}) {
    TestKey key = idform::testing::make_test_key(kind);
    for (const KeyForm& form : forms_of(key)) {
      util::clear_secrets();
      std::string context = std::string(kind) + ", " + form.name;
      // Accepted: a signed assertion goes to the token endpoint and the call succeeds.
      int assertions = 0;
      std::string accepted = okta_attempt(form, [&](const http::Request& request) -> std::expected<http::Response, http::TransportError> {
        if (request.url.ends_with("/oauth2/v1/token")) {
          assertions += request.body.find("client_assertion=") != std::string::npos;
          return ok_token(request);
        }
        return json_response(200, json::array());
      });
      INFO(context);
      CHECK(accepted.empty());
      CHECK(assertions == 1);

      std::vector<std::pair<std::string, std::string>> failures = {
          {"token endpoint refuses", okta_attempt(form, [](const http::Request&) -> std::expected<http::Response, http::TransportError> {
             return json_response(401, {{"error", "invalid_client"}, {"error_description", "bad assertion"}});
           })},
          {"token endpoint unreachable", okta_attempt(form, [](const http::Request&) -> std::expected<http::Response, http::TransportError> {
             return std::unexpected(http::TransportError{"Couldn't connect to server", true});
           })},
          {"API call rejected", okta_attempt(form, [](const http::Request& request) -> std::expected<http::Response, http::TransportError> {
             if (request.url.ends_with("/oauth2/v1/token")) return ok_token(request);
             return json_response(403, {{"errorCode", "E0000006"}, {"errorSummary", "no permission"}});
           })},
          {"corrupted key", okta_attempt({form.name, corrupted(form.material), form.in_variable}, refuse_all)},
      };
      for (const auto& [what, message] : failures) {
        CHECK(!message.empty());
        check_no_leak(message, key, context + ", " + what);
      }
    }
  }
  // A key Okta refuses (too short) is refused in every form, without showing it.
  EVP_PKEY* short_key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024));
  TestKey weak;
  weak.key = std::shared_ptr<EVP_PKEY>(short_key, EVP_PKEY_free);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, short_key, nullptr, nullptr, 0, nullptr, nullptr);
  weak.private_key_pem = idform::testing::keys_detail::bio_text(bio);
  BIO_free(bio);
  for (const KeyForm& form : forms_of(weak)) {
    std::string message = okta_attempt(form, ok_token);
    INFO(form.name);
    CHECK(message.find("shorter than 2048 bits") != std::string::npos);
    check_no_leak(message, weak, "1024-bit RSA, " + form.name);
  }
}

TEST_CASE("entra certificate auth accepts every key form and no error shows any of it", "[secrets][entra]") {
  TestKey key = idform::testing::make_test_key("RSA");
  TestKey other = idform::testing::make_test_key("RSA", "someone else");
  TestKey ec = idform::testing::make_test_key("EC");
  for (const KeyForm& form : forms_of(key)) {
    util::clear_secrets();
    INFO(form.name);
    CHECK(entra_attempt(form, key.certificate_pem, [](const http::Request& request) -> std::expected<http::Response, http::TransportError> {
            if (request.url.ends_with("/token")) {
              CHECK(request.body.find("client_assertion=") != std::string::npos);
              return ok_token(request);
            }
            return json_response(200, {{"value", json::array()}});
          }) == "");
    std::vector<std::pair<std::string, std::string>> failures = {
        {"token endpoint refuses", entra_attempt(form, key.certificate_pem, [](const http::Request&) -> std::expected<http::Response, http::TransportError> {
           return json_response(401, {{"error", "invalid_client"}, {"error_description", "AADSTS700027: Client assertion contains an invalid signature."}});
         })},
        {"token endpoint unreachable", entra_attempt(form, key.certificate_pem, [](const http::Request&) -> std::expected<http::Response, http::TransportError> {
           return std::unexpected(http::TransportError{"Couldn't connect to server", true});
         })},
        {"key of another certificate", entra_attempt(form, other.certificate_pem, ok_token)},
        {"certificate file missing", entra_attempt(form, "", ok_token)},
        {"corrupted key", entra_attempt({form.name, corrupted(form.material), form.in_variable}, key.certificate_pem, refuse_all)},
    };
    for (const auto& [what, message] : failures) {
      CHECK(!message.empty());
      check_no_leak(message, key, form.name + ", " + what);
    }
  }
  for (const KeyForm& form : forms_of(ec)) {
    std::string message = entra_attempt(form, ec.certificate_pem, ok_token);
    INFO(form.name);
    CHECK(message.find("not an RSA key") != std::string::npos);
    check_no_leak(message, ec, "EC key for Entra, " + form.name);
  }
}

TEST_CASE("a key_file_env value that is neither a file nor a key is refused without repeating it", "[secrets]") {
  // A short base64 blob, and text that looks like nothing: either could be a mangled key.
  for (std::string value : {std::string("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"), std::string("not-a-key-and-not-a-file")}) {
    auto result = providers::common::read_key_material("", "IDFORM_TEST_KEY", value);
    REQUIRE(!result);
    CHECK(result.error().to_string().find(value) == std::string::npos);
    CHECK(result.error().summary.find("$IDFORM_TEST_KEY") != std::string::npos);
  }
}
