// examples/acme against an Entra tenant (idp-sim seeded with the acme users), through the idform
// binary: the configuration as written is refused where Graph cannot express it; without those
// fields it plans, applies from a saved plan, and plans again to no changes. No secret reaches
// any output, with or without -v.

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "providers/entra_testbed.hpp"
#include "support/audit_schema.hpp"

using namespace idform::testing::entra;

namespace {


// A copy of examples/acme whose idform.yaml gains an `entra` target on the simulator.
class AcmeOnEntra {
 public:
  // `ca_file`: the authority of an idp-sim started with --tls ("" for plain http).
  explicit AcmeOnEntra(const std::string& base_url, const std::string& ca_file = "") {
    std::filesystem::copy(std::filesystem::path(IDFORM_SOURCE_DIR) / "examples" / "acme", dir(),
                          std::filesystem::copy_options::recursive);
    std::string project = read(dir() / "idform.yaml");
    std::string target = "  entra:\n    provider: entra\n    tenant_id: " + std::string(kSimTenant) +
                         "\n    client_id: " + kSimClient + "\n    graph_endpoint: " + base_url +
                         "/v1.0\n    authority: " + base_url + (ca_file.empty() ? "" : "\n    ca_bundle: " + ca_file) +
                         "\n    auth: {method: client_secret, secret_env: " +
                         kSecretVariable + "}\n";
    project.replace(project.find("targets:\n"), 9, "targets:\n" + target);
    project.replace(project.find("default_target: sandbox"), 23, "default_target: entra");
    std::ofstream(dir() / "idform.yaml") << project;
  }

  std::filesystem::path dir() const { return m_temp.path() / "acme"; }

  // Rewrites the resource files without the fields Entra cannot express.
  void strip_unsupported() {
    for (const auto& [relative, text] : acme_resource_files(true)) std::ofstream(dir() / relative) << text;
  }

  idform::testing::ProcessResult idform(std::vector<std::string> args, const std::string& secret = kSimSecret) const {
    args.insert(args.begin(), IDFORM_BINARY);
    args.insert(args.end(), {"--config", dir().string(), "--no-color"});
    return idform::testing::run_process(args, {{kSecretVariable, secret}, {"IDFORM_TODAY", "2026-11-29"}});
  }

  static std::string read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  idform::testing::TempDir m_temp;
};

void no_secret_in(const idform::testing::ProcessResult& result, const std::string& secret) {
  CHECK(result.out.find(secret) == std::string::npos);
  CHECK(result.err.find(secret) == std::string::npos);
  CHECK(result.err.find("Bearer ey") == std::string::npos);
}

}  // namespace

TEST_CASE("examples/acme on Entra: plan, apply, and the next plan has no changes", "[entra]") {
  TestbedOptions options;
  options.seed = [](const std::filesystem::path& seed) {
    write_json(seed, "users.json", list_of("users", users_mentioned(acme_resource_files(false))));
  };
  Testbed bed(options);
  AcmeOnEntra acme(bed.sim().base_url(), bed.sim().ca_file());

  // As written, acme uses three settings Graph v1.0 has no place for: each is named, nothing is read.
  auto refused = acme.idform({"plan"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("sso.saml.name_id_format: provider \"entra\" cannot express this"));
  CHECK_THAT(refused.err, Catch::Contains("sso.oidc.post_logout_redirect_uris: provider \"entra\" cannot express this"));
  CHECK_THAT(refused.err, Catch::Contains("sso.oidc.grant_types: provider \"entra\" cannot express this"));
  CHECK_THAT(refused.err, Catch::Contains("apps/github.yaml:"));
  CHECK(bed.sim().stats()["requests_total"] == 0);

  acme.strip_unsupported();
  const std::string plan_file = (acme.dir() / "plan.json").string();
  auto plan = acme.idform({"plan", "--detailed-exitcode", "--out", plan_file});
  INFO(plan.err);
  REQUIRE(plan.exit_code == 2);
  CHECK_THAT(plan.out, Catch::Contains("# group:break-glass will be created"));
  CHECK_THAT(plan.out, Catch::Contains("# policy:CA-004 Compliant device for administrators will be created"));
  CHECK_THAT(plan.out, Catch::Contains("Plan: 34 to create, 0 to update, 0 to delete"));
  no_secret_in(plan, kSimSecret);

  const std::string audit_file = (acme.dir() / "audit.jsonl").string();
  auto apply = acme.idform({"apply", plan_file, "--auto-approve", "-v", "--audit-log", audit_file});
  INFO(apply.out);
  INFO(apply.err);
  REQUIRE(apply.exit_code == 0);
  CHECK_THAT(apply.err, Catch::Contains("entra: POST "));  // the request log is there, redacted
  no_secret_in(apply, kSimSecret);
  // Nor in the files idform writes: the saved plan and the audit log.
  for (const std::string& path : {plan_file, audit_file}) {
    std::ifstream in(path);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(path);
    CHECK(!content.empty());
    CHECK(content.find(kSimSecret) == std::string::npos);
    CHECK(content.find("Bearer ey") == std::string::npos);
  }
  // Every audit line conforms to schemas/audit-line.schema.json, one per change of the plan.
  auto lines = idform::testing::read_audit_log(audit_file);
  CHECK(lines.size() == 34);
  for (const auto& line : lines) CHECK(line["outcome"] == "applied");

  auto again = acme.idform({"plan", "--detailed-exitcode"});
  INFO(again.out);
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("No changes."));

  auto wrong = acme.idform({"plan"}, "the-wrong-secret-value");
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.err, Catch::Contains("authentication failed for target \"entra\" (client_secret"));
  CHECK_THAT(wrong.err, Catch::Contains("AADSTS7000215"));
  no_secret_in(wrong, "the-wrong-secret-value");
}
