#pragma once
// Client assertions for certificate credentials (Microsoft identity platform, "certificate
// credentials"): a JWT signed with the private key of a certificate registered on the app.
//
// Header: alg PS256 (RS256 accepted by the platform too), typ JWT, and x5t#S256, the base64url
// SHA-256 thumbprint of the certificate's DER encoding (x5t, the SHA-1 thumbprint, goes with
// RS256 as the older form of the page describes). Claims: aud = the tenant's token endpoint,
// iss = sub = client id, jti = a fresh GUID, nbf = iat = now, exp = now + 10 minutes.

#include <chrono>
#include <memory>
#include <string>

#include "providers/common/jose.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

using common::base64url_decode;
using common::base64url_encode;
using common::random_guid;

enum class SigningAlgorithm { ps256, rs256 };
inline common::JwsAlgorithm jws_algorithm(SigningAlgorithm algorithm) {
  return algorithm == SigningAlgorithm::ps256 ? common::JwsAlgorithm::ps256 : common::JwsAlgorithm::rs256;
}

// A certificate and its private key, loaded from PEM.
class SigningCredential {
 public:
  static Result<SigningCredential> from_pem(const std::string& certificate_pem, const std::string& key_pem);

  const std::string& x5t_sha1() const { return m_x5t_sha1; }
  const std::string& x5t_sha256() const { return m_x5t_sha256; }
  // Signs "header.claims" (already base64url) and returns the base64url signature.
  Result<std::string> sign(const std::string& signing_input, SigningAlgorithm algorithm) const;
  Result<std::string> signed_jwt(const nlohmann::ordered_json& header, const nlohmann::ordered_json& payload,
                                 SigningAlgorithm algorithm) const {
    return common::signed_jwt(header, payload, *m_key, jws_algorithm(algorithm));
  }

 private:
  common::PrivateKey m_key;
  std::string m_x5t_sha1;
  std::string m_x5t_sha256;
};

struct AssertionClaims {
  std::string client_id;
  std::string audience;  // https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::chrono::seconds lifetime{600};
  std::string jti;  // empty: a random GUID
};

Result<std::string> build_client_assertion(const SigningCredential& credential, const AssertionClaims& claims,
                                           SigningAlgorithm algorithm = SigningAlgorithm::ps256);

}  // namespace idform::providers::entra
