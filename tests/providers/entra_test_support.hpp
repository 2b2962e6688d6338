#pragma once
// Shared by the Entra provider tests: a fake HTTP transport, a throw-away RSA key and self-signed
// certificate (generated per test run, never stored), and settings pointed at a base URL.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <chrono>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/entra/entra_settings.hpp"
#include "reconciler/http/client.hpp"
#include "support/fake_transport.hpp"

namespace idform::testing::entra {

using testing::FakeTransport;
using testing::json_response;

// A 2048-bit RSA key and a self-signed certificate for it, as PEM.
struct TestCertificate {
  std::string certificate_pem;
  std::string key_pem;
  std::string public_key_pem;
};

inline TestCertificate make_test_certificate(const std::string& common_name = "idform-test") {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* certificate = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 86400);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, key, EVP_sha256());
  auto to_pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(size));
    BIO_free(bio);
    return out;
  };
  TestCertificate out;
  out.certificate_pem = to_pem([&](BIO* bio) { PEM_write_bio_X509(bio, certificate); });
  out.key_pem = to_pem([&](BIO* bio) { PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr); });
  out.public_key_pem = to_pem([&](BIO* bio) { PEM_write_bio_PUBKEY(bio, key); });
  X509_free(certificate);
  EVP_PKEY_free(key);
  return out;
}

// Settings for a tenant behind `base` (idp-sim or a fake), tuned for fast tests: no conditional
// access pacing beyond what the server asks for, short replication waits.
inline providers::entra::EntraSettings test_settings(const std::string& base, const std::string& tenant,
                                                     const std::string& client) {
  providers::entra::EntraSettings settings;
  settings.target_name = "entra-test";
  settings.tenant_id = tenant;
  settings.client_id = client;
  settings.graph_endpoint = base + "/v1.0";
  settings.authority = base;
  settings.auth.method = providers::entra::AuthMethod::client_secret;
  settings.auth.secret_env = "IDFORM_TEST_ENTRA_SECRET";
  settings.tuning.policy_interval = std::chrono::milliseconds(0);
  settings.tuning.consistency_first_wait = std::chrono::milliseconds(20);
  settings.tuning.consistency_max_wait = std::chrono::milliseconds(200);
  settings.tuning.consistency_budget = std::chrono::milliseconds(10000);
  settings.tuning.adopt_window = std::chrono::milliseconds(300);  // > idp-sim's 5 s delay at time scale 0.01
  return settings;
}

}  // namespace idform::testing::entra
