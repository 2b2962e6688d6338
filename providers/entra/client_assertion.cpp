// Signed client assertions for Entra's certificate credentials.
#include "providers/entra/client_assertion.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include "providers/common/key_material.hpp"

namespace idform::providers::entra {
namespace {

using common::openssl_error;

std::string digest(const EVP_MD* md, const unsigned char* data, size_t size) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data, size, out, &length, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), length);
}

long long unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

Result<SigningCredential> SigningCredential::from_pem(const std::string& certificate_pem, const std::string& key_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())),
                                                      BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr),
                                                          X509_free);
  if (!certificate) return fail("the certificate is not a PEM X.509 certificate", openssl_error());
  SigningCredential credential;
  credential.m_key = IDFORM_TRY(common::parse_private_key(key_pem));
  EVP_PKEY* key = credential.m_key.get();
  if (EVP_PKEY_base_id(key) != EVP_PKEY_RSA) return fail("the private key is not an RSA key (PS256/RS256 need RSA)");
  if (X509_check_private_key(certificate.get(), key) != 1)
    return fail("the private key does not belong to the certificate");

  int length = i2d_X509(certificate.get(), nullptr);
  std::string der(static_cast<size_t>(length), '\0');
  unsigned char* cursor = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(certificate.get(), &cursor);
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  credential.m_x5t_sha1 = base64url_encode(digest(EVP_sha1(), bytes, der.size()));
  credential.m_x5t_sha256 = base64url_encode(digest(EVP_sha256(), bytes, der.size()));
  return credential;
}

Result<std::string> SigningCredential::sign(const std::string& signing_input, SigningAlgorithm algorithm) const {
  return common::jws_signature(*m_key, jws_algorithm(algorithm), signing_input);
}

Result<std::string> build_client_assertion(const SigningCredential& credential, const AssertionClaims& claims,
                                           SigningAlgorithm algorithm) {
  nlohmann::ordered_json header = {{"typ", "JWT"}};
  if (algorithm == SigningAlgorithm::ps256) header["x5t#S256"] = credential.x5t_sha256();
  else header["x5t"] = credential.x5t_sha1();
  long long now = unix_seconds(claims.now);
  nlohmann::ordered_json payload = {{"aud", claims.audience},
                                    {"iss", claims.client_id},
                                    {"sub", claims.client_id},
                                    {"jti", claims.jti.empty() ? random_guid() : claims.jti},
                                    {"nbf", now},
                                    {"exp", now + claims.lifetime.count()},
                                    {"iat", now}};
  return credential.signed_jwt(header, payload, algorithm);
}

}  // namespace idform::providers::entra
