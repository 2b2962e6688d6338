// YAML → JSON conversion: core-schema typing, source locations, refused constructs.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/config/block_yaml.hpp"
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
      // List items are kept as their list's positions: an item, a mapping item, an index past
      // the end or not written as JSON Pointer writes it (the list's own place), a key below.
      {"/members/1", "groups/x.yaml:5:5", "groups/x.yaml:5:5"},
      {"/members/2", "groups/x.yaml:4:3", "groups/x.yaml:4:3"},
      {"/members/01", "groups/x.yaml:4:3", "groups/x.yaml:4:3"},
      {"/members/-", "groups/x.yaml:4:3", "groups/x.yaml:4:3"},
      {"/members/0/x", "groups/x.yaml:4:5", "groups/x.yaml:4:5"},
      {"/owners/0", "groups/x.yaml:7:10", "groups/x.yaml:7:10"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.pointer);
    CHECK(doc.sources.value_at(JsonPointer(c.pointer)).to_string() == c.value);
    CHECK(doc.sources.key_at(JsonPointer(c.pointer)).to_string() == c.key);
  }
  CHECK(idform::config::display_path(doc.root, JsonPointer("/members/1/expires")) ==
        "members[1].expires");

  // A subtree copied elsewhere keeps its lists' items.
  idform::config::SourceMap moved("groups/x.yaml");
  moved.add_subtree(doc.sources, "/members", "/list");
  CHECK(moved.value_at(JsonPointer("/list/0")).to_string() == "groups/x.yaml:4:5");
  CHECK(moved.value_at(JsonPointer("/list/1/expires")).to_string() == "groups/x.yaml:6:14");
  CHECK_FALSE(moved.value_at(JsonPointer("/owners/0")).line);
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
      // Found by the yaml_loader fuzz target: a duplicate inside a value that is dropped threw.
      {"a: 1\na:\n  b: 1\n  b: 2\n",
       {"f.yaml:2:1: duplicate key \"a\" (first at line 1)", "f.yaml:4:3: duplicate key \"b\""}},
      {"a: 1\na: [{b: 1, b: 2}]\n",
       {"f.yaml:2:1: duplicate key \"a\" (first at line 1)", "f.yaml:2:12: duplicate key \"b\""}},
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

// Plain block YAML is read by a scanner of its own (block_yaml.hpp); whatever it reads must come
// out exactly as yaml-cpp reads it: the same documents, source map and messages.
namespace {

void check_same_as_yaml_cpp(const std::string& text) {
  INFO(text);
  auto fast = parse_yaml(text, "f.yaml");
  auto reference = idform::config::parse_yaml_with_yaml_cpp(text, "f.yaml");
  CHECK(messages(fast) == messages(reference));
  CHECK(fast.complete == reference.complete);
  REQUIRE(fast.documents.size() == reference.documents.size());
  for (std::size_t i = 0; i < fast.documents.size(); ++i) {
    CHECK(fast.documents[i].root == reference.documents[i].root);
    CHECK(fast.documents[i].file == reference.documents[i].file);
    CHECK(fast.documents[i].sources == reference.documents[i].sources);
  }
}

}  // namespace

