// `idform whatif` end to end: a fixture pull request (a git repository built in a temporary
// directory) whose one change adds a group exclusion lists exactly the scenarios it changes;
// --ref reads a past revision; --matrix reports examples/acme's gaps; expect: is enforced.

#include <catch2/catch.hpp>

#include <git2.h>

#include "e2e/e2e_support.hpp"

using idform::testing::run_process;
using idform::testing::TempDir;

namespace {

void write(const TempDir& repo, const std::string& relative, const std::string& text) {
  std::filesystem::create_directories((repo.path() / relative).parent_path());
  std::ofstream(repo.path() / relative, std::ios::trunc) << text;
}

// Commits every file of the working tree of the repository at `dir` (created if need be).
void commit_all(const std::filesystem::path& dir, const std::string& message) {
  git_libgit2_init();
  git_repository* repository = nullptr;
  if (git_repository_open(&repository, dir.c_str()) != 0) REQUIRE(git_repository_init(&repository, dir.c_str(), 0) == 0);
  git_index* index = nullptr;
  REQUIRE(git_repository_index(&index, repository) == 0);
  REQUIRE(git_index_add_all(index, nullptr, 0, nullptr, nullptr) == 0);
  REQUIRE(git_index_write(index) == 0);
  git_oid tree_id, commit_id, parent_id;
  REQUIRE(git_index_write_tree(&tree_id, index) == 0);
  git_tree* tree = nullptr;
  REQUIRE(git_tree_lookup(&tree, repository, &tree_id) == 0);
  git_signature* author = nullptr;
  REQUIRE(git_signature_new(&author, "Test", "test@example.org", 1700000000, 0) == 0);
  git_commit* parent = nullptr;
  if (git_reference_name_to_id(&parent_id, repository, "HEAD") == 0) REQUIRE(git_commit_lookup(&parent, repository, &parent_id) == 0);
  const git_commit* parents[] = {parent};
  REQUIRE(git_commit_create(&commit_id, repository, "HEAD", author, author, nullptr, message.c_str(), tree, parent ? 1 : 0,
                            parents) == 0);
  git_commit_free(parent);
  git_signature_free(author);
  git_tree_free(tree);
  git_index_free(index);
  git_repository_free(repository);
  git_libgit2_shutdown();
}

constexpr const char* kProject = "version: 1\ndefault_target: sandbox\ntargets:\n  sandbox: {provider: local, path: .idform/sandbox.json}\n";
constexpr const char* kGroups = R"(kind: Group
name: admins
members: [alice@acme.example, carol@acme.example]
---
kind: Group
name: contractors
members: [carol@acme.example, dan@acme.example]
---
kind: Group
name: sales
members: [bob@acme.example]
---
kind: Application
name: Salesforce
sso: {protocol: oidc, oidc: {redirect_uris: ["https://crm.acme.example/cb"]}}
)";
std::string policies(const std::string& admin_exclusions) {
  return R"(kind: ConditionalAccessPolicy
name: CA-001 MFA for everyone
state: enabled
users: {include: [all]}
applications: {include: [all]}
grant: {operator: or, controls: [mfa]}
---
kind: ConditionalAccessPolicy
name: CA-002 Admins on compliant devices
state: enabled
users: {include: ["group:admins"], exclude: )" + admin_exclusions + R"(}
applications: {include: [all]}
grant: {operator: and, controls: [mfa, compliant_device]}
)";
}
constexpr const char* kScenarios = R"(scenarios:
  - name: alice to Salesforce
    user: alice@acme.example
    application: Salesforce
  - name: carol to Salesforce
    user: carol@acme.example
    application: Salesforce
  - name: carol on her phone
    user: carol@acme.example
    application: Salesforce
    platform: ios
  - name: bob to Salesforce
    user: bob@acme.example
    application: Salesforce
    expect: require mfa
  - name: dan to Salesforce
    user: dan@acme.example
    application: Salesforce
)";

idform::testing::ProcessResult whatif(const TempDir& repo, std::vector<std::string> args) {
  args.insert(args.begin(), IDFORM_BINARY);
  args.insert(args.begin() + 1, "whatif");
  args.push_back("--config");
  args.push_back((repo.path() / "config").string());
  return run_process(args, {});
}

}  // namespace

