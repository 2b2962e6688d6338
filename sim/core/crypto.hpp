#pragma once
// Small OpenSSL wrappers: encodings, digests, randomness. Vendor-neutral.
#include <string>

namespace idp_sim {

std::string base64_encode(const std::string& bytes);
// Accepts standard and URL-safe alphabets, with or without padding; whitespace is ignored.
// Returns false on invalid input.
bool base64_decode(const std::string& text, std::string& bytes);
std::string base64url_encode(const std::string& bytes);

std::string sha1(const std::string& bytes);
std::string sha256(const std::string& bytes);
std::string hmac_sha256(const std::string& key, const std::string& data);
std::string hex_upper(const std::string& bytes);

std::string random_bytes(std::size_t count);
std::string new_uuid();  // random (version 4), lower case
// Constant-time comparison for secrets.
bool secure_equals(const std::string& a, const std::string& b);

}  // namespace idp_sim