TEST_CASE("the block YAML scanner reads what it accepts exactly as yaml-cpp does", "[config]") {
  const std::string group =
      "# Generated\n---\nkind: Group\nname: \"bench-security-00001\"\ndescription: \"Benchmark group 1 (security)\"\n"
      "owners:\n  - user057837@bench.example\nmembers:\n  - user057837@bench.example\n  - user058250@bench.example\n"
      "---\nkind: Group\nname: second\n";
  REQUIRE(idform::config::scan_block_yaml(group));
  REQUIRE(idform::config::scan_block_yaml(group)->size() == 2);
  const std::vector<std::string> texts = {
      group,
      "kind: Group\nname: g\n",
      "kind: Group\nname:    spaced   value\nid: 3b8e-1\n",
      "a:\n  b:\n    - x\n    - \"y z\"\n  c: 1\nd: 2.5\ne: true\nf: 0x1F\ng: 2026-12-31\nh: NO\n",
      "a:\n    - x\n\n    # comment\n    - y\nb: z\n",
      "kind: Group\nname: g\nname: h\n",             // duplicate key
      "a: b\n  c: d\n",                              // bad indentation
      "a:\n  - x\n  b: y\n",                         // key after entries at their indentation
      "a:\n- x\n- y\n",                              // an entry at its key's own indentation
      "a:\n",                                        // no value
      "a: null\nb: ~\n",                             // nulls
      "null: x\n",
      "a: x # comment\n",
      "a: \"x\\ty\"\n",                              // escapes
      "a: 'single'\n",
      "a: [x, y]\nb: {c: d}\n",                      // flow collections
      "a: &anchor x\nb: *anchor\n",
      "a: !!str 1\n",
      "a: |\n  text\n",
      "a: plain\n  continued\n",                     // a multi-line plain scalar
      "a:\tx\n",
      "a: x\r\nb: y\r\n",
      "---\n---\na: 1\n",
      "a: 1\n---\n",
      "a: 1\n...\n",
      "- a\n- b\n",                                  // a document that is a list
      "<<: x\n",
      "a: http://x.example:8080/p\nb: x:y\nc: \"\"\n",
      "a: é\n",
      "1: x\ntrue: y\n",
      "a:\n  b:\n  c: d\n",
      "",
      "# only a comment\n",
      "a: " + std::string(5000, 'x') + "\n",
      // One-line flow lists of scalars are read by the scanner; anything else in them is not.
      "roles: [\"User\", \"Admin\"]\nsso:\n  acs_urls: [\"https://a.example/saml/acs\"]\n",
      "a: []\nb: [x]\nc: [browser, mobile_and_desktop]\nd: [10.9.31.0/24, 10.9.41.0/24]\n",
      "a: [1, true, 2.5, 0x1F, \"2\"]\n",
      "a: [http://x.example/a, b]\n",
      "a: [x:y]\nb: [x: y]\n",
      "a: [null, ~]\n",
      "a: [x, ]\n", "a: [ x]\n", "a: [x ,y]\n", "a: [x,y]\n", "a: [x,  y]\n",
      "a: [\"x\"y]\n", "a: [\"x\", \"y]\n", "a: [\"x,y\", z]\n", "a: [\"\"]\n",
      "a: [x]]\n", "a: [[x]]\n", "a: [{b: c}]\n", "a: [x] # c\n", "a: [x\n", "a: [\n  x]\n",
      "a:\n  - [x, y]\n", "a: [\"x\\\"y\"]\n",
      // Lists of mappings, each opening on its entry's line.
      "assignments:\n  - group: \"g1\"\n    role: \"Admin\"\n  - group: g2\nname: x\n",
      "members:\n- user: a@example.com\n  expires: 2026-12-31\n  reason: \"r\"\n- b@example.com\n",
      "a:\n  - b:\n      - x\n    c: [y]\n  - d: 1\n",
      "a:\n  - b:\n      c: d\n",
      "a:\n  - b: 1\n   c: 2\n", "a:\n  - b: 1\n  c: 2\n", "a:\n  - b: 1\n      c: 2\n",
      "a:\n  - b: 1\n    b: 2\n", "a:\n  -  b: 1\n     c: 2\n", "a:\n  - b:c\n", "a:\n  - null: x\n",
      "a:\n  - b:\n  - c\n", "- a: 1\n  b: 2\n",
  };
  for (const std::string& text : texts) check_same_as_yaml_cpp(text);
  // The flow lists and lists of mappings the scanner is meant to read are read by it, not handed
  // to yaml-cpp.
  for (const char* text : {"roles: [\"User\", \"Admin\"]\n", "a: []\nb: [x]\n", "a: [10.9.31.0/24, mfa]\n",
                           "a:\n  - group: \"g1\"\n    role: \"Admin\"\n  - group: g2\n"}) {
    INFO(text);
    CHECK(idform::config::scan_block_yaml(text));
  }
}

TEST_CASE("the block YAML scanner agrees with yaml-cpp on every example file", "[config]") {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(IDFORM_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    check_same_as_yaml_cpp(text.str());
    ++files;
  }
  CHECK(files > 0);
}
