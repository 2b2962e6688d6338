#pragma once
// JSON Web Token parsing and signature verification (RFC 7515/7518) with OpenSSL: RS256/384/512,
// PS256/384/512 and ES256/384/512 against a public key taken from an X.509 certificate or a JWK.
// Used by both flavors' token endpoints (Graph client assertions and federated tokens, Okta
// private_key_jwt). The simulator's own tokens are signed by SigningKey (signing_key.hpp).
#include <memory>
#include <optional>
#include <string>

#include "core/json.hpp"

typedef struct evp_pkey_st EVP_PKEY;

namespace idp_sim {

struct Jwt {
  Json header;
  Json claims;
  std::string signing_input;  // base64url(header) "." base64url(payload)
  std::string signature;      // raw bytes
};

// Returns nullopt and sets `error` when the token is not a well-formed JWS compact serialization.
std::optional<Jwt> parse_jwt(const std::string& token, std::string& error);

struct PublicKey {
  std::shared_ptr<EVP_PKEY> key;
  std::string key_type;  // "RSA" or "EC"
};

struct Certificate {
  PublicKey public_key;
  std::string der;
  std::string x5t;          // base64url(SHA-1(DER))
  std::string x5t_s256;     // base64url(SHA-256(DER))
  std::string thumbprint;   // upper-case hex SHA-1, as Graph's customKeyIdentifier/thumbprint
};

std::optional<Certificate> certificate_from_der(const std::string& der, std::string& error);
// Accepts PEM text with a CERTIFICATE block, or base64 DER without armour.
std::optional<Certificate> certificate_from_text(const std::string& text, std::string& error);
std::optional<PublicKey> public_key_from_jwk(const Json& jwk, std::string& error);

// Verifies `jwt.signature` over `jwt.signing_input` with the algorithm named in the header.
bool verify_jwt_signature(const Jwt& jwt, const PublicKey& key, std::string& error);

}  // namespace idp_sim
