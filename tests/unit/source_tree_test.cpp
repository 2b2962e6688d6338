// Rules of the source tree that no compiler checks: every .cpp file opens with a line saying what
// it is for, and no test names a path outside the repository. Each check is shown failing on
// planted text first, so a check that cannot fail would be noticed.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "support/source_tree.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using idform::testing::opening_line;
using idform::testing::paths_outside_repository;
using idform::testing::read_text;
using idform::testing::tree_files;

namespace {

const fs::path kTreeRoot = IDFORM_SOURCE_DIR;

bool opens_with_purpose(const std::string& text) {
  std::string line = opening_line(text);
  return line.starts_with("// ") && line.size() >= 20;
}

}  // namespace

TEST_CASE("the purpose-line check tells a described file from an undescribed one", "[tree]") {
  CHECK(opens_with_purpose("// Reads the sandbox file and checks its shape.\n#include <x>\n"));
  CHECK(opens_with_purpose("\n\n// Reads the sandbox file and checks its shape.\n"));
  CHECK_FALSE(opens_with_purpose("#include \"x.hpp\"\n// Reads the sandbox file.\n"));
  CHECK_FALSE(opens_with_purpose("// TODO\n"));
  CHECK_FALSE(opens_with_purpose(""));
}

TEST_CASE("every .cpp file opens with a line saying what it is for", "[tree]") {
  auto files = tree_files(kTreeRoot, {"reconciler", "providers", "sim", "tests", "bench"}, {".cpp"});
  REQUIRE(files.size() > 150);
  std::vector<std::string> missing;
  for (const std::string& path : files) {
    std::string text = read_text(kTreeRoot / path);
    if (!opens_with_purpose(text)) missing.push_back(path + ": opens with \"" + opening_line(text) + "\"");
  }
  for (const std::string& path : missing) UNSCOPED_INFO(path);
  CHECK(missing.empty());
}

TEST_CASE("the outside-path check finds each way a test can leave the repository, and says where", "[tree]") {
  struct Row {
    std::string line;
    std::string found;  // the match the finding names; empty when the line is fine
  };
  const std::vector<Row> rows = {
      // Split literals: the planted paths stay whole in the strings, never in this file's text.
      {"auto facts = read_text(\"/" "work/sha" "red/API-FACTS.md\");", "\"/" "work/"},
      {R"(std::ifstream in("/home/alice/tenant.json");)", "\"/home/"},
      {"fs::path dir = IDFORM_SOURCE_DIR \"/." "./sha" "red\";", "IDFORM_SOURCE_DIR \"/." "."},
      {R"(auto up = fs::path(IDFORM_SOURCE_DIR) / ".." / "other";)", "/ \"..\""},
      {R"(auto up = fs::path(IDFORM_SOURCE_DIR).parent_path();)", "IDFORM_SOURCE_DIR).parent_path()"},
      {R"(read_text("../examples/acme/idform.yaml");)", "\"../"},
      {"# see .." "/sha" "red/vendor-examples", ".." "/sha" "red"},
      {R"(auto ok = fs::path(IDFORM_SOURCE_DIR) / "tests" / "fixtures";)", ""},
      {R"(auto ok = read_text(kSource / "examples/acme/idform.yaml");)", ""},
      {R"(TempDir temp; temp.write("a/../b.yaml", "x");)", ""},
  };
  for (const Row& row : rows) {
    auto found = paths_outside_repository("tests/unit/planted_test.cpp", "// first line\n" + row.line + "\n");
    INFO(row.line);
    if (row.found.empty()) {
      CHECK(found.empty());
    } else {
      REQUIRE(found.size() == 1);
      CHECK(found[0] == "tests/unit/planted_test.cpp:2: names a path outside the repository: " + row.found);
    }
  }
}

TEST_CASE("no test names a path outside the repository", "[tree]") {
  // The tests, their helpers and scripts, idp-sim's tests and the benchmarks; this file and the
  // checker hold the patterns themselves.
  auto files = tree_files(kTreeRoot, {"tests", "sim/tests", "bench"},
                          {".cpp", ".hpp", ".sh", ".py", ".cmake", "CMakeLists.txt"});
  REQUIRE(files.size() > 100);
  std::vector<std::string> found;
  for (const std::string& path : files) {
    if (path == "tests/unit/source_tree_test.cpp" || path == "tests/support/source_tree.hpp") continue;
    for (std::string& finding : paths_outside_repository(path, read_text(kTreeRoot / path)))
      found.push_back(std::move(finding));
  }
  for (const std::string& finding : found) UNSCOPED_INFO(finding);
  CHECK(found.empty());
}

TEST_CASE("the message-text check finds decisions made on an error's text, and says where", "[tree][errors]") {
  struct Row {
    std::string line;
    bool found;
  };
  const std::vector<Row> rows = {
      {R"(bool throttled = last_problem.find("HTTP 429") != std::string::npos;)", true},
      {R"(if (error.summary.starts_with("authentication failed")) return true;)", true},
      {R"(if (result.error().detail.find("timed out") != npos) retry();)", true},
      {R"(catch (const std::exception& e) { if (std::string(e.what()).find("parse") == 0) {} })", true},
      {R"(std::string shown = detail.substr(0, detail.find(": "));)", false},
      {R"(if (error.summary == "not found") return {};)", true},
      {R"(bool throttled = error.category == ErrorCategory::throttled;)", false},
      {R"(return fail("HTTP 429 from " + path);)", false},
      {R"(if (response.status == 404) return true;)", false},
  };
  for (const Row& row : rows) {
    INFO(row.line);
    auto found = idform::testing::message_text_decisions("providers/x/planted.cpp", row.line + "\n");
    CHECK(found.size() == (row.found ? 1u : 0u));
    if (!found.empty()) CHECK(found[0].starts_with("providers/x/planted.cpp:1: decides by an error's message text: "));
  }
}

TEST_CASE("no code in reconciler/ or providers/ decides by an error's message text", "[tree][errors]") {
  auto files = tree_files(kTreeRoot, {"reconciler", "providers"}, {".cpp", ".hpp"});
  REQUIRE(files.size() > 100);
  std::vector<std::string> found;
  for (const std::string& path : files)
    for (std::string& finding : idform::testing::message_text_decisions(path, read_text(kTreeRoot / path)))
      found.push_back(std::move(finding));
  for (const std::string& finding : found) UNSCOPED_INFO(finding);
  CHECK(found.empty());
}
