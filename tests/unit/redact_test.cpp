// Redaction: registered secrets and credential shapes never reach output.
#include <catch2/catch.hpp>

#include "reconciler/util/redact.hpp"

using idform::util::redact;

TEST_CASE("registered secrets and credential shapes are redacted", "[redact]") {
  idform::util::clear_secrets();
  idform::util::register_secret("s3cr3t-value-123");
  struct Row {
    const char* input;
    const char* expected;
  };
  Row rows[] = {
      {"error: bad secret s3cr3t-value-123 here", "error: bad secret (redacted) here"},
      {"Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig", "Authorization: Bearer (redacted)"},
      {"Authorization: SSWS 00abcdefghijklmnop", "Authorization: SSWS (redacted)"},
      {"grant_type=client_credentials&client_secret=abc123xyz&scope=x", "grant_type=client_credentials&client_secret=(redacted)&scope=x"},
      {"{\"access_token\": \"tok-999999\"}", "{\"access_token\": \"(redacted)\"}"},
      {"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----", "(redacted private key)"},
      {"nothing secret here", "nothing secret here"},
      // The shapes are looked for only where their words occur: in any case for the schemes.
      {"authorization: BEARER abcdefgh12345", "authorization: BEARER (redacted)"},
      {"header sSwS 00abcdefghijklmnop", "header sSwS (redacted)"},
      {"id_token=eyJabc.def", "id_token=(redacted)"},
      {"client_assertion: eyJabc.def", "client_assertion: (redacted)"},
      {"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- tail", "(redacted private key) tail"},
  };
  for (const Row& row : rows) {
    INFO(row.input);
    CHECK(redact(row.input) == row.expected);
  }
  idform::util::clear_secrets();
  CHECK(redact("s3cr3t-value-123") == "s3cr3t-value-123");
}

TEST_CASE("a shape at the end of a large output is redacted", "[redact]") {
  std::string text(2'000'000, 'x');
  text += "\n\"refresh_token\": \"tok-1234567\"";
  std::string redacted = redact(text);
  CHECK(redacted.ends_with("\"refresh_token\": \"(redacted)\""));
  CHECK(redacted.size() == 2'000'000 + std::string("\n\"refresh_token\": \"(redacted)\"").size());
}
