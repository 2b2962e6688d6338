// The config loader end to end: files on disk in, resources or file:line:col diagnostics out.

#include <catch2/catch.hpp>

#include <optional>

#include "fixtures/config/temp_config.hpp"

using idform::testing::TempConfig;
using nlohmann::json;
using Messages = std::vector<std::string>;

namespace {

const idform::model::Resource* find(const idform::config::LoadResult& result, std::string_view name) {
  for (const auto& resource : result.config.desired.resources)
    if (resource.name == name) return &resource;
  return nullptr;
}

}  // namespace

TEST_CASE("each kind of bad input is reported at its file, line and column", "[config]") {
  struct Case {
    std::string what;
    std::vector<std::pair<std::string, std::string>> files;
    Messages expected;
  };
  const std::string kGroupA = "kind: Group\nname: a\n";
  const std::vector<Case> cases = {
      {"malformed YAML",
       {{"groups/x.yaml", "kind: Group\nname: [x\n"}},
       {"groups/x.yaml:3:1: YAML syntax error: end of sequence flow not found"}},
      {"a string where a list belongs",
       {{"groups/x.yaml", "kind: Group\nname: x\nmembers: \"alice@acme.example\"\n"}},
       {"groups/x.yaml:3:10: members: expected a list, got a string"}},
      {"unknown field",
       {{"groups/x.yaml", "kind: Group\nname: x\ndescripton: Payouts\n"}},
       {"groups/x.yaml:3:1: unknown field \"descripton\" (did you mean \"description\"?)"}},
      {"missing required field",
       {{"groups/x.yaml", "kind: Group\ndescription: no name\n"}},
       {"groups/x.yaml:1:1: missing required field \"name\""}},
      {"bad enum value",
       {{"policies/p.yaml",
         "kind: ConditionalAccessPolicy\nname: p\nstate: enabeld\nusers: {include: [all]}\n"
         "applications: {include: [all]}\n"}},
       {"policies/p.yaml:3:8: state: \"enabeld\" is not one of: enabled, disabled, report-only, "
        "absent (did you mean \"enabled\"?)"}},
      {"unknown kind",
       {{"x.yaml", "kind: Grup\nname: x\n"}},
       {"x.yaml:1:7: unknown kind \"Grup\" (did you mean \"Group\"?)"}},
      {"duplicate name, in another file",
       {{"groups/a.yaml", kGroupA}, {"groups/b.yaml", "kind: Group\nname: a\n"}},
       {"groups/b.yaml:2:7: duplicate group name \"a\" (first defined at groups/a.yaml:2:7)"}},
      {"duplicate id",
       {{"groups/a.yaml", kGroupA + "id: g-1\n"}, {"groups/b.yaml", "kind: Group\nname: b\nid: g-1\n"}},
       {"groups/b.yaml:3:5: duplicate id \"g-1\" (also the id of group \"a\" at groups/a.yaml:3:5)"}},
      {"same name, different kinds, is fine",
       {{"groups/a.yaml", kGroupA}, {"apps/a.yaml", "kind: Application\nname: a\n"}},
       {}},
      {"dangling member group",
       {{"groups/a.yaml", kGroupA + "members:\n  - bob@acme.example\n  - group: payments-oncal\n"},
        {"groups/o.yaml", "kind: Group\nname: payments-oncall\n"}},
       {"groups/a.yaml:5:5: unknown group \"payments-oncal\" (did you mean \"payments-oncall\"?)"}},
      {"dangling assignment group",
       {{"apps/s.yaml", "kind: Application\nname: s\nassignments:\n  - group: sales\n"}},
       {"apps/s.yaml:4:5: unknown group \"sales\""}},
      {"dangling policy references",
       {{"policies/p.yaml",
         "kind: ConditionalAccessPolicy\nname: p\nstate: enabled\n"
         "users: {include: [all], exclude: [\"group:break-glass\", \"user:x@acme.example\"]}\n"
         "applications: {include: [\"app:Salesforce\"]}\n"
         "locations: {include: [any], exclude: [\"location:hq\"]}\n"}},
       {"policies/p.yaml:4:35: unknown group \"break-glass\"",
        "policies/p.yaml:5:26: unknown application \"Salesforce\"",
        "policies/p.yaml:6:39: unknown named location \"hq\""}},
      {"a group in itself",
       {{"groups/a.yaml", kGroupA + "members:\n  - group: a\n"}},
       {"groups/a.yaml:4:5: group \"a\" cannot be a member of itself"}},
      {"nested group cycle",
       {{"groups/a.yaml", kGroupA + "members: [{group: b}]\n"},
        {"groups/b.yaml", "kind: Group\nname: b\nmembers: [{group: c}]\n"},
        {"groups/c.yaml", "kind: Group\nname: c\nmembers: [{group: a}]\n"}},
       {"groups/a.yaml:3:11: nested group cycle: a -> b -> c -> a"}},
      {"date that is not a date",
       {{"groups/a.yaml", kGroupA + "members:\n  - user: bob@acme.example\n    expires: 2026-13-01\n"}},
       {"groups/a.yaml:5:14: members[0].expires: expected a date written YYYY-MM-DD, got "
        "\"2026-13-01\""}},
      {"date that is not in the calendar",
       {{"groups/a.yaml", kGroupA + "members:\n  - user: bob@acme.example\n    expires: 2026-02-30\n"}},
       {"groups/a.yaml:5:14: members[0].expires: 2026-02-30 is not a date in the calendar"}},
      {"member listed twice once emails are compared case-insensitively",
       {{"groups/a.yaml", kGroupA + "members: [bob@acme.example, Bob@Acme.example]\n"}},
       {"groups/a.yaml:3:29: members[1]: \"user:bob@acme.example\" is listed twice"}},
      {"role the application does not declare",
       {{"apps/s.yaml",
         "kind: Application\nname: s\nroles: [Standard User, Admin]\n"
         "assignments:\n  - {group: a, role: Standard Usr}\n"},
        {"groups/a.yaml", kGroupA}},
       {"apps/s.yaml:5:5: role \"Standard Usr\" is not one of the application's roles "
        "(Standard User, Admin) (did you mean \"Standard User\"?)"}},
      {"reference to an object being deleted",
       {{"groups/a.yaml", kGroupA + "state: absent\n"},
        {"apps/s.yaml", "kind: Application\nname: s\nassignments: [{group: a}]\n"}},
       {"apps/s.yaml:3:15: group \"a\" is referenced here but has state: absent "
        "(groups/a.yaml:2:7)"}},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      TempConfig config;
      for (const auto& [path, text] : c.files) config.write(path, text);
      CHECK(config.messages() == c.expected);
    }
  }
}

