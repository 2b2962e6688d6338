// Redaction: registered secrets and credential shapes never reach output.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <random>
#include <regex>

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

// redact() matches the credential shapes by hand; these are the regular expressions it must agree
// with, applied in the same order, on random text made of the shapes' own pieces.
TEST_CASE("the hand-written credential shapes match as their regular expressions do", "[redact]") {
  idform::util::clear_secrets();
  const std::regex schemes(R"((Bearer|SSWS)\s+[A-Za-z0-9._~+/=-]{8,})", std::regex::icase);
  const std::regex fields(
      R"(((?:client_secret|client_assertion|access_token|refresh_token|id_token)["']?\s*[=:]\s*["']?)[^&"'\s,}]+)");
  auto reference = [&](const std::string& text) {
    return std::regex_replace(std::regex_replace(text, schemes, "$1 (redacted)"), fields, "$1(redacted)");
  };
  const char* pieces[] = {"Bearer", "bEaReR", "SSWS", "ssws", "Bearerx", " ", "  ", "\t", "\n", "client_secret",
                          "client_assertion", "access_token", "refresh_token", "id_token", "id_token_issuance",
                          "\"", "'", ":", "=", "&", ",", "}", "abc", "12345678", "eyJ0eXAi.abc-_~+/=", "x", "é"};
  unsigned seed = std::random_device{}();
  if (const char* fixed = std::getenv("IDFORM_REDACT_SEED")) seed = static_cast<unsigned>(std::strtoul(fixed, nullptr, 10));
  std::cout << "redact property seed: " << seed << " (IDFORM_REDACT_SEED=" << seed << " replays it)\n";
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(pieces) - 1), length(0, 14);
  int changed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (std::size_t n = length(random); n > 0; --n) text += pieces[piece(random)];
    INFO("seed " << seed << ", text: " << text);
    const std::string expected = reference(text);
    REQUIRE(redact(text) == expected);
    if (expected != text) ++changed;
  }
  CHECK(changed > 100);  // the random text does hold credentials, not only near misses
}
