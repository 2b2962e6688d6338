#pragma once
// The key a flavor signs its access tokens with, published as a JWKS so that clients can verify
// them (OIDC discovery's jwks_uri). ES256 on a P-256 key generated at startup: generating an RSA
// key costs a fifth of a second of CPU per start, and every test starts its own idp-sim. Both
// vendors sign with RS256; clients treat access tokens as opaque, and libraries that verify
// tokens read the algorithm from the JWKS.
#include <memory>
#include <string>

#include "core/json.hpp"
#include "core/jwt.hpp"

namespace idp_sim {

class SigningKey {
public:
  SigningKey();  // throws std::runtime_error if OpenSSL cannot make a key

  const std::string& kid() const { return m_kid; }
  // "header.payload.signature"; the header gets alg, kid and `typ` if given.
  std::string sign(Json header, const Json& claims) const;
  bool verify(const Jwt& jwt) const;
  // The public key as a JWK (kty EC, crv P-256, x, y, use sig, alg ES256, kid).
  Json jwk() const;
  Json jwks() const { return Json{{"keys", Json::array({jwk()})}}; }

private:
  PublicKey m_key;  // holds the private key too
  std::string m_kid;
  std::string m_x, m_y;  // base64url coordinates
};

}  // namespace idp_sim