TEST_CASE("idform.yaml problems are reported at their nodes", "[config]") {
  struct Case {
    std::string what, project;
    Messages expected;
  };
  const std::vector<Case> cases = {
      {"default target that does not exist",
       "version: 1\ndefault_target: sandbx\ntargets:\n  sandbox: {provider: local}\n",
       {"idform.yaml:2:17: default_target: no target named \"sandbx\" (did you mean \"sandbox\"?)"}},
      {"invalid match regex",
       "version: 1\nmanage:\n  groups: {prune: true, match: \"^(CA-\"}\n",
       {"idform.yaml:3:32: manage.groups.match: invalid regular expression: "
        "Mismatched '(' and ')' in regular expression"}},
      {"protected object that is not declared",
       "version: 1\nguards:\n  protected: [\"group:break-glas\"]\n",
       {"idform.yaml:3:15: unknown group \"break-glas\" (did you mean \"break-glass\"?)"}},
      {"emergency access to an unknown policy",
       "version: 1\nemergency_access: [\"policy:CA-000\"]\n",
       {"idform.yaml:2:20: unknown conditional access policy \"CA-000\""}},
      {"setting of another provider",
       "version: 1\ntargets:\n  dev:\n    provider: local\n    org_url: https://acme.okta.com\n",
       {"idform.yaml:5:14: targets.dev.org_url: not a setting of local targets"}},
      {"unsupported version", "version: 2\n", {"idform.yaml:1:10: version: this idform reads version: 1"}},
      // Each built-in provider's settings are checked against the schema it supplies
      // (providers/NAME/settings.schema.json), not the core schema.
      {"unknown setting of a built-in provider",
       "version: 1\ntargets:\n  prod:\n    provider: entra\n    tenant_id: t\n    tenant: x\n"
       "    auth: {method: access_token, token_env: T}\n",
       {"idform.yaml:6:13: targets.prod.tenant: not a setting of entra targets (did you mean \"tenant_id\"?)"}},
      {"setting of a built-in provider with the wrong type",
       "version: 1\ntargets:\n  dev:\n    provider: local\n    path: 5\n",
       {"idform.yaml:5:11: targets.dev.path: expected a string, got an integer (5)"}},
      {"setting under settings: with the wrong type",
       "version: 1\ntargets:\n  okta:\n    provider: okta\n    org_url: https://acme.okta.com\n"
       "    auth: {method: api_token, token_env: T}\n    settings: {rate_limit: {max_concurrency: many}}\n",
       {"idform.yaml:7:46: targets.okta.rate_limit.max_concurrency: expected a whole number, got a string"}},
      {"any other provider's settings wait for its plugin",
       "version: 1\ntargets:\n  corp:\n    provider: ldap\n    url: 5\n    anything: [at, all]\n",
       {}},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      TempConfig config;
      config.write("idform.yaml", c.project).write("groups/bg.yaml", "kind: Group\nname: break-glass\n");
      CHECK(config.messages() == c.expected);
    }
  }
}

