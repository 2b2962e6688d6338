// idform import on the sandbox: the round trip converges, is byte-stable, and copes with two
// objects of the same name.

#include <catch2/catch.hpp>

#include "e2e/e2e_support.hpp"
#include "support/temp_dir.hpp"

using idform::testing::AcmeCopy;
using idform::testing::TempDir;
using Catch::Contains;

namespace {

idform::testing::ProcessResult idform_in(const std::filesystem::path& dir, std::vector<std::string> args) {
  args.insert(args.begin(), IDFORM_BINARY);
  args.push_back("--config");
  args.push_back(dir.string());
  return idform::testing::run_process(args, {{"IDFORM_TODAY", "2026-11-29"}});
}

}  // namespace

TEST_CASE("import of the sandbox tenant plans to zero changes and is byte-stable", "[e2e][import]") {
  AcmeCopy acme;
  TempDir out1, out2;
  auto first = acme.idform({"import", "--target", "sandbox", "--out", out1.path().string()});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Contains("Imported 34 file(s)"));  // 33 objects + idform.yaml

  auto files = idform::testing::read_tree(out1.path());
  CHECK(files.contains("idform.yaml"));
  CHECK(files.contains("groups/engineering.yaml"));
  CHECK(files.contains("policies/ca-001-require-mfa-for-all-users.yaml"));
  CHECK_THAT(files["groups/engineering.yaml"], Contains("id: "));
  CHECK_THAT(files["groups/engineering.yaml"], Contains("- group: platform-engineers"));
  CHECK_THAT(files["apps/salesforce.yaml"], Contains("role: Standard User"));
  CHECK_THAT(files["policies/ca-001-require-mfa-for-all-users.yaml"], Contains("exclude: [group:break-glass]"));

  auto validate = idform_in(out1.path(), {"validate"});
  INFO(validate.err);
  CHECK(validate.exit_code == 0);
  auto plan = idform_in(out1.path(), {"plan", "--detailed-exitcode"});
  INFO(plan.out << plan.err);
  CHECK(plan.exit_code == 0);
  CHECK_THAT(plan.out, Contains("No changes."));

  auto second = acme.idform({"import", "--target", "sandbox", "--out", out2.path().string()});
  REQUIRE(second.exit_code == 0);
  CHECK(idform::testing::read_tree(out2.path()) == files);

  auto again = acme.idform({"import", "--target", "sandbox", "--out", out1.path().string()});
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Contains("already exist"));
  CHECK_THAT(again.err, Contains("--force"));
}

TEST_CASE("two groups with the same name import with both ids and a warning, and still converge", "[e2e][import]") {
  AcmeCopy acme;
  auto tenant = acme.read_sandbox();
  nlohmann::json twin = idform::testing::sandbox_object(tenant, "groups", "support");
  twin["id"] = "g-support-twin";
  twin["description"] = "The other support group";
  tenant["groups"].push_back(twin);
  // A policy excluding the twin must refer to it by id: its name is ambiguous.
  idform::testing::sandbox_object(tenant, "conditional_access_policies", "CA-002 Block legacy authentication")
      ["users"]["exclude"].push_back("group:g-support-twin");
  acme.write_sandbox(tenant);

  TempDir out;
  auto imported = acme.idform({"import", "--target", "sandbox", "--out", out.path().string()});
  INFO(imported.out << imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK_THAT(imported.err, Contains("warning: group:support"));
  auto files = idform::testing::read_tree(out.path());
  REQUIRE(files.contains("groups/support.yaml"));
  REQUIRE(files.contains("groups/support-2.yaml"));
  CHECK_THAT(files["groups/support.yaml"] + files["groups/support-2.yaml"], Contains("id: g-support-twin"));
  CHECK_THAT(files["policies/ca-002-block-legacy-authentication.yaml"], Contains("group:id:g-support-twin"));

  auto plan = idform_in(out.path(), {"plan", "--detailed-exitcode"});
  INFO(plan.out << plan.err);
  CHECK(plan.exit_code == 0);
}

TEST_CASE("import filters by kind and name", "[e2e][import]") {
  AcmeCopy acme;
  TempDir out;
  auto imported = acme.idform({"import", "--target", "sandbox", "--out", out.path().string(), "--kinds",
                               "groups", "--match", "^payments-"});
  REQUIRE(imported.exit_code == 0);
  auto files = idform::testing::read_tree(out.path());
  CHECK(files.size() == 3);  // payments-admins, payments-oncall, idform.yaml
  CHECK(files.contains("groups/payments-admins.yaml"));
  auto bad = acme.idform({"import", "--target", "sandbox", "--out", out.path().string(), "--kinds", "widgets"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Contains("unknown kind \"widgets\""));
}

