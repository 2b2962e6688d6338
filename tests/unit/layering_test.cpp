// The layers are enforced: every #include in reconciler/, providers/ and sim/ points the way
// reconciler/layers.txt allows, the check itself fails on deliberately wrong includes, and
// ARCHITECTURE.md shows the same table.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "support/layering.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace idform::testing::layering;
using idform::testing::read_text;

namespace {

const fs::path kLayeringSource = IDFORM_SOURCE_DIR;

Table repository_layers() { return parse_table(read_text(kLayeringSource / "reconciler/layers.txt")); }

}  // namespace

TEST_CASE("every include in the engine, the providers and idp-sim points the way the layer table allows",
          "[layers]") {
  Table table = repository_layers();
  std::vector<std::string> violations;
  int checked = 0;
  for (const char* top : {"reconciler", "providers", "sim"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kLayeringSource / top)) {
      std::string extension = entry.path().extension().string();
      if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".hpp" && extension != ".h")) continue;
      std::string path = fs::relative(entry.path(), kLayeringSource).generic_string();
      auto found = check_file(table, path, read_text(entry.path()));
      violations.insert(violations.end(), found.begin(), found.end());
      ++checked;
    }
  }
  for (const std::string& violation : violations) UNSCOPED_INFO(violation);
  CHECK(violations.empty());
  CHECK(checked > 200);
}

TEST_CASE("the layer check fails on an include that crosses a layer the wrong way", "[layers]") {
  Table table = repository_layers();
  struct Row {
    std::string file;
    std::string include;
    std::string expected;  // empty: allowed
  };
  const std::vector<Row> rows = {
      {"reconciler/render/text.cpp", "reconciler/cli/cli.hpp", "layer render may not include"},
      {"reconciler/util/strings.cpp", "reconciler/model/kind.hpp", "layer util may not include"},
      {"reconciler/plan/differ.cpp", "providers/local/local_provider.hpp", "layer plan may not include"},
      {"reconciler/cli/cli.cpp", "reconciler/http/client.hpp", "layer cli may not include"},
      {"providers/okta/okta_provider.cpp", "providers/entra/graph_client.hpp", "layer providers may not include"},
      {"sim/core/server.cpp", "reconciler/util/result.hpp", "layer sim may not include"},
      {"reconciler/plan/differ.cpp", "reconciler/nowhere/thing.hpp", "in no layer of the table"},
      {"reconciler/render/text.cpp", "reconciler/plan/plan.hpp", ""},
      {"reconciler/render/text.cpp", "reconciler/render/printable.hpp", ""},
      {"providers/okta/okta_provider.cpp", "providers/common/jose.hpp", ""},
      {"providers/okta/okta_provider.cpp", "reconciler/http/client.hpp", ""},
      {"reconciler/main/main.cpp", "providers/entra/entra_provider.hpp", ""},
      {"sim/core/server.cpp", "core/clock.hpp", ""},
  };
  for (const Row& row : rows) {
    INFO(row.file << " includes " << row.include);
    std::string text = "// purpose\n\n#include <string>\n#include \"" + row.include + "\"\n";
    auto violations = check_file(table, row.file, text);
    if (row.expected.empty()) {
      CHECK(violations.empty());
    } else {
      REQUIRE(violations.size() == 1);
      CHECK_THAT(violations[0], Catch::Contains(row.file + ":4: includes " + row.include) &&
                                    Catch::Contains(row.expected));
    }
  }
}

TEST_CASE("the layer table names only layers above each row, so it has no cycles", "[layers]") {
  CHECK_NOTHROW(parse_table("util reconciler/util\nmodel reconciler/model util\n"));
  CHECK_THROWS_WITH(parse_table("util reconciler/util model\nmodel reconciler/model util\n"),
                    Catch::Contains("util names model, which is not a layer on an earlier row"));
  CHECK_THROWS_WITH(parse_table("util\n"), Catch::Contains("no folder for util"));
}

TEST_CASE("ARCHITECTURE.md shows the layer table as reconciler/layers.txt states it", "[layers]") {
  std::string expected = render_markdown(repository_layers());
  INFO("ARCHITECTURE.md should contain:\n" << expected);
  CHECK_THAT(read_text(kLayeringSource / "ARCHITECTURE.md"), Catch::Contains(expected));
}
