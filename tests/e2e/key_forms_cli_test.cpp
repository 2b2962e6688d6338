// Issue 14's private-key defect end to end: a key in each accepted form (PEM, bare base64 DER,
// DER in a file, JWK) that idform cannot use, handed over through key_file_env to an Okta
// private_key_jwt target and to an Entra certificate target, on every command: the commands that
// sign in fail saying what is wrong with the private key, and nothing idform prints holds any
// piece of it.

#include <catch2/catch.hpp>

#include "e2e/e2e_support.hpp"
#include "support/test_keys.hpp"

using idform::testing::ProcessResult;
using idform::testing::TempDir;

namespace {

// The project: both cloud targets read the key from $IDFORM_TEST_KEY; their endpoints are a
// closed loopback port, never reached because the key is refused first.
void write_key_project(const TempDir& dir, const std::string& certificate_pem) {
  dir.write("cert.pem", certificate_pem);
  dir.write("groups/team.yaml", "kind: Group\nname: team\nmembers: [alice@acme.example]\n");
  dir.write("idform.yaml",
            "version: 1\n"
            "default_target: okta\n"
            "targets:\n"
            "  okta:\n"
            "    provider: okta\n"
            "    org_url: https://127.0.0.1:9\n"
            "    auth: {method: private_key_jwt, client_id: 0oakeyforms, key_file_env: IDFORM_TEST_KEY}\n"
            "  entra:\n"
            "    provider: entra\n"
            "    tenant_id: 2f5c1e0a-0000-4000-8000-000000000001\n"
            "    client_id: 9a1e77b3-0000-4000-8000-000000000002\n"
            "    graph_endpoint: https://127.0.0.1:9/v1.0\n"
            "    authority: https://127.0.0.1:9\n"
            "    auth: {method: certificate, certificate_file: cert.pem, key_file_env: IDFORM_TEST_KEY}\n");
}

// Every 16-character piece of `text`, 8 apart.
std::vector<std::string> pieces_of(const std::string& text) {
  std::vector<std::string> pieces;
  for (size_t at = 0; at + 16 <= text.size(); at += 8) pieces.push_back(text.substr(at, 16));
  return pieces;
}

}  // namespace

TEST_CASE("a private key idform cannot use is refused and never printed, on every command",
          "[e2e][secrets][hardening]") {
  idform::testing::TestKey key = idform::testing::make_test_key("RSA");
  const std::string der = idform::testing::private_key_der(key);
  const std::string base64 = idform::testing::base64_encode(der);
  const std::string jwk = idform::testing::private_key_jwk(key);
  // Each form cut in half: still shaped like a key (armour, base64 alphabet, JSON, DER header),
  // usable by nobody. The DER form goes in a file whose path the variable holds.
  struct Form {
    std::string name;
    std::string material;
    bool in_file;
  };
  const std::vector<Form> forms = {{"PEM", key.private_key_pem.substr(0, key.private_key_pem.size() / 2), false},
                                   {"bare base64 DER", base64.substr(0, base64.size() / 2), false},
                                   {"DER file", der.substr(0, der.size() / 2), true},
                                   {"JWK", jwk.substr(0, jwk.size() / 2), false}};
  std::vector<std::string> secret;
  for (const std::string& text : {key.private_key_pem, base64, der, jwk})
    for (std::string& piece : pieces_of(text))
      if (piece.find("-----") == std::string::npos) secret.push_back(std::move(piece));

  for (const Form& form : forms) {
    TempDir dir;
    write_key_project(dir, key.certificate_pem);
    std::string value = form.in_file ? dir.write("keys/client.der", form.material) : form.material;
    for (const std::string target : {"okta", "entra"}) {
      const std::vector<std::vector<std::string>> commands = {
          {"validate"}, {"plan"}, {"drift"}, {"apply", "--auto-approve"}, {"import", "--out", (dir.path() / "imported").string()}};
      for (std::vector<std::string> args : commands) {
        std::string command = args[0];
        args.insert(args.begin(), IDFORM_BINARY);
        for (const char* extra : {"-v", "--no-color", "--target"}) args.push_back(extra);
        args.push_back(target);
        args.push_back("--config");
        args.push_back(dir.str());
        ProcessResult result = idform::testing::run_process(args, {{"IDFORM_TEST_KEY", value}});
        std::string output = result.out + result.err;
        INFO(form.name << ", " << target << ", idform " << command << ": exit " << result.exit_code << "\n" << output);
        if (command != "validate") {
          CHECK(result.exit_code == 1);
          CHECK(output.find("private key") != std::string::npos);
        }
        CHECK(output.find("-----BEGIN") == std::string::npos);
        for (const std::string& piece : secret)
          if (output.find(piece) != std::string::npos) FAIL("the output holds part of the private key: " << piece);
      }
    }
  }
}
