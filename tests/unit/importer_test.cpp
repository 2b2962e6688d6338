// The importer's file names and the YAML it writes back, without a server.
#include <catch2/catch.hpp>

#include "reconciler/importer/importer.hpp"
#include "reconciler/importer/yaml_writer.hpp"

using idform::importer::safe_file_name;

TEST_CASE("file names are safe on every filesystem", "[import]") {
  struct Row {
    std::string name;
    std::string file;
  };
  Row rows[] = {
      {"payments-admins", "payments-admins"},
      {"CA-001 Require MFA for all users", "ca-001-require-mfa-for-all-users"},
      {"Sales / EMEA: Team #2", "sales-emea-team-2"},
      {"..hidden", "hidden"},
      {"  ", "unnamed"},
      {"Ünïcödé", "n-c-d"},
      {"con?*|<>\"", "con-"},
      {"..", "unnamed"},
      {"a/../../etc/passwd", "a-..-..-etc-passwd"},
      {std::string("a\0b/c", 5), "a-b-c"},
      {"nul", "nul-"},
      {"LPT1.txt", "lpt1.txt-"},
      {"Rocket 🚀 team", "rocket-team"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    CHECK(safe_file_name(row.name) == row.file);
  }
  CHECK(safe_file_name(std::string(200, 'a')).size() == 80);
}

TEST_CASE("a resource is written back in the config language", "[import]") {
  idform::model::Resource group;
  group.kind = idform::model::Kind::group;
  group.name = "payments-admins";
  group.id = "g-1";
  group.spec = {{"description", "true"},
                {"owners", {"alice@acme.example"}},
                {"members", {"user:bob@acme.example", "group:payments-oncall"}}};
  std::string yaml = idform::importer::to_yaml(group, nullptr);
  CHECK(yaml ==
        "kind: Group\n"
        "name: payments-admins\n"
        "id: g-1\n"
        "description: \"true\"\n"
        "owners: [alice@acme.example]\n"
        "members:\n"
        "  - group: payments-oncall\n"
        "  - bob@acme.example\n");
  // A field equal to the provider's default is left out.
  std::string without = idform::importer::to_yaml(group, {{"description", "true"}});
  CHECK(without.find("description") == std::string::npos);
}
