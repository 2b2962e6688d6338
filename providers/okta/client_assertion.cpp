// Signed client assertions for Okta's private_key_jwt service apps.
#include "providers/okta/client_assertion.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "providers/common/key_material.hpp"

namespace idform::providers::okta {

Result<SigningKey> SigningKey::from_pem(const std::string& key_pem) {
  SigningKey out;
  out.m_key = IDFORM_TRY(common::parse_private_key(key_pem));
  EVP_PKEY* key = out.m_key.get();
  int type = EVP_PKEY_base_id(key);
  if (type == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(key) < 2048) return fail("the RSA key is shorter than 2048 bits, which Okta refuses");
    out.m_algorithm = common::JwsAlgorithm::rs256;
  } else if (type == EVP_PKEY_EC) {
    char curve[64] = {0};
    size_t length = 0;
    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve, &length);
    if (std::string(curve) != "prime256v1" && std::string(curve) != "P-256")
      return fail("the EC key is not on curve P-256", "idform signs ES256 assertions; got curve \"" + std::string(curve) + "\"");
    out.m_algorithm = common::JwsAlgorithm::es256;
  } else {
    return fail("the private key is neither RSA nor EC", "Okta service apps accept RS256/384/512 and ES256/384/512");
  }
  return out;
}

Result<std::string> SigningKey::sign(const std::string& input) const {
  return common::jws_signature(*m_key, m_algorithm, input);
}

Result<std::string> build_client_assertion(const SigningKey& key, const AssertionClaims& claims) {
  nlohmann::ordered_json header = {{"typ", "JWT"}};
  if (!claims.key_id.empty()) header["kid"] = claims.key_id;
  long long now = std::chrono::duration_cast<std::chrono::seconds>(claims.now.time_since_epoch()).count();
  nlohmann::ordered_json payload = {{"aud", claims.audience},
                                    {"iss", claims.client_id},
                                    {"sub", claims.client_id},
                                    {"iat", now},
                                    {"exp", now + claims.lifetime.count()},
                                    {"jti", claims.jti.empty() ? random_id() : claims.jti}};
  return key.signed_jwt(header, payload);
}

std::string random_id() { return common::random_hex(16); }

}  // namespace idform::providers::okta
