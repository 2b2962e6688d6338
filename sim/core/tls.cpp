// Certificates for --tls, made with OpenSSL at startup: a self-signed authority (basic
// constraints CA, keyCertSign) and a server certificate it signs, with the subject alternative
// names clients check for loopback (DNS:localhost, IP:127.0.0.1, IP:::1) and serverAuth usage.
// Keys are EC P-256: generating them takes microseconds, so every run gets a fresh authority.
#include "core/tls.hpp"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <stdexcept>

namespace idp_sim {

namespace {

std::unique_ptr<EVP_PKEY, KeyDeleter> new_ec_key() {
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(EVP_EC_gen("P-256"));
  if (!key) throw std::runtime_error("--tls: cannot generate a key");
  return key;
}

void add_extension(X509* certificate, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (!extension || !X509_add_ext(certificate, extension, -1)) {
    X509_EXTENSION_free(extension);
    throw std::runtime_error("--tls: cannot add a certificate extension");
  }
  X509_EXTENSION_free(extension);
}

std::unique_ptr<X509, X509Deleter> new_certificate(const std::string& common_name, EVP_PKEY* key, long serial) {
  std::unique_ptr<X509, X509Deleter> certificate(X509_new());
  if (!certificate) throw std::runtime_error("--tls: out of memory");
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), serial);
  // Valid from an hour ago (clock skew of the client) for 30 days.
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 30L * 24 * 3600);
  X509_set_pubkey(certificate.get(), key);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("idp-sim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  return certificate;
}

void write_pem(const std::string& path, X509* certificate) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (!file) throw std::runtime_error("--tls: cannot write the CA certificate to " + path);
  bool written = PEM_write_X509(file, certificate) == 1;
  if (std::fclose(file) != 0 || !written) throw std::runtime_error("--tls: cannot write the CA certificate to " + path);
}

}  // namespace

TlsMaterial generate_tls_material(const std::string& ca_file) {
  auto ca_key = new_ec_key();
  auto ca = new_certificate("idp-sim local CA", ca_key.get(), 1);
  X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
  add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  if (!X509_sign(ca.get(), ca_key.get(), EVP_sha256())) throw std::runtime_error("--tls: cannot sign the CA certificate");

  TlsMaterial material;
  material.key = new_ec_key();
  material.certificate = new_certificate("localhost", material.key.get(), 2);
  X509_set_issuer_name(material.certificate.get(), X509_get_subject_name(ca.get()));
  add_extension(material.certificate.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(material.certificate.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(material.certificate.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  add_extension(material.certificate.get(), ca.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
  add_extension(material.certificate.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
  if (!X509_sign(material.certificate.get(), ca_key.get(), EVP_sha256())) {
    throw std::runtime_error("--tls: cannot sign the server certificate");
  }
  write_pem(ca_file, ca.get());
  material.ca_file = ca_file;
  return material;
}

TlsMaterial load_tls_material(const std::string& certificate_file, const std::string& key_file) {
  TlsMaterial material;
  FILE* file = std::fopen(certificate_file.c_str(), "r");
  if (!file) throw std::runtime_error("--tls-cert: cannot read " + certificate_file);
  material.certificate.reset(PEM_read_X509(file, nullptr, nullptr, nullptr));
  std::fclose(file);
  if (!material.certificate) throw std::runtime_error("--tls-cert: " + certificate_file + " holds no PEM certificate");
  file = std::fopen(key_file.c_str(), "r");
  if (!file) throw std::runtime_error("--tls-key: cannot read " + key_file);
  material.key.reset(PEM_read_PrivateKey(file, nullptr, nullptr, nullptr));
  std::fclose(file);
  if (!material.key) throw std::runtime_error("--tls-key: " + key_file + " holds no unencrypted PEM private key");
  if (X509_check_private_key(material.certificate.get(), material.key.get()) != 1) {
    throw std::runtime_error("--tls-key: the key does not belong to the certificate in " + certificate_file);
  }
  return material;
}

}  // namespace idp_sim
