// Interrupting idform while a plugin works: the user's Ctrl-C (SIGINT to idform only; the plugin
// runs in a process group of its own) reaches the plugin as a `cancel` message for the request it
// is running. A plugin that stops answers it; one that ignores it is killed after the cancel
// deadline. Either way idform exits 130, no change starts after the interruption, the audit log
// says which change was cancelled and which never started, and every recorded message is valid.

#include <catch2/catch.hpp>

#include "e2e/e2e_support.hpp"
#include "support/plugin_schemas.hpp"

using idform::testing::AcmeCopy;
using idform::testing::check_recorded_session;
using nlohmann::json;

namespace {

const std::string kCancelFixture = std::string(IDFORM_SOURCE_DIR) + "/tests/plugin/fixture_plugin.py";

// Two groups and a Python fixture target working in `mode`.
void write_cancel_config(const AcmeCopy& acme, const std::string& mode) {
  std::filesystem::remove_all(acme.dir());
  acme.write_file("idform.yaml",
                  "version: 1\ndefault_target: py\ntargets:\n  py:\n    provider: fixture\n"
                  "    plugin: [python3, " +
                      kCancelFixture + ", " + mode +
                      "]\n"
                      "    settings: {state: groups.json}\n");
  acme.write_file("groups/a.yaml", "kind: Group\nname: alpha\ndescription: First\nmembers: []\n");
  acme.write_file("groups/b.yaml", "kind: Group\nname: beta\ndescription: Second\nmembers: []\n");
}

// True once the recorded session holds a host message of `type`: the plugin is working on it.
std::function<bool()> once_sent(const AcmeCopy& acme, const std::string& type) {
  const std::filesystem::path record = acme.dir() / "session.jsonl";
  return [&acme, record, type] {
    return std::filesystem::exists(record) &&
           acme.read_text(record).find("\"type\":\"" + type + "\"") != std::string::npos;
  };
}

std::vector<json> read_lines(const AcmeCopy& acme, const std::string& name) {
  std::vector<json> lines;
  std::istringstream in(acme.read_text(acme.dir() / name));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(json::parse(line));
  return lines;
}

}  // namespace

TEST_CASE("plugin cancel: Ctrl-C during an apply reaches the plugin as cancel, and nothing starts after it",
          "[plugin][cancel]") {
  struct Case {
    std::string mode, expected;
    std::map<std::string, std::string> env;
  };
  const std::vector<Case> cases = {
      {"slow-apply", "it stopped: stopped: the host cancelled the request", {}},
      {"ignore-cancel",
       "it did not answer the cancel within 1 s and was killed",
       {{"IDFORM_PLUGIN_CANCEL_TIMEOUT", "1"}}},
  };
  for (const Case& c : cases) {
    SECTION(c.mode) {
      AcmeCopy acme;
      write_cancel_config(acme, c.mode);
      std::map<std::string, std::string> env = c.env;
      env["IDFORM_PLUGIN_RECORD"] = (acme.dir() / "session.jsonl").string();
      auto result = acme.idform_interrupted({"apply", "--auto-approve", "--no-color", "--parallelism", "1",
                                             "--audit-log", (acme.dir() / "audit.jsonl").string()},
                                            env, once_sent(acme, "apply"));
      INFO(result.out << result.err);
      CHECK(result.exit_code == 130);
      CHECK_THAT(result.err, Catch::Contains("error: interrupted: no change started after the interruption"));
      CHECK_THAT(result.out, Catch::Contains("group:alpha: create FAILED: cancelled") && Catch::Contains(c.expected));
      CHECK_THAT(result.out, Catch::Contains("0 applied, 1 failed, 1 skipped"));
      // The plugin wrote nothing: the change it was applying stopped, the other never started.
      CHECK_FALSE(std::filesystem::exists(acme.dir() / "groups.json"));
      std::vector<json> audit = read_lines(acme, "audit.jsonl");
      REQUIRE(audit.size() == 2);
      std::map<std::string, std::string> outcome, detail;
      for (const json& line : audit) {
        outcome[line["address"]] = line["outcome"];
        detail[line["address"]] = line.value("detail", "");
      }
      CHECK(outcome["group:alpha"] == "failed");
      CHECK_THAT(detail["group:alpha"], Catch::Contains("cancelled") && Catch::Contains(c.expected));
      CHECK(outcome["group:beta"] == "skipped");
      CHECK(detail["group:beta"] == "not started: idform was interrupted");
      // The cancel went over the wire, and every message of the session is valid.
      CHECK(acme.read_text(acme.dir() / "session.jsonl").find("\"type\":\"cancel\"") != std::string::npos);
      check_recorded_session(acme.dir() / "session.jsonl");
    }
  }
}

TEST_CASE("plugin cancel: Ctrl-C during a read ends the plan as interrupted", "[plugin][cancel]") {
  AcmeCopy acme;
  write_cancel_config(acme, "slow-read");
  const std::map<std::string, std::string> env = {{"IDFORM_PLUGIN_RECORD", (acme.dir() / "session.jsonl").string()}};
  auto result = acme.idform_interrupted({"plan", "--no-color"}, env, once_sent(acme, "read"));
  INFO(result.out << result.err);
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.err,
             Catch::Contains("cancelled: plugin fixture (python3)'s read") && Catch::Contains("interrupted"));
  CHECK(result.out.empty());  // no plan is printed from a read that did not finish
  check_recorded_session(acme.dir() / "session.jsonl");
}

TEST_CASE("plugin cancel: idform provider serve stops a built-in provider's apply at cancel", "[plugin][cancel]") {
  AcmeCopy acme;
  std::filesystem::remove_all(acme.dir());
  acme.write_file("idform.yaml",
                  "version: 1\ndefault_target: outside\ntargets:\n  outside:\n    provider: local\n"
                  "    plugin: [" +
                      std::string(IDFORM_BINARY) +
                      ", provider, serve, local]\n"
                      "    path: sandbox.json\n");
  acme.write_file("groups/a.yaml", "kind: Group\nname: alpha\nmembers: []\n");
  acme.write_file("groups/b.yaml", "kind: Group\nname: beta\nmembers: []\n");
  // The sandbox's stand-in for a slow write: creating alpha waits until it is cancelled.
  acme.write_file(
      "sandbox.json",
      R"({"format": "idform-sandbox/1", "users": [], "groups": [], "faults": {"pause_apply": ["group:alpha"]}})");
  const std::map<std::string, std::string> env = {{"IDFORM_PLUGIN_RECORD", (acme.dir() / "session.jsonl").string()}};
  auto result = acme.idform_interrupted({"apply", "--auto-approve", "--no-color", "--parallelism", "1", "--audit-log",
                                         (acme.dir() / "audit.jsonl").string()},
                                        env, once_sent(acme, "apply"));
  INFO(result.out << result.err);
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.out, Catch::Contains("0 applied, 1 failed, 1 skipped"));
  CHECK_THAT(result.out, Catch::Contains("cancelled: applying group:alpha was stopped because idform was interrupted"));
  json sandbox = json::parse(acme.read_text(acme.dir() / "sandbox.json"));
  CHECK(sandbox["groups"].empty());
  std::vector<json> audit = read_lines(acme, "audit.jsonl");
  CHECK(audit.size() == 2);
  check_recorded_session(acme.dir() / "session.jsonl");
}
