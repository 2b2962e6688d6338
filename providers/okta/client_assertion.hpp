#pragma once
// Client assertions for Okta's private_key_jwt (OAuth 2.0 service apps, "Implement OAuth for
// Okta with a service app"): a JWT signed with the private key whose public half is registered
// on the service app.
//
// Header: alg RS256 for an RSA key, ES256 for a P-256 key; kid when configured (needed when the
// app has several keys). Claims: aud = the org's token endpoint, iss = sub = client id,
// iat = now, exp = now + 5 minutes (Okta accepts at most one hour), jti = a fresh random id so
// that Okta's replay check never refuses a retry.

#include <chrono>
#include <memory>
#include <string>

#include "providers/common/jose.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

class SigningKey {
 public:
  // An unencrypted PEM private key (PKCS#8 or traditional), RSA or EC P-256.
  static Result<SigningKey> from_pem(const std::string& key_pem);

  std::string algorithm() const { return common::jws_name(m_algorithm); }  // "RS256" or "ES256"
  // Signs `input` and returns the JWS signature (base64url).
  Result<std::string> sign(const std::string& input) const;
  Result<std::string> signed_jwt(const nlohmann::ordered_json& header, const nlohmann::ordered_json& payload) const {
    return common::signed_jwt(header, payload, *m_key, m_algorithm);
  }

 private:
  common::PrivateKey m_key;
  common::JwsAlgorithm m_algorithm = common::JwsAlgorithm::rs256;
};

struct AssertionClaims {
  std::string client_id;
  std::string audience;  // https://{org}/oauth2/v1/token
  std::string key_id;    // "" = no kid header
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::chrono::seconds lifetime{300};
  std::string jti;  // "" = random
};

Result<std::string> build_client_assertion(const SigningKey& key, const AssertionClaims& claims);

using common::base64url_decode;
using common::base64url_encode;
// 32 random hex characters.
std::string random_id();

}  // namespace idform::providers::okta
