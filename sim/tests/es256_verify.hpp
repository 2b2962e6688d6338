#pragma once
// Checks ES256 access tokens of idp-sim against a JWK with OpenSSL directly (not with idp-sim's
// own JWT code), for the OIDC discovery tests of both flavors. Header-only.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>
#include <string>

namespace idform::testing::jws {

inline std::string base64url_decode(std::string text) {
  for (auto& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (text.size() % 4) text.push_back('=');
  std::string out(text.size(), '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (length < 0) return {};
  out.resize(static_cast<std::size_t>(length) - (text.size() - text.find_last_not_of('=') - 1));
  return out;
}

// Verifies an ES256 compact JWS against a P-256 JWK.
inline bool verify_es256(const std::string& token, const nlohmann::json& jwk) {
  auto first = token.find('.'), second = token.rfind('.');
  std::string input = token.substr(0, second);
  std::string raw = base64url_decode(token.substr(second + 1));
  if (first == second || raw.size() != 64 || jwk.value("kty", "") != "EC" || jwk.value("crv", "") != "P-256") return false;
  std::string point = "\x04" + base64url_decode(jwk["x"]) + base64url_decode(jwk["y"]);
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
  EVP_PKEY_CTX* from = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  bool ok = EVP_PKEY_fromdata_init(from) == 1 && EVP_PKEY_fromdata(from, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                 BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_length = i2d_ECDSA_SIG(sig, &der);
  EVP_MD_CTX* verify = EVP_MD_CTX_new();
  ok = ok && EVP_DigestVerifyInit(verify, nullptr, EVP_sha256(), nullptr, key) == 1 &&
       EVP_DigestVerify(verify, der, static_cast<std::size_t>(der_length),
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(verify);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  EVP_PKEY_free(key);
  EVP_PKEY_CTX_free(from);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(build);
  return ok;
}

inline nlohmann::json key_for(const nlohmann::json& jwks, const std::string& token) {
  nlohmann::json header = nlohmann::json::parse(base64url_decode(token.substr(0, token.find('.'))));
  for (const auto& key : jwks["keys"]) {
    if (key["kid"] == header["kid"]) return key;
  }
  return nlohmann::json();
}


}  // namespace idform::testing::jws
