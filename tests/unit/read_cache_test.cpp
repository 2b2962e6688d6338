// The snapshot cache of incremental reads (reconciler/provider/read_cache.hpp): what is written
// comes back only for the same provider, state version and target, intact and young enough;
// every other case is a reason, never a crash. The file is the owner's only, and ignored by git.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "reconciler/provider/read_cache.hpp"
#include "reconciler/util/date.hpp"
#include "support/temp_dir.hpp"

using idform::provider::CacheKey;
using idform::provider::cache_file;
using idform::provider::load_cache;
using idform::provider::parse_age;
using idform::provider::save_cache;

namespace {

const CacheKey kKey{"entra", "entra-state-1", "https://graph.example/v1.0 tenant 1"};
const nlohmann::json kState = {{"groups", {{{"id", "g1"}, {"displayName", "sales"}}}}, {"cursor", "abc"}};
constexpr std::chrono::seconds kWeek{7 * 24 * 3600};

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("read cache: a saved state comes back for the same provider, version and target", "[read_cache]") {
  idform::testing::TempDir dir;
  std::string file = cache_file((dir.path() / ".idform" / "cache").string(), "entra prod/1");
  CHECK(file.ends_with("entra_prod_1.json"));
  auto now = std::chrono::system_clock::now();
  REQUIRE(save_cache(file, kKey, kState, now));

  auto lookup = load_cache(file, kKey, kWeek, now + std::chrono::hours(1));
  REQUIRE(lookup.state);
  CHECK(*lookup.state == kState);
  CHECK(lookup.reason.empty());

  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(slurp((dir.path() / ".idform" / "cache" / ".gitignore").string()).find("*") != std::string::npos);
}

TEST_CASE("read cache: every unusable cache is a stated reason", "[read_cache]") {
  idform::testing::TempDir dir;
  std::string file = cache_file(dir.str(), "t");
  auto now = std::chrono::system_clock::now();

  auto none = load_cache(file, kKey, kWeek, now);
  CHECK_FALSE(none.state);
  CHECK_THAT(none.reason, Catch::Contains("no cache at"));

  REQUIRE(save_cache(file, kKey, kState, now));
  struct Case {
    const char* name;
    CacheKey key;
    std::chrono::system_clock::time_point when;
    const char* reason;
  };
  const Case cases[] = {
      {"other version", {"entra", "entra-state-0", kKey.target_identity}, now, "version entra-state-1, this is entra version entra-state-0"},
      {"other provider", {"okta", "entra-state-1", kKey.target_identity}, now, "written by provider entra"},
      {"other target", {"entra", "entra-state-1", "https://graph.example/v1.0 tenant 2"}, now, "of another target"},
      {"too old", kKey, now + std::chrono::hours(24 * 8), "8 days old, more than --max-cache-age 7 days"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      auto lookup = load_cache(file, c.key, kWeek, c.when);
      CHECK_FALSE(lookup.state);
      CHECK_THAT(lookup.reason, Catch::Contains(c.reason));
    }
  }
  SECTION("edited state fails the checksum") {
    std::string text = slurp(file);
    text.replace(text.find("sales"), 5, "SALES");
    std::ofstream(file) << text;
    CHECK_THAT(load_cache(file, kKey, kWeek, now).reason, Catch::Contains("fails its checksum"));
  }
  SECTION("a cache of the first format, one JSON document") {
    std::ofstream(file, std::ios::trunc)
        << nlohmann::json({{"format", 1}, {"provider", "entra"}, {"state", kState}}).dump();
    CHECK_THAT(load_cache(file, kKey, kWeek, now).reason, Catch::Contains("has another format"));
  }
  SECTION("the header without its state") {
    std::string text = slurp(file);
    std::ofstream(file, std::ios::trunc) << text.substr(0, text.find('\n'));
    CHECK_THAT(load_cache(file, kKey, kWeek, now).reason, Catch::Contains("truncated"));
    std::ofstream(file, std::ios::trunc) << text.substr(0, text.size() - 3);
    CHECK_THAT(load_cache(file, kKey, kWeek, now).reason, Catch::Contains("fails its checksum"));
  }
  SECTION("garbage") {
    for (const char* garbage : {"", "{", "[1,2]", "{\"state\": 1, \"format\": \"x\"}", "\x01\x02\xff"}) {
      std::ofstream(file, std::ios::binary | std::ios::trunc) << garbage;
      auto lookup = load_cache(file, kKey, kWeek, now);
      CHECK_FALSE(lookup.state);
      CHECK_FALSE(lookup.reason.empty());
    }
  }
}

TEST_CASE("read cache: ages", "[read_cache]") {
  CHECK(parse_age("7d") == std::chrono::seconds(7 * 86400));
  CHECK(parse_age("12h") == std::chrono::seconds(12 * 3600));
  CHECK(parse_age("30m") == std::chrono::seconds(1800));
  CHECK(parse_age("0") == std::chrono::seconds(0));
  CHECK(parse_age("45s") == std::chrono::seconds(45));
  for (const char* bad : {"", "d", "-1d", "7w", "1.5h", "99999999d"}) CHECK_FALSE(parse_age(bad));
}

TEST_CASE("cache and feed timestamps are whole UTC seconds, read back exactly and nothing looser", "[incremental]") {
  using idform::util::format_utc_seconds;
  using idform::util::parse_utc_seconds;
  auto when = std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} + std::chrono::hours(16) +
              std::chrono::minutes(47) + std::chrono::seconds(11);
  CHECK(format_utc_seconds(when) == "2026-12-07T16:47:11Z");
  auto back = parse_utc_seconds("2026-12-07T16:47:11Z");
  REQUIRE(back);
  CHECK(*back == when);
  for (const char* loose : {"2026-12-07T16:47:11", "2026-12-07T16:47:11+01:00", "2026-12-07T16:47:11Zjunk",
                            "2026-12-07 16:47:11Z", "", "yesterday"}) {
    INFO(loose);
    CHECK_FALSE(parse_utc_seconds(loose));
  }
}

