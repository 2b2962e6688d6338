#pragma once
// Test-only key material: RSA/EC key pairs, self-signed X.509 certificates and JWT signing
// (RS256, PS256, ES256) with OpenSSL, so tests can register a certificate with idp-sim and send
// the client assertions a real client would. Header-only.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace idform::testing {

namespace keys_detail {

inline std::string base64(const std::string& bytes, bool url) {
  static const char* kStandard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char* kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* alphabet = url ? kUrl : kStandard;
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], alphabet[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63]};
    if (!url) out += "==";
  } else if (i + 2 == bytes.size()) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63]};
    if (!url) out += "=";
  }
  return out;
}

inline std::string digest(const EVP_MD* md, const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &length, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), length);
}

inline std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

inline std::string bignum_bytes(const BIGNUM* number, int width) {
  std::string out(static_cast<std::size_t>(width > 0 ? width : BN_num_bytes(number)), '\0');
  BN_bn2binpad(number, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  return out;
}

}  // namespace keys_detail

inline std::string base64_encode(const std::string& bytes) { return keys_detail::base64(bytes, false); }
inline std::string base64url_encode(const std::string& bytes) { return keys_detail::base64(bytes, true); }

struct TestKey {
  std::shared_ptr<EVP_PKEY> key;
  std::string private_key_pem;
  std::string certificate_pem;
  std::string certificate_der;
  std::string certificate_base64;  // Graph keyCredential.key
  std::string x5t;                 // base64url SHA-1 of the DER
  std::string x5t_s256;            // base64url SHA-256 of the DER
  nlohmann::json public_jwk;       // with "kid"
};

// kind: "RSA" (2048 bits) or "EC" (P-256). The certificate is self-signed for `common_name`.
inline TestKey make_test_key(const std::string& kind = "RSA", const std::string& common_name = "idp-sim test",
                             const std::string& kid = "test-key") {
  EVP_PKEY* raw = kind == "EC" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                               : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  if (!raw) throw std::runtime_error("key generation failed");
  TestKey result;
  result.key = std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free);

  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600L * 24 * 365);
  X509_set_pubkey(certificate, raw);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, raw, EVP_sha256());

  unsigned char* der = nullptr;
  int der_length = i2d_X509(certificate, &der);
  result.certificate_der.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(der_length));
  OPENSSL_free(der);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, certificate);
  result.certificate_pem = keys_detail::bio_text(bio);
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, raw, nullptr, nullptr, 0, nullptr, nullptr);
  result.private_key_pem = keys_detail::bio_text(bio);
  BIO_free(bio);
  X509_free(certificate);

  result.certificate_base64 = base64_encode(result.certificate_der);
  result.x5t = base64url_encode(keys_detail::digest(EVP_sha1(), result.certificate_der));
  result.x5t_s256 = base64url_encode(keys_detail::digest(EVP_sha256(), result.certificate_der));

  if (kind == "EC") {
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    EVP_PKEY_get_bn_param(raw, OSSL_PKEY_PARAM_EC_PUB_X, &x);
    EVP_PKEY_get_bn_param(raw, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
    result.public_jwk = {{"kty", "EC"},
                         {"crv", "P-256"},
                         {"kid", kid},
                         {"x", base64url_encode(keys_detail::bignum_bytes(x, 32))},
                         {"y", base64url_encode(keys_detail::bignum_bytes(y, 32))}};
    BN_free(x);
    BN_free(y);
  } else {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    EVP_PKEY_get_bn_param(raw, OSSL_PKEY_PARAM_RSA_N, &n);
    EVP_PKEY_get_bn_param(raw, OSSL_PKEY_PARAM_RSA_E, &e);
    result.public_jwk = {{"kty", "RSA"},
                         {"kid", kid},
                         {"use", "sig"},
                         {"alg", "RS256"},
                         {"n", base64url_encode(keys_detail::bignum_bytes(n, 0))},
                         {"e", base64url_encode(keys_detail::bignum_bytes(e, 0))}};
    BN_free(n);
    BN_free(e);
  }
  return result;
}

// Signs a JWT (compact serialization) with RS256, PS256 or ES256. `header` gets "alg" set.
inline std::string sign_test_jwt(nlohmann::json header, const nlohmann::json& claims, const TestKey& key,
                                 const std::string& alg) {
  header["alg"] = alg;
  std::string input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_PKEY_CTX* key_context = nullptr;
  EVP_DigestSignInit(context, &key_context, EVP_sha256(), nullptr, key.key.get());
  if (alg == "PS256") {
    EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t length = 0;
  EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string signature(length, '\0');
  EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  signature.resize(length);
  EVP_MD_CTX_free(context);
  if (alg == "ES256") {
    const auto* cursor = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(signature.size()));
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig, &r, &s);
    signature = keys_detail::bignum_bytes(r, 32) + keys_detail::bignum_bytes(s, 32);
    ECDSA_SIG_free(sig);
  }
  return input + "." + base64url_encode(signature);
}

// The private key as DER (PKCS#8 for RSA and EC alike, as i2d_PrivateKey writes it).
inline std::string private_key_der(const TestKey& key) {
  unsigned char* bytes = nullptr;
  int length = i2d_PrivateKey(key.key.get(), &bytes);
  if (length <= 0) throw std::runtime_error("i2d_PrivateKey failed");
  std::string out(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(length));
  OPENSSL_free(bytes);
  return out;
}

namespace keys_detail {
inline std::string jwk_number(const EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* value = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &value) != 1) throw std::runtime_error(std::string("no key parameter ") + name);
  std::string bytes = bignum_bytes(value, width);
  BN_clear_free(value);
  return base64url_encode(bytes);
}
}  // namespace keys_detail

// The private key as a JWK (what Okta's admin console generates): RSA with its CRT members, or
// EC P-256.
inline std::string private_key_jwk(const TestKey& key) {
  const EVP_PKEY* raw = key.key.get();
  using keys_detail::jwk_number;
  if (EVP_PKEY_base_id(raw) == EVP_PKEY_RSA)
    return nlohmann::json{{"kty", "RSA"},
                          {"kid", "k1"},
                          {"n", jwk_number(raw, OSSL_PKEY_PARAM_RSA_N)},
                          {"e", jwk_number(raw, OSSL_PKEY_PARAM_RSA_E)},
                          {"d", jwk_number(raw, OSSL_PKEY_PARAM_RSA_D)},
                          {"p", jwk_number(raw, OSSL_PKEY_PARAM_RSA_FACTOR1)},
                          {"q", jwk_number(raw, OSSL_PKEY_PARAM_RSA_FACTOR2)},
                          {"dp", jwk_number(raw, OSSL_PKEY_PARAM_RSA_EXPONENT1)},
                          {"dq", jwk_number(raw, OSSL_PKEY_PARAM_RSA_EXPONENT2)},
                          {"qi", jwk_number(raw, OSSL_PKEY_PARAM_RSA_COEFFICIENT1)}}
        .dump(2);
  return nlohmann::json{{"kty", "EC"},
                        {"crv", "P-256"},
                        {"x", jwk_number(raw, OSSL_PKEY_PARAM_EC_PUB_X, 32)},
                        {"y", jwk_number(raw, OSSL_PKEY_PARAM_EC_PUB_Y, 32)},
                        {"d", jwk_number(raw, OSSL_PKEY_PARAM_PRIV_KEY)}}
      .dump();
}

}  // namespace idform::testing