TEST_CASE("a missing idform.yaml is an error", "[config]") {
  TempConfig config(false);
  config.write("groups/a.yaml", "kind: Group\nname: a\n");
  CHECK(config.messages() ==
        Messages{"idform.yaml: missing project file: every config directory needs an idform.yaml "
                 "(version: 1, targets, ...)"});
}

TEST_CASE("every problem of a file is reported in one run", "[config]") {
  TempConfig config;
  config.write("groups/a.yaml",
               "kind: Group\n"
               "name: a\n"
               "descripton: x\n"
               "owners: alice@acme.example\n"
               "members:\n"
               "  - bob\n"
               "membership: sometimes\n"
               "---\n"
               "kind: Group\n"
               "name: b\n"
               "members: [{group: nope}]\n"
               "---\n"
               "kind: Group\n"
               "name: a\n");
  CHECK(config.messages() ==
        Messages{
            "groups/a.yaml:3:1: unknown field \"descripton\" (did you mean \"description\"?)",
            "groups/a.yaml:4:9: owners: expected a list, got a string",
            "groups/a.yaml:6:5: members[0]: expected an email address such as alice@acme.example, or "
            "id:<ID> for a user known only by id, got \"bob\"",
            "groups/a.yaml:7:13: membership: \"sometimes\" is not one of: exclusive, additive",
            "groups/a.yaml:11:11: unknown group \"nope\"",
            "groups/a.yaml:14:7: duplicate group name \"a\" (first defined at groups/a.yaml:2:7)",
        });
}

TEST_CASE("a broken file does not turn references to it into unknown-name errors", "[config]") {
  TempConfig config;
  config.write("groups/a.yaml", "kind: Group\nname: a\nmembers: [{group: b}]\n")
      .write("groups/b.yaml", "kind: Group\nname: b\nmembers: [\n");
  CHECK(config.messages() ==
        Messages{"groups/b.yaml:4:1: YAML syntax error: end of sequence flow not found"});
}