TEST_CASE("read cache: a state's cursors are in the header, handed out only once the header checks out",
          "[read_cache]") {
  idform::testing::TempDir dir;
  std::string file = cache_file(dir.str(), "t");
  auto now = std::chrono::system_clock::now();
  const nlohmann::json cursors = {{"groups", "https://graph.example/v1.0/groups/delta?$deltatoken=x"}};
  nlohmann::json state = kState;
  state["cursors"] = cursors;
  REQUIRE(save_cache(file, kKey, state, now));
  std::string text = slurp(file);
  nlohmann::json header = nlohmann::json::parse(text.substr(0, text.find('\n')));
  CHECK(header["cursors"] == cursors);

  std::vector<nlohmann::json> handed;
  auto collect = [&handed](const nlohmann::json& found) { handed.push_back(found); };
  auto lookup = load_cache(file, kKey, kWeek, now, collect);
  REQUIRE(lookup.state);
  REQUIRE(handed.size() == 1);
  CHECK(handed[0] == cursors);

  // Another target, or too old: no cursors, whatever the header holds.
  handed.clear();
  CHECK_FALSE(load_cache(file, {kKey.provider, kKey.state_version, "elsewhere"}, kWeek, now, collect).state);
  CHECK_FALSE(load_cache(file, kKey, kWeek, now + 2 * kWeek, collect).state);
  CHECK(handed.empty());

  // A state without cursors writes none.
  REQUIRE(save_cache(file, kKey, kState, now));
  text = slurp(file);
  CHECK_FALSE(nlohmann::json::parse(text.substr(0, text.find('\n'))).contains("cursors"));
  CHECK(load_cache(file, kKey, kWeek, now, collect).state);
  CHECK(handed.empty());
}
