#pragma once
// The JOSE pieces both cloud providers sign client assertions with (RFC 7515 JWS, RFC 7518
// algorithms): base64url, random identifiers, PEM private keys, and a compact JWS signed with
// RS256, PS256 or ES256. What goes into the header and claims is each vendor's business
// (providers/entra/client_assertion.hpp, providers/okta/client_assertion.hpp).

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "reconciler/util/result.hpp"

typedef struct evp_pkey_st EVP_PKEY;

namespace idform::providers::common {

std::string base64url_encode(std::string_view bytes);
// Accepts the standard alphabet and padding too.
Result<std::string> base64url_decode(std::string_view text);

// `count` random bytes as lower-case hex.
std::string random_hex(std::size_t count);
// A random RFC 4122 version-4 GUID, lower case.
std::string random_guid();

// The last OpenSSL error as text (and the error queue cleared).
std::string openssl_error();

enum class JwsAlgorithm { rs256, ps256, es256 };
const char* jws_name(JwsAlgorithm algorithm);

using PrivateKey = std::shared_ptr<EVP_PKEY>;
// An unencrypted PEM private key (PKCS#8 or traditional).
Result<PrivateKey> private_key_from_pem(const std::string& pem);

// The base64url JWS signature of `input` ("header.payload", already base64url). PS256 uses PSS
// with SHA-256, MGF1-SHA-256 and a salt as long as the hash (RFC 7518 3.5); ES256 signatures are
// r || s, 32 bytes each (RFC 7518 3.4), not OpenSSL's DER.
Result<std::string> jws_signature(const EVP_PKEY& key, JwsAlgorithm algorithm, const std::string& input);

// header.payload.signature; the header gets "alg" first, then the given members.
Result<std::string> signed_jwt(const nlohmann::ordered_json& header, const nlohmann::ordered_json& payload,
                               const EVP_PKEY& key, JwsAlgorithm algorithm);

}  // namespace idform::providers::common
