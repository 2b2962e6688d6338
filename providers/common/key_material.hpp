#pragma once
// Private keys for client assertions, in every form people keep them in: PEM (PKCS#8 or
// traditional), DER, the DER as bare base64 (what a CI secret often holds), and a JWK (what
// Okta's admin console hands out). The key may sit in a file or directly in an environment
// variable. Whatever goes wrong, no message ever contains the key or the variable's value: the
// value is registered as a secret before anything looks at it, and errors name the variable
// and the accepted forms instead.

#include <string>

#include "providers/common/jose.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::common {

// The key in `material` (PEM, DER, base64 DER or JWK), unencrypted. Errors never quote it.
Result<PrivateKey> parse_private_key(const std::string& material);

// The key material named by the settings: the file `key_file` when given, else the value of
// `$variable`, which holds either the key itself or the path of a file holding it.
Result<std::string> read_key_material(const std::string& key_file, const std::string& variable,
                                      const std::string& value);

}  // namespace idform::providers::common
