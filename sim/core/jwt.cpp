// Parses JSON Web Tokens and verifies their signatures with OpenSSL.
#include "core/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "core/crypto.hpp"
#include "core/http_types.hpp"

namespace idp_sim {

namespace {

bool decode_segment(const std::string& segment, std::string& bytes) {
  if (segment.find_first_of("+/=") != std::string::npos) return false;
  return base64_decode(segment, bytes);
}

const EVP_MD* digest_for(const std::string& alg) {
  if (alg.size() != 5) return nullptr;
  std::string bits = alg.substr(2);
  if (bits == "256") return EVP_sha256();
  if (bits == "384") return EVP_sha384();
  if (bits == "512") return EVP_sha512();
  return nullptr;
}

// JWS ECDSA signatures are r||s; OpenSSL wants DER.
bool ecdsa_raw_to_der(const std::string& raw, std::string& der) {
  if (raw.empty() || raw.size() % 2 != 0) return false;
  std::size_t half = raw.size() / 2;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data() + half), static_cast<int>(half), nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* out = nullptr;
  int length = i2d_ECDSA_SIG(sig, &out);
  ECDSA_SIG_free(sig);
  if (length <= 0) return false;
  der.assign(reinterpret_cast<char*>(out), static_cast<std::size_t>(length));
  OPENSSL_free(out);
  return true;
}

std::shared_ptr<EVP_PKEY> wrap(EVP_PKEY* key) { return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free); }

std::string key_type_of(EVP_PKEY* key) {
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) return "RSA";
  if (id == EVP_PKEY_EC) return "EC";
  return "other";
}

}  // namespace

std::optional<Jwt> parse_jwt(const std::string& token, std::string& error) {
  auto parts = split(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    error = "JWT is not well formed: it must have three base64url segments";
    return std::nullopt;
  }
  Jwt jwt;
  std::string header_bytes, payload_bytes;
  if (!decode_segment(parts[0], header_bytes) || !decode_segment(parts[1], payload_bytes) ||
      !decode_segment(parts[2], jwt.signature)) {
    error = "JWT is not well formed: a segment is not base64url";
    return std::nullopt;
  }
  try {
    jwt.header = Json::parse(header_bytes);
    jwt.claims = Json::parse(payload_bytes);
  } catch (const std::exception&) {
    error = "JWT is not well formed: header or payload is not JSON";
    return std::nullopt;
  }
  if (!jwt.header.is_object() || !jwt.claims.is_object()) {
    error = "JWT is not well formed: header or payload is not a JSON object";
    return std::nullopt;
  }
  jwt.signing_input = parts[0] + "." + parts[1];
  return jwt;
}

std::optional<Certificate> certificate_from_der(const std::string& der, std::string& error) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  X509* x509 = d2i_X509(nullptr, &cursor, static_cast<long>(der.size()));
  if (!x509) {
    error = "not a DER X.509 certificate";
    return std::nullopt;
  }
  EVP_PKEY* key = X509_get_pubkey(x509);
  X509_free(x509);
  if (!key) {
    error = "certificate has no usable public key";
    return std::nullopt;
  }
  Certificate certificate;
  certificate.public_key.key = wrap(key);
  certificate.public_key.key_type = key_type_of(key);
  certificate.der = der;
  certificate.x5t = base64url_encode(sha1(der));
  certificate.x5t_s256 = base64url_encode(sha256(der));
  certificate.thumbprint = hex_upper(sha1(der));
  return certificate;
}

std::optional<Certificate> certificate_from_text(const std::string& text, std::string& error) {
  std::string der;
  auto begin = text.find("-----BEGIN CERTIFICATE-----");
  if (begin != std::string::npos) {
    BIO* bio = BIO_new_mem_buf(text.data() + begin, static_cast<int>(text.size() - begin));
    X509* x509 = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!x509) {
      error = "invalid PEM certificate";
      return std::nullopt;
    }
    unsigned char* out = nullptr;
    int length = i2d_X509(x509, &out);
    X509_free(x509);
    if (length <= 0) {
      error = "cannot encode certificate";
      return std::nullopt;
    }
    der.assign(reinterpret_cast<char*>(out), static_cast<std::size_t>(length));
    OPENSSL_free(out);
  } else if (!base64_decode(text, der)) {
    error = "certificate is neither PEM nor base64 DER";
    return std::nullopt;
  }
  return certificate_from_der(der, error);
}

