#include "providers/okta/client_assertion.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace idform::providers::okta {
namespace {

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  ERR_clear_error();
  return buffer;
}

// JWS ES256 signatures are r || s, 32 bytes each; OpenSSL produces DER.
Result<std::string> der_to_jose(const std::string& der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())), ECDSA_SIG_free);
  if (!signature) return fail("cannot decode the ECDSA signature", openssl_error());
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(signature.get(), &r, &s);
  std::string raw(64, '\0');
  if (BN_bn2binpad(r, reinterpret_cast<unsigned char*>(raw.data()), 32) != 32 ||
      BN_bn2binpad(s, reinterpret_cast<unsigned char*>(raw.data() + 32), 32) != 32)
    return fail("cannot encode the ECDSA signature");
  return raw;
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
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned value = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) value |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(value >> 18) & 63];
    out += kAlphabet[(value >> 12) & 63];
    if (rest == 2) out += kAlphabet[(value >> 6) & 63];
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

std::string random_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : bytes) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  }
  return out;
}

Result<SigningKey> SigningKey::from_pem(const std::string& key_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())),
                                                BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return fail("the private key is not an unencrypted PEM private key", openssl_error());
  SigningKey out;
  out.m_key = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
  int type = EVP_PKEY_base_id(key);
  if (type == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(key) < 2048) return fail("the RSA key is shorter than 2048 bits, which Okta refuses");
    out.m_algorithm = "RS256";
  } else if (type == EVP_PKEY_EC) {
    char curve[64] = {0};
    size_t length = 0;
    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve, &length);
    if (std::string(curve) != "prime256v1" && std::string(curve) != "P-256")
      return fail("the EC key is not on curve P-256", "idform signs ES256 assertions; got curve \"" + std::string(curve) + "\"");
    out.m_algorithm = "ES256";
  } else {
    return fail("the private key is neither RSA nor EC", "Okta service apps accept RS256/384/512 and ES256/384/512");
  }
  return out;
}

Result<std::string> SigningKey::sign(const std::string& input) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) != 1)
    return fail("cannot sign the client assertion", openssl_error());
  size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (EVP_DigestSign(context.get(), nullptr, &size, data, input.size()) != 1)
    return fail("cannot sign the client assertion", openssl_error());
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data, input.size()) != 1)
    return fail("cannot sign the client assertion", openssl_error());
  signature.resize(size);
  if (m_algorithm == "ES256") signature = IDFORM_TRY(der_to_jose(signature));
  return base64url_encode(signature);
}

Result<std::string> build_client_assertion(const SigningKey& key, const AssertionClaims& claims) {
  nlohmann::ordered_json header = {{"alg", key.algorithm()}, {"typ", "JWT"}};
  if (!claims.key_id.empty()) header["kid"] = claims.key_id;
  long long now = std::chrono::duration_cast<std::chrono::seconds>(claims.now.time_since_epoch()).count();
  nlohmann::ordered_json payload = {{"aud", claims.audience},
                                    {"iss", claims.client_id},
                                    {"sub", claims.client_id},
                                    {"iat", now},
                                    {"exp", now + claims.lifetime.count()},
                                    {"jti", claims.jti.empty() ? random_id() : claims.jti}};
  std::string input = base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  std::string signature = IDFORM_TRY(key.sign(input));
  return input + "." + signature;
}

}  // namespace idform::providers::okta
