// The JSON Schemas in schemas/ and the wording of schema errors.

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <regex>
#include <set>

#include "reconciler/config/loader.hpp"
#include "reconciler/config/project_builder.hpp"
#include "reconciler/config/schema_check.hpp"
#include "support/settings_schemas.hpp"

using idform::config::SchemaSet;
using nlohmann::json;
using Messages = std::vector<std::string>;

namespace {

const SchemaSet& schemas() {
  static SchemaSet set = [] {
    auto loaded = SchemaSet::load();
    if (!loaded) FAIL(loaded.error().to_string());
    return std::move(*loaded);
  }();
  return set;
}

Messages check(const std::string& yaml, bool project = false) {
  auto file = idform::config::parse_yaml(yaml, "f.yaml");
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  const auto& document = file.documents[0];
  Messages out;
  auto errors = project ? schemas().check_project(document) : schemas().check_resource(document);
  // A project file's targets are then checked against their providers' own settings schemas.
  if (project && errors.empty()) {
    auto built = idform::config::build_project(document, errors);
    for (auto& error : idform::config::check_targets_settings(built, idform::testing::built_in_settings_schemas()))
      errors.push_back(std::move(error));
  }
  for (const auto& error : errors) out.push_back(error.to_string());
  return out;
}

json read_schema(const std::string& stem) {
  std::ifstream in(std::filesystem::path(IDFORM_SOURCE_DIR) / "schemas" / (stem + ".schema.json"));
  return json::parse(in);
}

// Calls `visit` on every schema object nested anywhere in `node`, except the conditions of
// if/not, which test a value rather than describe it.
void for_each_schema(const json& node, const std::function<void(const json&)>& visit) {
  if (node.is_object()) {
    visit(node);
    for (const auto& [key, child] : node.items())
      if (key != "if" && key != "not") for_each_schema(child, visit);
  } else if (node.is_array()) {
    for (const auto& child : node) for_each_schema(child, visit);
  }
}

const std::vector<std::string> kStems = {"idform", "group", "application",
                                         "conditional_access_policy", "named_location"};

}  // namespace

