#include "providers/entra/client_assertion.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

namespace idform::providers::entra {
namespace {

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  ERR_clear_error();
  return buffer;
}

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

std::string base64url_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned value = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(value >> shift) & 63];
  }
  if (i + 1 == bytes.size()) {
    unsigned value = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(value >> 18) & 63];
    out += kAlphabet[(value >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    unsigned value = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(value >> 18) & 63];
    out += kAlphabet[(value >> 12) & 63];
    out += kAlphabet[(value >> 6) & 63];
  }
  return out;
}

Result<std::string> base64url_decode(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int value = value_of(c);
    if (value < 0) return fail("invalid base64url text");
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::string random_guid() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xf];
  }
  return out;
}

Result<SigningCredential> SigningCredential::from_pem(const std::string& certificate_pem, const std::string& key_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())),
                                                      BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr),
                                                          X509_free);
  if (!certificate) return fail("the certificate is not a PEM X.509 certificate", openssl_error());
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())),
                                                     BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  if (!key) return fail("the private key is not an unencrypted PEM private key", openssl_error());
  SigningCredential credential;
  credential.m_key = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
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
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* key_context = nullptr;
  if (EVP_DigestSignInit(context.get(), &key_context, EVP_sha256(), nullptr, m_key.get()) != 1)
    return fail("cannot sign the client assertion", openssl_error());
  if (algorithm == SigningAlgorithm::ps256) {
    // RFC 7518 3.5: PSS with SHA-256, MGF1 with SHA-256, salt as long as the hash.
    if (EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(key_context, EVP_sha256()) != 1)
      return fail("cannot set PSS padding for the client assertion", openssl_error());
  }
  size_t size = 0;
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (EVP_DigestSign(context.get(), nullptr, &size, input, signing_input.size()) != 1)
    return fail("cannot sign the client assertion", openssl_error());
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, input,
                     signing_input.size()) != 1)
    return fail("cannot sign the client assertion", openssl_error());
  signature.resize(size);
  return base64url_encode(signature);
}

Result<std::string> build_client_assertion(const SigningCredential& credential, const AssertionClaims& claims,
                                           SigningAlgorithm algorithm) {
  nlohmann::ordered_json header = {{"alg", algorithm == SigningAlgorithm::ps256 ? "PS256" : "RS256"}, {"typ", "JWT"}};
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
  std::string signing_input = base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  std::string signature = IDFORM_TRY(credential.sign(signing_input, algorithm));
  return signing_input + "." + signature;
}

}  // namespace idform::providers::entra
