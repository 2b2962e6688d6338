// The schemas built into the program are exactly schemas/*.json (the build regenerates them when
// a schema changes), so an installed idform validates as the source tree says; so are the built-in
// providers' settings schemas (providers/NAME/settings.schema.json).

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "providers/common/settings_schema.hpp"
#include "reconciler/config/embedded_schemas.hpp"

namespace fs = std::filesystem;

TEST_CASE("every schemas/*.json is built into the program byte for byte", "[unit][schemas]") {
  std::set<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(fs::path(IDFORM_SOURCE_DIR) / "schemas")) {
    if (entry.path().extension() != ".json") continue;
    std::string name = entry.path().filename().string();
    on_disk.insert(name);
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    INFO(name);
    CHECK(idform::config::embedded_schema(name) == content.str());
  }
  std::set<std::string> built_in;
  for (const auto& file : idform::config::embedded_schemas()) built_in.insert(std::string(file.name));
  CHECK(built_in == on_disk);
  CHECK(idform::config::embedded_schema("no-such.schema.json").empty());
}

TEST_CASE("every built-in provider's settings.schema.json is built into the program byte for byte", "[unit][schemas]") {
  int found = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(IDFORM_SOURCE_DIR) / "providers")) {
    const std::string provider = entry.path().filename().string();
    INFO(provider);
    fs::path file = entry.path() / "settings.schema.json";
    if (!fs::exists(file)) {
      CHECK(idform::providers::settings_schema_text(provider).empty());
      continue;
    }
    ++found;
    std::ifstream in(file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    CHECK(idform::providers::settings_schema_text(provider) == content.str());
    CHECK(idform::providers::settings_schema(provider).contains("properties"));
  }
  CHECK(found == 3);  // local, entra, okta
}
