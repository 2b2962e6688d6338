// Client assertions as Microsoft's certificate-credentials page specifies them: header alg PS256,
// typ JWT, x5t#S256 = base64url SHA-256 of the certificate's DER; claims aud, iss = sub = client
// id, jti, nbf, exp, iat; PSS signature (RS256 with x5t as the older form).

#include <catch2/catch.hpp>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "providers/entra/client_assertion.hpp"
#include "providers/entra_test_support.hpp"

using namespace idform::providers::entra;

namespace {

std::string sha_thumbprint(const std::string& certificate_pem, const EVP_MD* md) {
  BIO* bio = BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size()));
  X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(certificate, md, digest, &length);
  X509_free(certificate);
  BIO_free(bio);
  return base64url_encode(std::string(reinterpret_cast<char*>(digest), length));
}

bool verify(const std::string& jwt, const std::string& public_key_pem, bool pss) {
  auto last_dot = jwt.rfind('.');
  std::string input = jwt.substr(0, last_dot);
  std::string signature = *base64url_decode(jwt.substr(last_dot + 1));
  BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_PKEY_CTX* key_context = nullptr;
  EVP_DigestVerifyInit(context, &key_context, EVP_sha256(), nullptr, key);
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST);
  }
  int ok = EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  BIO_free(bio);
  return ok == 1;
}

nlohmann::json part(const std::string& jwt, int index) {
  auto first = jwt.find('.');
  auto second = jwt.find('.', first + 1);
  std::string text = index == 0 ? jwt.substr(0, first) : jwt.substr(first + 1, second - first - 1);
  return nlohmann::json::parse(*base64url_decode(text));
}

}  // namespace

TEST_CASE("base64url encodes without padding and round-trips", "[entra]") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  for (std::string text : {"a", "ab", "abc", "abcd", "\x01\x02\xff\xfe\xfd"})
    CHECK(*base64url_decode(base64url_encode(text)) == text);
}

TEST_CASE("a certificate client assertion is headed and signed as Microsoft specifies", "[entra]") {
  auto test = idform::testing::entra::make_test_certificate();
  auto credential = SigningCredential::from_pem(test.certificate_pem, test.key_pem);
  REQUIRE(credential);
  AssertionClaims claims;
  claims.client_id = "9a1e0000-0000-4000-8000-000000000001";
  claims.audience = "https://login.microsoftonline.com/2f5c0000-0000-4000-8000-000000000002/oauth2/v2.0/token";
  claims.now = std::chrono::system_clock::time_point(std::chrono::seconds(1601519114));

  SECTION("PS256 with x5t#S256 (the current page)") {
    auto jwt = build_client_assertion(*credential, claims);
    REQUIRE(jwt);
    nlohmann::json header = part(*jwt, 0);
    CHECK(header == nlohmann::json{{"alg", "PS256"}, {"typ", "JWT"}, {"x5t#S256", sha_thumbprint(test.certificate_pem, EVP_sha256())}});
    nlohmann::json payload = part(*jwt, 1);
    CHECK(payload["aud"] == claims.audience);
    CHECK(payload["iss"] == claims.client_id);
    CHECK(payload["sub"] == claims.client_id);
    CHECK(payload["nbf"] == 1601519114);
    CHECK(payload["iat"] == 1601519114);
    CHECK(payload["exp"] == 1601519114 + 600);  // "5-10 minutes after nbf"
    CHECK(payload["jti"].get<std::string>().size() == 36);
    CHECK(verify(*jwt, test.public_key_pem, true));
    CHECK_FALSE(verify(*jwt, test.public_key_pem, false));
  }
  SECTION("RS256 with the SHA-1 x5t (the older form)") {
    auto jwt = build_client_assertion(*credential, claims, SigningAlgorithm::rs256);
    REQUIRE(jwt);
    CHECK(part(*jwt, 0) == nlohmann::json{{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", sha_thumbprint(test.certificate_pem, EVP_sha1())}});
    CHECK(verify(*jwt, test.public_key_pem, false));
  }
  SECTION("every assertion has its own jti") {
    CHECK(part(*build_client_assertion(*credential, claims), 1)["jti"] !=
          part(*build_client_assertion(*credential, claims), 1)["jti"]);
  }
}

TEST_CASE("a key that does not belong to the certificate is refused before signing", "[entra]") {
  auto one = idform::testing::entra::make_test_certificate();
  auto other = idform::testing::entra::make_test_certificate();
  auto credential = SigningCredential::from_pem(one.certificate_pem, other.key_pem);
  REQUIRE_FALSE(credential);
  CHECK(credential.error().summary.find("does not belong") != std::string::npos);
  CHECK_FALSE(SigningCredential::from_pem("not a certificate", one.key_pem));
  CHECK_FALSE(SigningCredential::from_pem(one.certificate_pem, "not a key"));
}
