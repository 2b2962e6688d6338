#pragma once
// HTTPS material for --tls: either the files given with --tls-cert/--tls-key, or a certificate
// for localhost, 127.0.0.1 and ::1 issued by a certificate authority generated at startup. The
// authority's certificate is written to a file so that clients trust it (CURLOPT_CAINFO,
// SSL_CERT_FILE, NODE_EXTRA_CA_CERTS) instead of turning verification off.
#include <memory>
#include <string>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace idp_sim {

struct X509Deleter {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

struct TlsMaterial {
  std::unique_ptr<X509, X509Deleter> certificate;  // the server's
  std::unique_ptr<EVP_PKEY, KeyDeleter> key;
  std::string ca_file;  // where the generated authority was written; empty with --tls-cert
};

// Generates an authority and a server certificate signed by it (EC P-256, valid 30 days) and
// writes the authority's PEM to `ca_file`. Throws std::runtime_error on failure.
TlsMaterial generate_tls_material(const std::string& ca_file);
// Reads a PEM certificate (chain: the first one) and private key. Throws on failure.
TlsMaterial load_tls_material(const std::string& certificate_file, const std::string& key_file);

}  // namespace idp_sim