TEST_CASE("a valid multi-document file becomes normalised resources", "[config]") {
  TempConfig config;
  config.write("all.yaml", R"(kind: Group
name: payments-admins
id: 3b8e-1
description: Can approve payouts
owners: [Alice@Acme.example]
members:
  - Alice@acme.example
  - user: carol@acme.example
    expires: 2026-12-31
    reason: INC-4411 on-call cover
  - group: payments-oncall
membership: additive
---
kind: Group
name: payments-oncall
---
kind: Application
name: Salesforce
sso:
  protocol: saml
  saml: {entity_id: "https://acme.my.salesforce.com", name_id_format: email}
roles: [Standard User]
assignments:
  - group: payments-admins
    role: Standard User
  - user: Dave@acme.example
---
kind: ConditionalAccessPolicy
name: CA-001 Require MFA
state: report-only
users: {include: [all], exclude: ["group:payments-oncall", "user:Eve@Acme.example"]}
applications: {include: ["app:Salesforce"]}
locations: {include: [any], exclude: ["location:hq"]}
grant: {operator: or, controls: [mfa]}
session: {sign_in_frequency: 8h}
---
kind: NamedLocation
name: hq
trusted: true
ip_ranges: [203.0.113.0/24, "2001:db8::/32"]
---
kind: NamedLocation
name: nordics
countries: [no, SE]
---
kind: ConditionalAccessPolicy
name: CA-999 legacy
state: absent
)");
  auto result = config.load();
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.config.desired.resources.size() == 7);

  const auto* group = find(result, "payments-admins");
  REQUIRE(group);
  CHECK(group->kind == idform::model::Kind::group);
  CHECK(group->id == "3b8e-1");
  CHECK(group->additive_members);
  CHECK(group->spec == json{{"description", "Can approve payouts"},
                            {"owners", {"alice@acme.example"}},
                            {"members",
                             {"user:alice@acme.example", "user:carol@acme.example",
                              "group:payments-oncall"}}});
  const auto& carol = group->entry_info.at("user:carol@acme.example");
  CHECK(carol.expires == "2026-12-31");
  CHECK(carol.reason == "INC-4411 on-call cover");
  CHECK(carol.where.line == 8);
  CHECK_FALSE(group->entry_info.contains("user:alice@acme.example"));  // nothing to say about her
  CHECK(group->locations.at("members").line == 7);
  CHECK(group->locations.at("members[group:payments-oncall]").to_string().ends_with("all.yaml:11:5"));
  CHECK(group->where.line == 1);

  const auto* app = find(result, "Salesforce");
  REQUIRE(app);
  CHECK(app->spec["assignments"] ==
        json{"group:payments-admins|role:Standard User", "user:dave@acme.example"});
  CHECK(app->spec["sso"] == json{{"protocol", "saml"},
                                 {"saml", {{"entity_id", "https://acme.my.salesforce.com"},
                                           {"name_id_format", "email"}}}});
  CHECK(app->locations.at("sso.saml.entity_id").line == 21);
  CHECK(app->locations.contains("sso.saml"));

  const auto* policy = find(result, "CA-001 Require MFA");
  REQUIRE(policy);
  CHECK(policy->lifecycle == idform::model::Lifecycle::present);
  CHECK(policy->spec["state"] == "report-only");
  CHECK(policy->spec["users"]["exclude"] ==
        json{"group:payments-oncall", "user:eve@acme.example"});
  CHECK(policy->locations.at("users.exclude[user:eve@acme.example]").line == 31);

  CHECK(find(result, "nordics")->spec["countries"] == json{"NO", "SE"});
  CHECK(find(result, "hq")->spec["ip_ranges"] == json{"203.0.113.0/24", "2001:db8::/32"});

  const auto* legacy = find(result, "CA-999 legacy");
  REQUIRE(legacy);
  CHECK(legacy->lifecycle == idform::model::Lifecycle::absent);
  CHECK(legacy->spec == json::object());
}

