// YAML → JSON conversion: core-schema typing, source locations, refused constructs.

#include <catch2/catch.hpp>

#include "reconciler/config/yaml_document.hpp"

using idform::config::JsonPointer;
using idform::config::parse_yaml;
using nlohmann::json;

namespace {

std::vector<std::string> messages(const idform::config::YamlFile& file) {
  std::vector<std::string> out;
  for (const auto& error : file.diagnostics) out.push_back(error.to_string());
  return out;
}

}  // namespace

TEST_CASE("scalars are typed by the YAML 1.2 core schema", "[config]") {
  struct Case {
    std::string yaml;
    json expected;
  };
  const std::vector<Case> cases = {
      {"v: true", true},
      {"v: False", false},
      {"v: yes", "yes"},  // YAML 1.1 booleans stay strings
      {"v: NO", "NO"},    // ...which keeps the country code for Norway
      {"v: 42", 42},
      {"v: -7", -7},
      {"v: 0x1F", 31},
      {"v: 0o17", 15},
      {"v: 1.5", 1.5},
      {"v: 1e3", 1000.0},
      {"v: ~", nullptr},
      {"v: null", nullptr},
      {"v:", nullptr},
      {"v: '42'", "42"},
      {"v: \"true\"", "true"},
      {"v: !!str 42", "42"},
      {"v: 2026-12-31", "2026-12-31"},
      {"v: 8h", "8h"},
      {"v: 203.0.113.0/24", "203.0.113.0/24"},
      {"v: 99999999999999999999", 1e20},
  };
  for (const Case& c : cases) {
    CAPTURE(c.yaml);
    auto file = parse_yaml(c.yaml + "\n", "t.yaml");
    REQUIRE(file.diagnostics.empty());
    REQUIRE(file.documents.size() == 1);
    CHECK(file.documents[0].root["v"] == c.expected);
  }
}

TEST_CASE("every node records where its value and key are", "[config]") {
  const std::string text =
      "# a comment\n"
      "kind: Group\n"
      "members:\n"
      "  - alice@acme.example\n"
      "  - user: bob@acme.example\n"
      "    expires: 2026-12-31\n"
      "owners: [a@acme.example, b@acme.example]\n"
      "description:\n";
  auto file = parse_yaml(text, "groups/x.yaml");
  REQUIRE(file.diagnostics.empty());
  const auto& doc = file.documents.at(0);
  struct Case {
    std::string pointer, value, key;
  };
  const std::vector<Case> cases = {
      {"", "groups/x.yaml:2:1", "groups/x.yaml:2:1"},
      {"/kind", "groups/x.yaml:2:7", "groups/x.yaml:2:1"},
      {"/members", "groups/x.yaml:4:3", "groups/x.yaml:3:1"},
      {"/members/0", "groups/x.yaml:4:5", "groups/x.yaml:4:5"},
      {"/members/1/expires", "groups/x.yaml:6:14", "groups/x.yaml:6:5"},
      {"/owners/1", "groups/x.yaml:7:26", "groups/x.yaml:7:26"},
      {"/description", "groups/x.yaml:8:1", "groups/x.yaml:8:1"},  // empty value: at its key
  };
  for (const Case& c : cases) {
    CAPTURE(c.pointer);
    CHECK(doc.sources.value_at(JsonPointer(c.pointer)).to_string() == c.value);
    CHECK(doc.sources.key_at(JsonPointer(c.pointer)).to_string() == c.key);
  }
  CHECK(idform::config::display_path(doc.root, JsonPointer("/members/1/expires")) ==
        "members[1].expires");
}

TEST_CASE("documents are split on --- and empty ones skipped", "[config]") {
  auto file = parse_yaml("---\n---\na: 1\n---\n# only a comment\n---\nb: 2\n", "m.yaml");
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 2);
  CHECK(file.documents[0].root == json{{"a", 1}});
  CHECK(file.documents[1].root == json{{"b", 2}});
  CHECK(file.documents[1].start().to_string() == "m.yaml:7:1");
}

TEST_CASE("malformed and refused YAML is reported at its line and column", "[config]") {
  struct Case {
    std::string yaml;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"kind: Group\nname: [a, b\n", {"f.yaml:3:1: YAML syntax error: end of sequence flow not found"}},
      {"a: b: c\n", {"f.yaml:1:5: YAML syntax error: illegal map value"}},
      {"a: \"x\\q\"\n", {"f.yaml:1:8: YAML syntax error: unknown escape character: q"}},
      {"a: 1\nb: 2\na: 3\n", {"f.yaml:3:1: duplicate key \"a\" (first at line 1)"}},
      {"a: &x [1]\nb: *x\n", {"f.yaml:2:4: aliases (*name) are not supported: write the value out"}},
      {"? [a]\n: 1\n", {"f.yaml:1:3: mapping keys must be text, not a list or mapping"}},
      {"a: 1\n<<: {b: 2}\n", {"f.yaml:2:1: merge keys (<<) are not supported: write the fields out"}},
      {"1: a\n", {"f.yaml:1:1: mapping keys must be text; quote 1 if it is meant as one"}},
      {"a: !!int 3\n", {"f.yaml:1:4: YAML tag \"tag:yaml.org,2002:int\" is not supported (only !!str is)"}},
      {"a: " + std::string(5000, 'x') + "\n",
       {"f.yaml:1:4: value is 5000 characters long; the limit is 4096"}},
      {"a: \"\xff\"\n", {"f.yaml:1:4: value is not valid UTF-8 text"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.yaml.substr(0, 40));
    auto file = parse_yaml(c.yaml, "f.yaml");
    CHECK(messages(file) == c.expected);
    CHECK(file.documents.empty());
  }
}

TEST_CASE("a refused construct drops only its own document", "[config]") {
  auto file = parse_yaml("a: 1\na: 2\n---\nb: 1\n", "f.yaml");
  CHECK(file.complete);
  CHECK(file.diagnostics.size() == 1);
  REQUIRE(file.documents.size() == 1);
  CHECK(file.documents[0].root == json{{"b", 1}});
}

TEST_CASE("deep nesting is refused without exhausting the stack", "[config]") {
  auto file = parse_yaml("a: " + std::string(100000, '[') + "\n", "deep.yaml");
  CHECK_FALSE(file.complete);
  CHECK(file.diagnostics.size() == 1);
}