TEST_CASE("schema errors name the field and what was expected", "[config]") {
  struct Case {
    std::string what, yaml;
    Messages expected;
  };
  const std::string group = "kind: Group\nname: g\n";
  const std::string app = "kind: Application\nname: a\n";
  const std::string policy =
      "kind: ConditionalAccessPolicy\nname: p\nstate: enabled\nusers: {include: [all]}\n"
      "applications: {include: [all]}\n";
  const std::string location = "kind: NamedLocation\nname: l\n";
  const std::vector<Case> cases = {
      {"a document that is not a mapping", "- a\n",
       {"f.yaml:1:1: expected a mapping with kind: and name:, got a list"}},
      {"no kind", "name: x\n", {"f.yaml:1:1: missing required field \"kind\""}},
      {"kind of the wrong type", "kind: [Group]\n", {"f.yaml:1:7: kind: expected a string, got a list"}},
      {"unknown kind without a near miss", "kind: User\n",
       {"f.yaml:1:7: unknown kind \"User\"; expected Group, Application, ConditionalAccessPolicy or "
        "NamedLocation"}},
      {"several unknown fields", group + "descripton: x\nonwers: []\n",
       {"f.yaml:3:1: unknown field \"descripton\" (did you mean \"description\"?)",
        "f.yaml:4:1: unknown field \"onwers\" (did you mean \"owners\"?)"}},
      {"empty value where a list belongs", group + "members:\n",
       {"f.yaml:3:1: members: expected a list, got an empty value"}},
      {"owner that is not an email", group + "owners: [alice]\n",
       {"f.yaml:3:10: owners[0]: expected an email address such as alice@acme.example, or id:<ID> for a user known only by id, got \"alice\""}},
      {"owner listed twice", group + "owners: [a@x.io, a@x.io]\n",
       {"f.yaml:3:18: owners: \"a@x.io\" is listed twice"}},
      {"member entry with both user and group", group + "members:\n  - {user: a@x.io, group: b}\n",
       {"f.yaml:4:5: members[0]: a member entry names either a user or a group, not both"}},
      {"member entry with neither", group + "members:\n  - {reason: x}\n",
       {"f.yaml:4:5: members[0]: a member entry needs \"user\" or \"group\""}},
      {"member entry of the wrong type", group + "members: [42]\n",
       {"f.yaml:3:11: members[0]: expected a string or a mapping, got an integer (42)"}},
      {"misspelt member field", group + "members:\n  - user: a@x.io\n    reson: x\n",
       {"f.yaml:5:5: members[0]: unknown field \"reson\" (did you mean \"reason\"?)"}},
      {"empty name", "kind: Group\nname: \"\"\n", {"f.yaml:2:7: name: must not be empty"}},
      {"sso block that does not match the protocol",
       app + "sso:\n  protocol: saml\n  oidc: {redirect_uris: [\"https://a.example/cb\"]}\n",
       {"f.yaml:4:3: sso: protocol saml needs a \"saml\" block",
        "f.yaml:5:9: sso.oidc: an oidc block needs protocol: oidc"}},
      {"redirect that is not a web URL", app + "sso:\n  protocol: oidc\n  oidc: {redirect_uris: [\"ftp://a.example\"]}\n",
       {"f.yaml:5:26: sso.oidc.redirect_uris[0]: expected an https:// URL, got \"ftp://a.example\""}},
      {"assignment with neither group nor user", app + "assignments:\n  - role: Admin\n",
       {"f.yaml:4:5: assignments[0]: an assignment needs \"group\" or \"user\""}},
      {"policy without state", "kind: ConditionalAccessPolicy\nname: p\nusers: {include: [all]}\n"
                               "applications: {include: [all]}\n",
       {"f.yaml:1:1: missing required field \"state\""}},
      {"policy without conditions", "kind: ConditionalAccessPolicy\nname: p\nstate: enabled\n",
       {"f.yaml:1:1: a policy needs \"users\" and \"applications\" (unless state is absent)"}},
      {"malformed location reference", policy + "locations: {include: [hq]}\n",
       {"f.yaml:6:23: locations.include[0]: expected any, all_trusted or location:NAME, got \"hq\""}},
      {"block combined with another control", policy + "grant: {operator: or, controls: [mfa, block]}\n",
       {"f.yaml:6:33: grant.controls: block cannot be combined with other controls"}},
      {"duration in words", policy + "session: {sign_in_frequency: 8 hours}\n",
       {"f.yaml:6:30: session.sign_in_frequency: expected hours such as 8h, days such as 1d, or "
        "every_time, got \"8 hours\""}},
      {"bad platform", policy + "platforms: {include: [ios, symbian]}\n",
       {"f.yaml:6:28: platforms.include[1]: \"symbian\" is not one of: all, android, ios, windows, "
        "macos, linux, windows_phone"}},
      {"location with both forms", location + "ip_ranges: [10.0.0.0/8]\ncountries: [NO]\n",
       {"f.yaml:1:1: a named location has either ip_ranges or countries, not both"}},
      {"location with neither form", location + "trusted: true\n",
       {"f.yaml:1:1: a named location needs ip_ranges or countries",
        "f.yaml:3:10: trusted: applies to IP-range locations only"}},
      {"empty list of ranges", location + "ip_ranges: []\n",
       {"f.yaml:3:12: ip_ranges: must not be empty"}},
      {"bad CIDR", location + "ip_ranges: [10.0.0.0/33]\n",
       {"f.yaml:3:13: ip_ranges[0]: expected an IPv4 or IPv6 range such as 203.0.113.0/24 or "
        "2001:db8::/32, got \"10.0.0.0/33\""}},
      {"country name instead of code", location + "countries: [Norway]\n",
       {"f.yaml:3:13: countries[0]: expected a two-letter ISO 3166-1 country code such as NO or DE, "
        "got \"Norway\""}},
  };
  for (const Case& c : cases) {
    SECTION(c.what) { CHECK(check(c.yaml) == c.expected); }
  }
}

// Member lists of plain addresses skip valijson (schema_check.cpp); this holds the shortcut to
// the schema's own pattern, as std::regex reads it, and keeps the messages of mixed lists.
TEST_CASE("a member address is refused exactly when the schema's pattern refuses it", "[config]") {
  const std::regex pattern(read_schema("group")["definitions"]["email"]["pattern"].get<std::string>());
  const std::vector<std::string> candidates = {
      "a@x.io", "a@b.c", "user051709@bench.example", "a.b@c.d.e", "a@b..c", "a@.b.c", "not-an-email",
      "@x.io", "a @x.io", "a@x.", "a@.io", "a@b@c.io", "a@b.c\t", "a@bc", "a@b.", "x@y.z.", "\u00e9@\u00e9.fr",
      "a\u00a0b@c.d", "a@b\rc.d", "a@b.c\u2028", "id:00uAbC", "id:", "id:a b", "id:x@y.z"};
  for (const std::string& candidate : candidates) {
    INFO(candidate);
    bool valid = std::regex_search(candidate, pattern);
    // Alone, and after a valid address (so the whole list is not plain).
    const std::string quoted = json(candidate).dump(-1, ' ', true);  // JSON escapes are YAML's
    for (const std::string& list : {"[" + quoted + "]", "[a@x.io, " + quoted + "]"}) {
      auto messages = check("kind: Group\nname: g\nmembers: " + list + "\n");
      CHECK(messages.empty() == valid);
    }
  }
  CHECK(check("kind: Group\nname: g\ndescripton: x\nmembers: [a@x.io, b@y.org]\n") ==
        Messages{"f.yaml:3:1: unknown field \"descripton\" (did you mean \"description\"?)"});
  CHECK(check("kind: Group\nname: g\nmembers: [a@x.io, b@y]\n") ==
        Messages{"f.yaml:3:19: members[1]: expected an email address such as alice@acme.example, or id:<ID> for a user known only by id, got \"b@y\""});
}