TEST_CASE("whatif --base on a fixture pull request lists exactly the scenarios one group exclusion changes", "[whatif][cli]") {
  TempDir repo;
  write(repo, "config/idform.yaml", kProject);
  write(repo, "config/groups.yaml", kGroups);
  write(repo, "config/policies.yaml", policies("[]"));
  write(repo, "config/whatif/scenarios.yaml", kScenarios);
  write(repo, "README.md", "fixture\n");
  commit_all(repo.path(), "base");
  // The pull request: contractors are excluded from the admin policy.
  write(repo, "config/policies.yaml", policies("[\"group:contractors\"]"));

  auto result = whatif(repo, {"--base", "HEAD"});
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("2 scenario(s) change") != std::string::npos);
  CHECK(result.out.find("carol to Salesforce\n  before: require compliant_device and mfa\n  after:  require mfa\n") != std::string::npos);
  CHECK(result.out.find("carol on her phone") != std::string::npos);
  for (const char* unchanged : {"alice to Salesforce", "bob to Salesforce", "dan to Salesforce"})
    CHECK(result.out.find(unchanged) == std::string::npos);

  // The same as a pull request comment.
  auto markdown = whatif(repo, {"--base", "HEAD", "--format", "markdown"});
  CHECK(markdown.out.find("| carol to Salesforce | require compliant_device and mfa | require mfa |") != std::string::npos);

  // --ref reads the base revision itself: carol still needs a compliant device there.
  auto past = whatif(repo, {"--ref", "HEAD"});
  REQUIRE(past.exit_code == 0);
  CHECK(past.out.find("carol to Salesforce\n  outcome: require compliant_device and mfa\n") != std::string::npos);
  auto now = whatif(repo, {});
  REQUIRE(now.exit_code == 0);
  CHECK(now.out.find("carol to Salesforce\n  outcome: require mfa\n") != std::string::npos);
  CHECK(now.out.find("CA-002 Admins on compliant devices: users.exclude: group:contractors") != std::string::npos);

  auto unknown = whatif(repo, {"--base", "no-such-branch"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("unknown git revision \"no-such-branch\"") != std::string::npos);
}

TEST_CASE("whatif fails a scenario whose expect: the outcome does not meet, naming its line", "[whatif][cli]") {
  TempDir repo;
  write(repo, "config/idform.yaml", kProject);
  write(repo, "config/groups.yaml", kGroups);
  write(repo, "config/policies.yaml", policies("[]"));
  write(repo, "config/whatif/scenarios.yaml", std::string(kScenarios) + "  - name: alice expects too little\n    user: alice@acme.example\n    expect: require mfa\n");
  auto result = whatif(repo, {});
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("whatif/scenarios.yaml:19:5:") != std::string::npos);
  CHECK(result.err.find("expects \"require mfa\" but the outcome is \"require compliant_device and mfa\"") != std::string::npos);

  write(repo, "config/whatif/scenarios.yaml", "scenarios:\n  - name: x\n    platform: amiga\n");
  auto bad = whatif(repo, {});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("whatif/scenarios.yaml:3:15") != std::string::npos);
}

TEST_CASE("whatif --matrix on examples/acme lists its gaps", "[whatif][cli]") {
  idform::testing::AcmeCopy acme;
  auto result = acme.idform({"whatif", "--matrix"});
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("sign-ins built from the config;") != std::string::npos);
  CHECK(result.out.find("\nno policy\n") != std::string::npos);
  // Everyone at the trusted office: CA-001 excludes trusted locations and nothing else applies.
  CHECK(result.out.find("group:sales -> app:AWS IAM Identity Center") != std::string::npos);
  CHECK(result.out.find("location:hq: every platform and client app") != std::string::npos);
  // The emergency access accounts are excluded from every policy: nothing blocks them.
  CHECK(result.out.find("emergency access blocked") == std::string::npos);
}

TEST_CASE("the markdown plan of examples/acme lists the sign-in scenarios the plan changes", "[whatif][cli]") {
  idform::testing::AcmeCopy acme;
  auto result = acme.idform({"plan", "--format", "markdown"});
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("### Sign-in scenarios this change affects") != std::string::npos);
  // The plan creates the phishing-resistant policy for administrators: the admin's sign-in changes.
  CHECK(result.out.find("| IT admin opens the Azure portal from home | ") != std::string::npos);
}
