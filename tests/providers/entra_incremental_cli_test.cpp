// `idform plan` reading incrementally, through the binary against idp-sim (Graph flavor): the
// first plan reads in full and writes the cache (owner-only, no secret); a change made in the
// tenant behind idform's back ("portal drift") is in the next, incremental plan exactly as a full
// read shows it; and every reason to read in full — no cache, too old, corrupted, another
// provider version, a refused delta link — is taken and said on stderr, never a wrong plan.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "providers/entra_testbed.hpp"
#include "support/process.hpp"

using namespace idform::testing::entra;
using nlohmann::json;

namespace {

std::string cache_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CliTenant {
  Testbed bed;
  std::filesystem::path cache() const { return bed.config_dir() / ".idform" / "cache" / "entra.json"; }

  idform::testing::ProcessResult idform(std::vector<std::string> args) {
    args.insert(args.begin(), IDFORM_BINARY);
    args.insert(args.end(), {"--config", bed.config_dir().string(), "--no-color"});
    return idform::testing::run_process(args, {{"IDFORM_TEST_ENTRA_SECRET", kSimSecret}, {"IDFORM_TODAY", "2026-11-29"}});
  }

  // The cache file is a header line, then the state (docs/incremental.md).
  std::pair<json, json> cache_document() const {
    std::string text = cache_text(cache());
    size_t newline = text.find('\n');
    return {json::parse(text.substr(0, newline)), json::parse(text.substr(newline + 1))};
  }
  void write_cache(const json& header, const json& state) const {
    std::ofstream(cache(), std::ios::trunc) << header.dump() << "\n" << state.dump();
  }
};

}  // namespace

TEST_CASE("idform plan reads incrementally: portal drift seen as a full read sees it, each fallback says why",
          "[entra][incremental][cli]") {
  CliTenant tenant;
  Testbed& bed = tenant.bed;
  bed.load({{"groups/team.yaml", "kind: Group\nname: inc-cli\nmembers: [alice@acme.example]\n"}});
  auto applied = tenant.idform({"apply", "--auto-approve"});
  REQUIRE(applied.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(tenant.cache()));  // apply always reads in full, writes no cache

  auto first = tenant.idform({"plan", "--detailed-exitcode"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.err, Catch::Contains("read target \"entra\" in full: no cache at"));
  REQUIRE(std::filesystem::exists(tenant.cache()));
  struct stat info {};
  REQUIRE(::stat(tenant.cache().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  std::string cached = cache_text(tenant.cache());
  CHECK(cached.find(kSimSecret) == std::string::npos);
  CHECK(cached.find("access_token") == std::string::npos);
  CHECK(cached.find("entra-state-4") != std::string::npos);

  // Portal drift: bob added to the group through Graph, not through idform.
  auto& graph = bed.provider->graph();
  auto groups = graph.list("/groups?$filter=" + idform::http::url_encode("displayName eq 'inc-cli'"));
  REQUIRE(groups);
  REQUIRE(groups->size() == 1);
  std::string group = (*groups)[0]["id"];
  auto added = graph.call("POST", "/groups/" + group + "/members/$ref",
                          {{"@odata.id", graph.settings().graph_endpoint + "/directoryObjects/11111111-0000-4000-8000-000000000002"}});
  REQUIRE(added);
  REQUIRE(added->status == 204);

  auto incremental = tenant.idform({"plan", "--detailed-exitcode"});
  INFO(incremental.err);
  CHECK(incremental.exit_code == 2);
  CHECK_THAT(incremental.err, Catch::Contains("read target \"entra\" incrementally"));
  CHECK_THAT(incremental.out, Catch::Contains("bob@acme.example"));
  auto full = tenant.idform({"plan", "--detailed-exitcode", "--refresh=full"});
  CHECK(full.exit_code == 2);
  CHECK_THAT(full.err, Catch::Contains("in full: --refresh=full"));
  CHECK(full.out == incremental.out);

  {  // too old
    auto old = tenant.idform({"drift", "--max-cache-age", "0"});
    CHECK(old.exit_code == 2);
    CHECK_THAT(old.err, Catch::Contains("in full: --max-cache-age 0 allows no cache"));
  }
  {  // corrupted
    std::ofstream(tenant.cache(), std::ios::trunc) << "{\"format\": 1, \"state\": ";
    auto corrupted = tenant.idform({"plan"});
    CHECK(corrupted.exit_code == 0);
    CHECK_THAT(corrupted.err, Catch::Contains("is not readable JSON (corrupted)"));
    CHECK(corrupted.out == tenant.idform({"plan", "--refresh=full"}).out);
  }
  {  // edited
    auto [header, state] = tenant.cache_document();
    state["groups"] = json::array();
    tenant.write_cache(header, state);
    CHECK_THAT(tenant.idform({"plan"}).err, Catch::Contains("fails its checksum"));
  }
  {  // another provider version
    auto [header, state] = tenant.cache_document();
    header["provider_version"] = "entra-state-0";
    tenant.write_cache(header, state);
    CHECK_THAT(tenant.idform({"plan"}).err,
               Catch::Contains("version entra-state-0, this is entra version entra-state-4"));
  }
  {  // a cache of the first format (one JSON document, members as directory objects)
    auto [header, state] = tenant.cache_document();
    header["format"] = 1;
    header["provider_version"] = "entra-state-1";
    header["state"] = state;
    std::ofstream(tenant.cache(), std::ios::trunc) << header.dump();
    auto older = tenant.idform({"plan"});
    CHECK(older.exit_code == 0);
    CHECK_THAT(older.err, Catch::Contains("has another format"));
    CHECK(older.out == tenant.idform({"plan", "--refresh=full"}).out);
  }
  {  // a delta link Graph refuses (410 syncStateNotFound)
    auto [header, state] = tenant.cache_document();
    std::string link = state["cursors"]["groups"];
    state["cursors"]["groups"] = link.substr(0, link.find("$deltatoken=") + 12) + "expired";
    header["checksum"] = idform::util::sha256_hex(state.dump());
    tenant.write_cache(header, state);
    auto refused = tenant.idform({"plan"});
    CHECK_THAT(refused.err, Catch::Contains("in full: Graph refused the groups delta link"));
    CHECK(refused.out == tenant.idform({"plan", "--refresh=full"}).out);
  }
  {  // --refresh=incremental refuses to read in full; --cache-dir moves the cache
    std::filesystem::remove(tenant.cache());
    auto refused = tenant.idform({"plan", "--refresh=incremental"});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.err, Catch::Contains("cannot read target \"entra\" incrementally: no cache at"));
    std::filesystem::path ci = bed.config_dir() / "ci-cache";
    CHECK(tenant.idform({"plan", "--cache-dir", ci.string()}).exit_code == 0);
    CHECK(std::filesystem::exists(ci / "entra.json"));
    CHECK_THAT(tenant.idform({"plan", "--cache-dir", ci.string(), "--refresh=incremental"}).err,
               Catch::Contains("incrementally"));
  }
}
