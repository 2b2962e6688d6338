// ES256 signing (RFC 7518 3.4: the signature is r||s, 32 bytes each) with a per-process P-256
// key, and its JWK (RFC 7517, RFC 7518 6.2: x and y as 32-byte big-endian base64url values).
#include "core/signing_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <stdexcept>

#include "core/crypto.hpp"

namespace idp_sim {

namespace {

std::string coordinate(EVP_PKEY* key, const char* name) {
  BIGNUM* value = nullptr;
  if (!EVP_PKEY_get_bn_param(key, name, &value)) throw std::runtime_error("cannot read the signing key");
  std::string bytes(32, '\0');
  BN_bn2binpad(value, reinterpret_cast<unsigned char*>(bytes.data()), 32);
  BN_free(value);
  return base64url_encode(bytes);
}

// DER ECDSA signature -> r||s.
std::string der_to_raw(const std::string& der) {
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size()));
  if (!sig) throw std::runtime_error("cannot encode an ES256 signature");
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return raw;
}

}  // namespace

SigningKey::SigningKey() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) throw std::runtime_error("cannot generate the token signing key");
  m_key.key = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
  m_key.key_type = "EC";
  m_x = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X);
  m_y = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y);
  // RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order.
  m_kid = base64url_encode(sha256(R"({"crv":"P-256","kty":"EC","x":")" + m_x + R"(","y":")" + m_y + R"("})"));
}

std::string SigningKey::sign(Json header, const Json& claims) const {
  header["alg"] = "ES256";
  header["kid"] = m_kid;
  std::string input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  std::size_t length = 0;
  std::string der;
  bool ok = context && EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, m_key.key.get()) == 1 &&
            EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  if (ok) {
    der.resize(length);
    ok = EVP_DigestSign(context, reinterpret_cast<unsigned char*>(der.data()), &length,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    der.resize(length);
  }
  EVP_MD_CTX_free(context);
  if (!ok) throw std::runtime_error("cannot sign a token");
  return input + "." + base64url_encode(der_to_raw(der));
}

bool SigningKey::verify(const Jwt& jwt) const {
  if (jwt.header.value("alg", Json()) != "ES256" || jwt.header.value("kid", Json()) != m_kid) return false;
  std::string error;
  return verify_jwt_signature(jwt, m_key, error);
}

Json SigningKey::jwk() const {
  return Json{{"kty", "EC"}, {"use", "sig"}, {"crv", "P-256"}, {"kid", m_kid}, {"x", m_x}, {"y", m_y}, {"alg", "ES256"}};
}

}  // namespace idp_sim