std::optional<PublicKey> public_key_from_jwk(const Json& jwk, std::string& error) {
  std::string kty = jwk.value("kty", "");
  if (jwk.contains("x5c") && jwk["x5c"].is_array() && !jwk["x5c"].empty() && jwk["x5c"][0].is_string()) {
    auto certificate = certificate_from_text(jwk["x5c"][0].get<std::string>(), error);
    if (certificate) return certificate->public_key;
  }
  OSSL_PARAM_BLD* builder = OSSL_PARAM_BLD_new();
  EVP_PKEY_CTX* context = nullptr;
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  // OSSL_PARAM_BLD keeps pointers to these until OSSL_PARAM_BLD_to_param: they live as long as it.
  std::string point;
  std::string group;
  EVP_PKEY* key = nullptr;
  bool ok = false;
  if (kty == "RSA") {
    std::string n_bytes, e_bytes;
    if (base64_decode(jwk.value("n", ""), n_bytes) && base64_decode(jwk.value("e", ""), e_bytes) &&
        !n_bytes.empty() && !e_bytes.empty()) {
      n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n_bytes.data()), static_cast<int>(n_bytes.size()), nullptr);
      e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e_bytes.data()), static_cast<int>(e_bytes.size()), nullptr);
      OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, n);
      OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, e);
      context = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
      ok = true;
    } else {
      error = "RSA JWK needs base64url 'n' and 'e'";
    }
  } else if (kty == "EC") {
    std::string crv = jwk.value("crv", "");
    group = crv == "P-256" ? "prime256v1" : crv == "P-384" ? "secp384r1" : crv == "P-521" ? "secp521r1" : "";
    std::string x, y;
    if (!group.empty() && base64_decode(jwk.value("x", ""), x) && base64_decode(jwk.value("y", ""), y)) {
      point = std::string(1, '\x04') + x + y;
      OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0);
      OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
      context = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
      ok = true;
    } else {
      error = "EC JWK needs crv P-256/P-384/P-521 and base64url 'x' and 'y'";
    }
  } else {
    error = "unsupported JWK kty '" + kty + "'";
  }
  if (ok) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
    ok = context && params && EVP_PKEY_fromdata_init(context) == 1 &&
         EVP_PKEY_fromdata(context, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    OSSL_PARAM_free(params);
    if (!ok) error = "JWK does not describe a valid public key";
  }
  EVP_PKEY_CTX_free(context);
  OSSL_PARAM_BLD_free(builder);
  BN_free(n);
  BN_free(e);
  if (!ok) return std::nullopt;
  PublicKey result;
  result.key = wrap(key);
  result.key_type = key_type_of(key);
  return result;
}

bool verify_jwt_signature(const Jwt& jwt, const PublicKey& key, std::string& error) {
  std::string alg = jwt.header.value("alg", "");
  const EVP_MD* md = digest_for(alg);
  char family = alg.empty() ? '\0' : alg[0];
  bool rsa = (alg.rfind("RS", 0) == 0 || alg.rfind("PS", 0) == 0);
  bool ec = alg.rfind("ES", 0) == 0;
  if (!md || (!rsa && !ec)) {
    error = "unsupported signing algorithm '" + alg + "'";
    return false;
  }
  if ((rsa && key.key_type != "RSA") || (ec && key.key_type != "EC")) {
    error = "algorithm '" + alg + "' does not match the key type " + key.key_type;
    return false;
  }
  std::string signature = jwt.signature;
  if (ec && !ecdsa_raw_to_der(jwt.signature, signature)) {
    error = "malformed ECDSA signature";
    return false;
  }
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_PKEY_CTX* key_context = nullptr;
  bool ok = EVP_DigestVerifyInit(context, &key_context, md, nullptr, key.key.get()) == 1;
  if (ok && family == 'P') {
    ok = EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_AUTO) == 1;
  }
  ok = ok && EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                              reinterpret_cast<const unsigned char*>(jwt.signing_input.data()),
                              jwt.signing_input.size()) == 1;
  EVP_MD_CTX_free(context);
  if (!ok) error = "signature verification failed";
  return ok;
}

}  // namespace idp_sim