TEST_CASE("plain members are located on demand, exactly as if every entry had been kept", "[config]") {
  TempConfig config;
  config.write("groups/a.yaml", R"(kind: Group
name: a
description: first
---
kind: Group
name: b
members:
  - Alice@acme.example

  # a comment between entries
  - bob@acme.example
  - user: carol@acme.example
    reason: cover
---
kind: Group
name: c
owners: [dave@acme.example]
members:
  - dave@acme.example
  - eve@acme.example
)");
  auto result = config.load();
  REQUIRE(result.diagnostics.empty());
  const auto* b = find(result, "b");
  const auto* c = find(result, "c");
  REQUIRE(b);
  REQUIRE(c);
  CHECK(b->locations.at("members").line == 8);
  CHECK(b->locations.at("members[user:alice@acme.example]").to_string().ends_with("groups/a.yaml:8:5"));
  CHECK(b->locations.at("members[user:bob@acme.example]").line == 11);
  CHECK(b->locations.at("members[user:carol@acme.example]").line == 12);
  CHECK_FALSE(b->locations.contains("members[user:nobody@acme.example]"));
  CHECK(c->locations.at("members[user:eve@acme.example]").line == 20);
  std::vector<std::string> keys;
  for (const auto& [key, where] : c->locations.entries()) keys.push_back(key);
  CHECK(keys == Messages{"members", "members[user:dave@acme.example]", "members[user:eve@acme.example]",
                         "owners", "owners[dave@acme.example]"});
  CHECK(c->locations.size() == 5);
}

TEST_CASE("member locations left out are not invented once the file is gone", "[config]") {
  std::optional<idform::model::Resource> group;
  {
    TempConfig config;
    config.write("groups/a.yaml", "kind: Group\nname: a\nmembers:\n  - alice@acme.example\n");
    auto result = config.load();
    REQUIRE(result.diagnostics.empty());
    group = result.config.desired.resources.at(0);
  }
  CHECK(group->locations.at("members").line == 4);
  CHECK_FALSE(group->locations.contains("members[user:alice@acme.example]"));
}

TEST_CASE("files are found recursively, minus hidden and ignored paths", "[config]") {
  TempConfig config;
  config.write("idform.yaml", "version: 1\nignore: [drafts, \"vendor/*.yml\"]\n")
      .write("groups/a.yaml", "kind: Group\nname: a\n")
      .write("groups/nested/b.yml", "kind: Group\nname: b\n")
      .write("drafts/c.yaml", "not: a resource\n")
      .write("vendor/d.yml", "not: a resource\n")
      .write(".github/workflows/ci.yaml", "on: push\n")
      .write(".idform/state.yaml", "x: 1\n")
      .write("README.md", "# not yaml\n");
  auto result = config.load();
  CHECK(result.diagnostics.empty());
  std::vector<std::string> files;
  for (const auto& file : result.config.files)
    files.push_back(file.lexically_relative(config.dir()).generic_string());
  CHECK(files == std::vector<std::string>{"groups/a.yaml", "groups/nested/b.yml", "idform.yaml"});
  CHECK(result.config.desired.resources.size() == 2);
}

