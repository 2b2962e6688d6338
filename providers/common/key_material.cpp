// Reading private keys in the forms people keep them in (PEM, DER, base64 DER, JWK) without ever
// letting the key into a message. Which form a text is in is decided by its shape: a PEM armour
// line, a JSON object, base64 characters only, or else raw DER bytes.

#include "providers/common/key_material.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>

#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::common {
namespace {

constexpr const char* kForms = "PEM, DER, base64-encoded DER or a JWK, unencrypted";

using Bignum = std::unique_ptr<BIGNUM, decltype(&BN_clear_free)>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)>;
using Params = std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)>;

Result<PrivateKey> from_pem(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return fail("the private key is not an unencrypted PEM private key", openssl_error());
  return PrivateKey(key, EVP_PKEY_free);
}

Result<PrivateKey> from_der(const std::string& der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(der.size()));
  if (!key) {
    openssl_error();  // clears the queue; its text would describe the bytes, not help the user
    return fail("the private key is in none of the accepted forms", std::string("accepted: ") + kForms);
  }
  return PrivateKey(key, EVP_PKEY_free);
}

// A JWK member holding a base64url big-endian number.
Result<Bignum> jwk_number(const nlohmann::json& jwk, const char* member) {
  if (!jwk.contains(member) || !jwk[member].is_string())
    return fail(std::string("the JWK private key has no \"") + member + "\" member");
  auto bytes = base64url_decode(jwk[member].get<std::string>());
  if (!bytes) return fail(std::string("the JWK member \"") + member + "\" is not base64url");
  Bignum number(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()), static_cast<int>(bytes->size()), nullptr),
                BN_clear_free);
  if (!number) return fail("cannot read the JWK private key", openssl_error());
  return number;
}

Result<PrivateKey> key_from_params(const char* type, OSSL_PARAM_BLD* builder) {
  Params params(OSSL_PARAM_BLD_to_param(builder), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr),
                                                                      EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1)
    return fail("cannot build a key from the JWK", openssl_error());
  return PrivateKey(key, EVP_PKEY_free);
}

Result<PrivateKey> rsa_from_jwk(const nlohmann::json& jwk) {
  ParamBuilder builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  std::vector<Bignum> numbers;
  const std::pair<const char*, const char*> members[] = {
      {"n", OSSL_PKEY_PARAM_RSA_N},          {"e", OSSL_PKEY_PARAM_RSA_E},
      {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
      {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
      {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
  for (const auto& [member, parameter] : members) {
    // The CRT members (p, q, dp, dq, qi) are optional in a JWK; n, e and d are not.
    std::string name = member;
    bool required = name == "n" || name == "e" || name == "d";
    if (!required && !jwk.contains(member)) continue;
    numbers.push_back(IDFORM_TRY(jwk_number(jwk, member)));
    if (OSSL_PARAM_BLD_push_BN(builder.get(), parameter, numbers.back().get()) != 1)
      return fail("cannot read the JWK private key", openssl_error());
  }
  return key_from_params("RSA", builder.get());
}

Result<PrivateKey> ec_from_jwk(const nlohmann::json& jwk) {
  if (!jwk.contains("crv") || jwk["crv"] != "P-256")
    return fail("the JWK EC key is not on curve P-256", "idform signs ES256 assertions");
  auto x = IDFORM_TRY(base64url_decode(jwk.value("x", std::string())));
  auto y = IDFORM_TRY(base64url_decode(jwk.value("y", std::string())));
  if (x.size() != 32 || y.size() != 32) return fail("the JWK EC key's x or y is not 32 bytes");
  std::string point = "\x04" + x + y;
  Bignum d = IDFORM_TRY(jwk_number(jwk, "d"));
  ParamBuilder builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)
    return fail("cannot read the JWK private key", openssl_error());
  return key_from_params("EC", builder.get());
}

Result<PrivateKey> from_jwk(const std::string& text) {
  nlohmann::json jwk = nlohmann::json::parse(text, nullptr, false);
  // A JWK Set with one key is what some consoles download.
  if (jwk.is_object() && jwk.contains("keys") && jwk["keys"].is_array() && jwk["keys"].size() == 1) jwk = jwk["keys"][0];
  if (!jwk.is_object()) return fail("the private key looks like JSON but is not a JWK object", std::string("accepted: ") + kForms);
  std::string type = jwk.contains("kty") && jwk["kty"].is_string() ? jwk["kty"].get<std::string>() : "";
  if (!jwk.contains("d")) return fail("the JWK holds no private key (no \"d\" member)", "export the private JWK, not the public one");
  if (type == "RSA") return rsa_from_jwk(jwk);
  if (type == "EC") return ec_from_jwk(jwk);
  return fail("the JWK's \"kty\" is neither RSA nor EC");
}

bool base64_only(const std::string& text) {
  if (text.empty()) return false;
  for (unsigned char c : text)
    if (!std::isalnum(c) && c != '+' && c != '/' && c != '=' && c != '-' && c != '_') return false;
  return true;
}

std::string without_spaces(const std::string& text) {
  std::string out;
  for (unsigned char c : text)
    if (!std::isspace(c)) out += static_cast<char>(c);
  return out;
}

// Whether the value of a variable is the key itself rather than a file name.
bool holds_key_itself(const std::string& value) {
  if (value.find("-----BEGIN") != std::string::npos || value.find('\n') != std::string::npos) return true;
  std::string trimmed = util::trim(value);
  if (trimmed.starts_with("{")) return true;
  struct stat info {};
  if (::stat(value.c_str(), &info) == 0) return false;  // an existing file: its contents are the key
  if (trimmed.starts_with("/") || trimmed.starts_with(".") || trimmed.starts_with("~")) return false;  // a path
  // A long run of base64 is a key (a P-256 key is some 160 characters, a 2048-bit RSA key some
  // 1,600); anything else is a file name, reported as missing.
  return trimmed.size() >= 100 && base64_only(without_spaces(trimmed));
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read the private key file " + path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

Result<PrivateKey> parse_private_key(const std::string& material) {
  if (material.find("-----BEGIN") != std::string::npos) return from_pem(material);
  std::string trimmed = util::trim(material);
  if (trimmed.starts_with("{")) return from_jwk(trimmed);
  std::string compact = without_spaces(material);
  if (base64_only(compact)) {
    if (auto der = base64url_decode(compact)) return from_der(*der);
  }
  return from_der(material);
}

Result<std::string> read_key_material(const std::string& key_file, const std::string& variable,
                                      const std::string& value) {
  util::register_secret(value);
  std::string material;
  if (!key_file.empty()) {
    material = IDFORM_TRY(read_file(key_file));
  } else if (value.empty()) {
    return fail("$" + variable + " is empty", std::string("it must hold the private key (") + kForms +
                                                  ") or the path of a file holding it");
  } else if (holds_key_itself(value)) {
    material = value;
  } else {
    auto read = read_file(value);
    // The value may be a key in a form not recognised above: never repeat it.
    if (!read)
      return fail("$" + variable + " names no readable file and holds no private key idform recognises",
                  std::string("it must hold the private key (") + kForms + ") or the path of a file holding it");
    material = std::move(*read);
  }
  util::register_secret(material);
  std::string compact = without_spaces(material);
  if (compact != material) util::register_secret(compact);
  return material;
}

}  // namespace idform::providers::common
