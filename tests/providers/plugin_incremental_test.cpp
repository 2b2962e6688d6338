// An incremental read through the plugin protocol: the Entra provider out of process
// (`plugin: [idform, provider, serve, entra]`) reads in full and hands back its saved state, which
// idform caches; after portal drift the next plan sends it as the baseline and the plugin brings it
// up to date from the change feeds, the plan showing the drift. Every message is checked against
// schemas/plugin/.

#include <catch2/catch.hpp>

#include "providers/entra_testbed.hpp"
#include "support/plugin_schemas.hpp"
#include "support/process.hpp"

using namespace idform::testing::entra;

TEST_CASE("an Entra plugin reads incrementally through the protocol: baseline out, saved state back", "[entra][incremental][plugin]") {
  Testbed bed;
  bed.load({{"groups/team.yaml", "kind: Group\nname: inc-plugin\nmembers: [alice@acme.example]\n"}});
  std::ofstream(bed.config_dir() / "idform.yaml", std::ios::app)
      << "    plugin: [" << IDFORM_BINARY << ", provider, serve, entra]\n";
  const std::filesystem::path record = bed.config_dir() / "session.jsonl";
  auto idform = [&](std::vector<std::string> args) {
    args.insert(args.begin(), IDFORM_BINARY);
    args.insert(args.end(), {"--config", bed.config_dir().string(), "--no-color"});
    return idform::testing::run_process(args, {{"IDFORM_TEST_ENTRA_SECRET", kSimSecret},
                                               {"IDFORM_ENTRA_POLICY_INTERVAL_MS", "15"},
                                               {"IDFORM_PLUGIN_RECORD", record.string()}});
  };
  REQUIRE(idform({"apply", "--auto-approve"}).exit_code == 0);
  auto first = idform({"plan", "--detailed-exitcode"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.err, Catch::Contains("read target \"entra\" in full: no cache at"));

  // Portal drift: bob added to the group through Graph, not through idform.
  auto& graph = bed.provider->graph();
  auto groups = graph.list("/groups?$filter=" + idform::http::url_encode("displayName eq 'inc-plugin'"));
  REQUIRE(groups);
  REQUIRE(groups->size() == 1);
  std::string group = (*groups)[0]["id"];
  auto added = graph.call("POST", "/groups/" + group + "/members/$ref",
                          {{"@odata.id", graph.settings().graph_endpoint + "/directoryObjects/11111111-0000-4000-8000-000000000002"}});
  REQUIRE(added);
  std::filesystem::remove(record);
  auto incremental = idform({"plan", "--detailed-exitcode"});
  INFO(incremental.err);
  CHECK(incremental.exit_code == 2);
  CHECK_THAT(incremental.err, Catch::Contains("read target \"entra\" incrementally"));
  CHECK_THAT(incremental.out, Catch::Contains("bob@acme.example"));

  // That plan's session: the baseline went out with the read, the saved state came back.
  idform::testing::check_recorded_session(record);
  std::ifstream in(record);
  bool baseline = false, saved = false;
  for (std::string line; std::getline(in, line);) {
    nlohmann::json entry = nlohmann::json::parse(line);
    const nlohmann::json& message = entry["message"];
    if (message["type"] == "read") baseline = baseline || (message.contains("baseline") && message.value("keep_state", false));
    if (message["type"] == "read_done") saved = saved || (message.contains("saved_state") && message.value("incremental", false));
  }
  CHECK(baseline);
  CHECK(saved);
}