TEST_CASE("idform.yaml schema errors", "[config]") {
  struct Case {
    std::string what, yaml;
    Messages expected;
  };
  const std::vector<Case> cases = {
      {"no version", "targets: {}\n", {"f.yaml:1:1: missing required field \"version\""}},
      {"provider name that cannot be a program's", "version: 1\ntargets:\n  x: {provider: AWS cloud}\n",
       {"f.yaml:3:17: targets.x.provider: expected a provider name such as local, entra, okta or ldap "
        "(lower-case letters, digits, - and _), got \"AWS cloud\""}},
      {"auth method of another provider",
       "version: 1\ntargets:\n  x:\n    provider: entra\n    tenant_id: t\n"
       "    auth: {method: api_token, token_env: T}\n",
       {"f.yaml:6:20: targets.x.auth.method: entra targets authenticate with client_secret, "
        "certificate, github_oidc or access_token"}},
      {"private key missing",
       "version: 1\ntargets:\n  x:\n    provider: okta\n    org_url: https://a.okta.com\n"
       "    auth: {method: private_key_jwt, client_id: c}\n",
       {"f.yaml:6:11: targets.x.auth: needs the private key: key_file or key_file_env"}},
      {"secret in the file instead of the environment",
       "version: 1\ntargets:\n  x:\n    provider: entra\n    tenant_id: t\n"
       "    auth: {method: client_secret, secret: hunter2}\n",
       {"f.yaml:6:11: targets.x.auth: missing required field \"secret_env\"",
        "f.yaml:6:35: targets.x.auth: unknown field \"secret\" (did you mean \"secret_env\"?)"}},
      {"negative guard", "version: 1\nguards: {max_deletes: -1}\n",
       {"f.yaml:2:23: guards.max_deletes: must be at least 0, got -1"}},
      {"fractional guard", "version: 1\nguards: {max_member_removals: 2.5}\n",
       {"f.yaml:2:31: guards.max_member_removals: expected a whole number, got a number (2.5)"}},
      {"unknown kind under manage", "version: 1\nmanage: {users: {prune: true}}\n",
       {"f.yaml:2:10: manage: unknown field \"users\""}},
      {"address without a type", "version: 1\nemergency_access: [break-glass]\n",
       {"f.yaml:2:20: emergency_access[0]: expected an object address such as group:break-glass "
        "(group:, app:, policy: or location:), got \"break-glass\""}},
  };
  for (const Case& c : cases) {
    SECTION(c.what) { CHECK(check(c.yaml, true) == c.expected); }
  }
}

TEST_CASE("every schema pattern explains itself and every mapping is closed", "[config]") {
  // The core's schemas, and the settings schemas the built-in providers supply.
  std::vector<std::pair<std::string, json>> documents;
  for (const std::string& stem : kStems) documents.emplace_back(stem, read_schema(stem));
  for (const auto& [provider, schema] : idform::testing::built_in_settings_schemas()) {
    CAPTURE(provider);
    CHECK(schema.value("type", "") == "object");
    CHECK(schema.contains("properties"));  // parsed, not the stand-in of a provider without a file
    documents.emplace_back(provider + " settings", schema);
  }
  for (const auto& [stem, document] : documents) {
    CAPTURE(stem);
    for_each_schema(document, [](const json& schema) {
      // A warning (schema_warnings.hpp) carries its own message.
      bool warning = schema.contains("message");
      if (schema.contains("pattern") && schema["pattern"].is_string()) {
        CAPTURE(schema["pattern"]);
        CHECK((warning || schema.contains("patternErrorMessage")));
      }
      if (schema.value("type", json()) == "object") {
        CAPTURE(schema.dump().substr(0, 120));
        CHECK(schema.value("additionalProperties", json(true)) != json(true));
      }
    });
  }
}

TEST_CASE("the kind schemas declare exactly the field catalogue", "[config]") {
  using idform::model::Kind;
  for (Kind kind : idform::model::kAllKinds) {
    json schema = read_schema(idform::config::schema_stem(kind));
    auto resolve = [&](const json& node) -> const json& {
      if (!node.contains("$ref")) return node;
      return schema.at(json::json_pointer(node["$ref"].get<std::string>().substr(1)));
    };
    std::set<std::string> declared;
    std::function<void(const json&, const std::string&)> walk = [&](const json& node,
                                                                    const std::string& prefix) {
      for (const auto& [name, child] : node.at("properties").items()) {
        const json& field = resolve(child);
        if (field.value("type", json()) == "object" && field.contains("properties"))
          walk(field, prefix + name + ".");
        else
          declared.insert(prefix + name);
      }
    };
    walk(schema, "");
    for (const char* identity : {"kind", "name", "id", "membership"}) declared.erase(identity);
    if (kind != Kind::conditional_access_policy) declared.erase("state");

    std::set<std::string> catalogue;
    for (const auto& field : idform::model::fields_of(kind)) catalogue.emplace(field.path);
    CAPTURE(idform::config::schema_stem(kind));
    CHECK(declared == catalogue);
  }
}
