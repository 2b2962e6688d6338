// What the config accepts because the identity providers accept it: users known only by id,
// applications from outside the tenant, and values that draw a warning (with file:line:col)
// instead of an error.

#include <catch2/catch.hpp>

#include "fixtures/config/temp_config.hpp"
#include "reconciler/model/normalize.hpp"
#include "reconciler/model/reference_forms.hpp"

using idform::testing::TempConfig;

namespace {

std::vector<std::string> warnings_of(const TempConfig& config) {
  std::vector<std::string> out;
  const std::string prefix = config.dir().string() + "/";
  for (const idform::Error& warning : config.load().warnings) {
    std::string text = warning.to_string();
    if (text.starts_with(prefix)) text.erase(0, prefix.size());
    out.push_back(text.substr(0, text.find('\n')));
  }
  return out;
}

}  // namespace

TEST_CASE("users known only by id are valid wherever a user is named", "[config][import]") {
  TempConfig config;
  config.write("groups/g.yaml",
               "kind: Group\nname: g\nowners: [id:00uAbC123]\nmembers:\n  - id:6e7b1a4c-9f0d-4c1e-8d2b-3a5f7e9c1b20\n"
               "  - user: id:00uXyZ\n    expires: 2030-01-01\n");
  config.write("apps/a.yaml", "kind: Application\nname: a\nassignments:\n  - user: id:00uAbC123\n");
  config.write("policies/p.yaml",
               "kind: ConditionalAccessPolicy\nname: p\nstate: enabled\n"
               "users: {include: [all], exclude: [\"user:id:00uAbC123\", \"group:g\"]}\n"
               "applications: {include: [\"app:microsoft:Exchange Online\", \"app:appid:3fa1a7b2-0c5e-4d1a-9b7e-5a1e0f2d9c44\","
               " \"app:okta:saasure\"]}\n");
  CHECK(config.messages().empty());
  auto loaded = config.load();
  REQUIRE(loaded.ok());
  // Ids keep their case (Okta's ids are case-sensitive); addresses do not.
  for (const auto& resource : loaded.config.desired.resources) {
    if (resource.name == "g") {
      CHECK(resource.spec["owners"] == nlohmann::json::array({"id:00uAbC123"}));
      CHECK(resource.spec["members"].dump().find("user:id:00uXyZ") != std::string::npos);
    }
  }
  CHECK(idform::model::normalize_element(idform::model::FieldType::reference_set, "user:id:00uAbC") == "user:id:00uAbC");
  CHECK(idform::model::normalize_element(idform::model::FieldType::reference_set, "user:Alice@Acme.example") ==
        "user:alice@acme.example");
}

TEST_CASE("an application that is not declared is still an error unless it is tenant-external", "[config][import]") {
  TempConfig config;
  config.write("policies/p.yaml",
               "kind: ConditionalAccessPolicy\nname: p\nstate: enabled\nusers: {include: [all]}\n"
               "applications: {include: [\"app:Exchange Online\"]}\n");
  auto messages = config.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].find("policies/p.yaml:5:") == 0);
  CHECK(messages[0].find("unknown application \"Exchange Online\"") != std::string::npos);
  idform::model::Reference external{"app", "microsoft:Exchange Online"};
  CHECK(idform::model::is_external_app(external));
  CHECK_FALSE(idform::model::is_external_app({"app", "Exchange Online"}));
  CHECK_FALSE(idform::model::is_external_app({"group", "appid:x"}));
}

TEST_CASE("values the identity provider accepts are valid with a warning at their file, line and column",
          "[config][import]") {
  TempConfig config;
  config.write("apps/legacy.yaml",
               "kind: Application\nname: \"legacy \"\nsso:\n  protocol: saml\n  saml:\n    entity_id: asdqwe123\n"
               "    acs_urls: [\"http://hr.example/acs\", \"http://localhost:8080/acs\", \"https://hr.example/acs\"]\n");
  config.write("apps/empty.yaml", "kind: Application\nname: empty\nsso:\n  protocol: saml\n  saml:\n    entity_id: \"\"\n");
  config.write("groups/long.yaml", "kind: Group\nname: " + std::string(257, 'x') + "\n");
  config.write("groups/ok.yaml", "kind: Group\nname: " + std::string(256, 'y') + "\ndescription: \"\"\n");
  CHECK(config.messages().empty());
  auto warnings = warnings_of(config);
  std::string all;
  for (const std::string& warning : warnings) all += warning + "\n";
  INFO(all);
  CHECK(warnings.size() == 5);
  CHECK(all.find("apps/legacy.yaml:2:7: a name with leading or trailing spaces") != std::string::npos);
  CHECK(all.find("apps/legacy.yaml:6:16: a SAML entity id is usually a URL or URN") != std::string::npos);
  CHECK(all.find("apps/legacy.yaml:7:16: not an https:// URL") != std::string::npos);
  CHECK(all.find("apps/empty.yaml:6:16: a SAML entity id") != std::string::npos);
  CHECK(all.find("groups/long.yaml:2:7: a name longer than 256 characters") != std::string::npos);
  CHECK(all.find("groups/ok.yaml") == std::string::npos);
}

TEST_CASE("what the identity providers refuse stays an error", "[config][import]") {
  TempConfig config;
  config.write("apps/a.yaml",
               "kind: Application\nname: a\nsso:\n  protocol: saml\n  saml:\n    entity_id: x\n    acs_urls: [\"ftp://x.example\"]\n");
  config.write("groups/g.yaml", "kind: Group\nname: \"\"\nmembers: [\"id:\"]\n");
  auto messages = config.messages();
  std::string all;
  for (const std::string& message : messages) all += message + "\n";
  INFO(all);
  CHECK(all.find("apps/a.yaml:7:") != std::string::npos);
  CHECK(all.find("groups/g.yaml:2:") != std::string::npos);
  CHECK(all.find("groups/g.yaml:3:") != std::string::npos);
}

TEST_CASE("a reference by id to an object no document declares is valid with a warning", "[config][import]") {
  TempConfig config;
  config.write("policies/p.yaml",
               "kind: ConditionalAccessPolicy\nname: p\nstate: enabled\n"
               "users: {include: [all], exclude: [\"group:id:ba8e7ded\"]}\napplications: {include: [all]}\n");
  CHECK(config.messages().empty());
  auto warnings = warnings_of(config);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("policies/p.yaml:4:") == 0);
  CHECK(warnings[0].find("group \"id:ba8e7ded\" is not declared in this repository") != std::string::npos);
  // By name it is still an error: a typo must not pass.
  config.write("policies/p.yaml",
               "kind: ConditionalAccessPolicy\nname: p\nstate: enabled\n"
               "users: {include: [all], exclude: [\"group:ba8e7ded\"]}\napplications: {include: [all]}\n");
  CHECK(config.messages().size() == 1);
}