TEST_CASE("the project file becomes a Project", "[config]") {
  TempConfig config;
  config.write("idform.yaml", R"(version: 1
default_target: sandbox
targets:
  sandbox: {provider: local, path: .idform/sandbox.json}
  entra-prod:
    provider: entra
    tenant_id: 2f5c
    client_id: 9a1e
    auth: {method: client_secret, secret_env: IDFORM_ENTRA_CLIENT_SECRET}
  okta-prod:
    provider: okta
    org_url: https://acme.okta.com
    auth: {method: private_key_jwt, client_id: 0oa1, key_file_env: IDFORM_OKTA_KEY}
manage:
  groups: {prune: false}
  conditional_access_policies: {prune: true, match: "^CA-"}
guards:
  max_deletes: 5
  max_member_removals: 25
  protected: ["group:break-glass"]
emergency_access: ["group:break-glass"]
)").write("groups/bg.yaml", "kind: Group\nname: break-glass\n");
  auto result = config.load();
  REQUIRE(result.diagnostics.empty());
  const auto& project = result.config.project;
  CHECK(project.default_target == "sandbox");
  REQUIRE(project.targets.size() == 3);
  CHECK(project.targets.at("okta-prod").provider == "okta");
  CHECK(project.targets.at("entra-prod").settings["auth"]["secret_env"] == "IDFORM_ENTRA_CLIENT_SECRET");
  CHECK(project.targets.at("sandbox").where.line == 4);
  using idform::model::Kind;
  CHECK(project.manage.at(Kind::conditional_access_policy).prune);
  CHECK(project.manage.at(Kind::conditional_access_policy).match == "^CA-");
  CHECK_FALSE(project.manage.contains(Kind::application));
  CHECK(project.guards.max_deletes == 5);
  CHECK(project.guards.max_member_removals == 25);
  CHECK(project.guards.protected_addresses == std::vector<std::string>{"group:break-glass"});
  CHECK(project.emergency_access == std::vector<std::string>{"group:break-glass"});
}

TEST_CASE("diagnostics carry the path as given and the object's address", "[config]") {
  TempConfig config;
  config.write("groups/a.yaml", "kind: Group\nname: a\nmembers: x\n");
  auto result = config.load();
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].where.file == (config.dir() / "groups/a.yaml").string());
  CHECK(result.diagnostics[0].where.line == 3);
  CHECK(result.diagnostics[0].address == "group:a");
}

TEST_CASE("the example repository is a valid config", "[config]") {
  auto result = idform::config::load_config(std::filesystem::path(IDFORM_SOURCE_DIR) / "examples/acme");
  for (const auto& error : result.diagnostics) UNSCOPED_INFO(error.to_string());
  CHECK(result.ok());
  CHECK_FALSE(result.config.desired.resources.empty());
}

TEST_CASE("hostile input is reported, never a crash", "[config]") {
  const std::vector<std::string> inputs = {
      std::string("\0\x01\x02\xff\xfe", 5),
      "kind: Group\nname: " + std::string(3000, '[') + "\n",
      "a: &a [*a]\n",
      "kind: Group\nname: x\nmembers: [" + std::string(20000, 'a') + "@x.io]\n",
      // Just under the length limit: the schema's regexes must cope with it.
      "kind: Group\nname: x\nmembers: [" + std::string(4000, 'a') + "@x.io, " +
          std::string(4000, 'b') + "]\n",
      "kind: Group\nname: x\nmembers:\n" + [] {
        std::string many;
        for (int i = 0; i < 2000; ++i) many += "  - group: g" + std::to_string(i) + "\n";
        return many;
      }(),
      "%YAML 1.2\n---\nkind: !custom Group\n",
  };
  for (const std::string& input : inputs) {
    CAPTURE(input.substr(0, 40));
    TempConfig config;
    config.write("x.yaml", input);
    CHECK_FALSE(config.messages().empty());
  }
}

TEST_CASE("idform.yaml must be a single, non-empty document", "[config]") {
  struct Case {
    std::string what, project;
    Messages expected;
  };
  const std::vector<Case> cases = {
      {"empty", "", {"idform.yaml: idform.yaml is empty; it needs at least version: 1"}},
      // Not empty: it says what is there (issue 14, defect 11).
      {"comments only", "# nothing yet\n",
       {"idform.yaml: idform.yaml holds only comments or document markers; it needs at least version: 1"}},
      {"two documents", "version: 1\n---\nversion: 1\n",
       {"idform.yaml:3:1: idform.yaml holds a single document"}},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      TempConfig config;
      config.write("idform.yaml", c.project);
      CHECK(config.messages() == c.expected);
    }
  }
}
