// Providers out of process: the sandbox lifecycle through `idform provider serve local`, a plugin
// written in Python without idform's headers, and plugins that crash, hang or write garbage.
// Every message of every recorded session ($IDFORM_PLUGIN_RECORD) is checked against
// schemas/plugin/.

#include <catch2/catch.hpp>

#include "e2e/e2e_support.hpp"
#include "support/plugin_schemas.hpp"

using namespace idform;
using idform::testing::AcmeCopy;
using idform::testing::check_recorded_session;
using nlohmann::json;

namespace {

const std::string kFixturePlugin = std::string(IDFORM_SOURCE_DIR) + "/tests/plugin/fixture_plugin.py";

// The PATH the tests were started with.
std::string plugin_test_path() {
  const char* path = std::getenv("PATH");
  return path ? path : "/usr/bin:/bin";
}

bool sandbox_contains_group(const AcmeCopy& acme, const std::string& name) {
  const json sandbox = acme.read_sandbox();  // a range-for over a temporary's member would outlive it
  for (const json& group : sandbox["groups"])
    if (group["name"] == name) return true;
  return false;
}

// An acme copy whose idform.yaml also has `target` running `plugin` (a YAML flow sequence).
void add_plugin_target(const AcmeCopy& acme, const std::string& target, const std::string& plugin,
                       const std::string& settings) {
  std::string project = acme.read_text(acme.dir() / "idform.yaml");
  const std::string anchor = "targets:\n";
  project.insert(project.find(anchor) + anchor.size(),
                 "  " + target + ":\n    provider: " + (plugin.find("fixture") != std::string::npos ? "fixture" : "local") +
                     "\n    plugin: " + plugin + "\n" + settings);
  acme.write_file("idform.yaml", project);
}

// A config of two groups and nothing else, with a fixture plugin target in `mode`.
void write_fixture_config(const AcmeCopy& acme, const std::string& mode) {
  std::filesystem::remove_all(acme.dir());
  acme.write_file("idform.yaml", "version: 1\ndefault_target: py\ntargets:\n  py:\n    provider: fixture\n"
                                 "    plugin: [python3, " + kFixturePlugin + (mode.empty() ? "" : ", " + mode) + "]\n"
                                 "    settings: {state: groups.json}\n");
  acme.write_file("groups/a.yaml", "kind: Group\nname: alpha\ndescription: First\nmembers: []\n");
  acme.write_file("groups/b.yaml", "kind: Group\nname: beta\ndescription: Second\nmembers: []\n");
}

}  // namespace

TEST_CASE("plugin host: the sandbox lifecycle with its provider out of process", "[plugin]") {
  AcmeCopy acme;
  const std::string plugin = "[" + std::string(IDFORM_BINARY) + ", provider, serve, local]";
  add_plugin_target(acme, "outside", plugin, "    path: .idform/sandbox.json\n");
  const std::map<std::string, std::string> env = {{"IDFORM_PLUGIN_RECORD", (acme.dir() / "session.jsonl").string()}};

  auto in_process = acme.idform({"plan", "--no-color"});
  auto out_of_process = acme.idform({"plan", "--no-color", "--target", "outside"}, env);
  REQUIRE(out_of_process.exit_code == 0);
  // The same plan either way, but for the target's name in its heading.
  CHECK(out_of_process.out.substr(out_of_process.out.find("\nPlan:")) == in_process.out.substr(in_process.out.find("\nPlan:")));

  auto applied = acme.idform({"apply", "--auto-approve", "--target", "outside"}, env);
  INFO(applied.err);
  REQUIRE(applied.exit_code == 0);
  CHECK(acme.idform({"plan", "--detailed-exitcode", "--target", "outside"}, env).exit_code == 0);

  acme.write_file("groups/plugin-lifecycle.yaml", "kind: Group\nname: plugin-lifecycle\ndescription: Before\nmembers: [alice.nguyen@acme.example]\n");
  REQUIRE(acme.idform({"apply", "--auto-approve", "--target", "outside"}, env).exit_code == 0);
  acme.write_file("groups/plugin-lifecycle.yaml", "kind: Group\nname: plugin-lifecycle\ndescription: After\nmembers: []\n");
  auto changed = acme.idform({"plan", "--no-color", "--detailed-exitcode", "--target", "outside"}, env);
  CHECK(changed.exit_code == 2);
  CHECK_THAT(changed.out, Catch::Contains("Plan: 0 to create, 1 to update, 0 to delete;"));
  REQUIRE(acme.idform({"apply", "--auto-approve", "--target", "outside"}, env).exit_code == 0);
  CHECK(acme.idform({"plan", "--detailed-exitcode", "--target", "outside"}, env).exit_code == 0);
  acme.write_file("groups/plugin-lifecycle.yaml", "kind: Group\nname: plugin-lifecycle\nstate: absent\n");
  REQUIRE(acme.idform({"apply", "--auto-approve", "--target", "outside"}, env).exit_code == 0);
  CHECK(acme.idform({"plan", "--detailed-exitcode", "--target", "outside"}, env).exit_code == 0);
  CHECK(sandbox_contains_group(acme, "plugin-lifecycle") == false);

  auto counts = check_recorded_session(acme.dir() / "session.jsonl");
  CHECK(counts["host"] > 20);
  CHECK(counts["plugin"] > 100);
}

TEST_CASE("plugin host: a Python plugin passes handshake, read and apply of one group", "[plugin]") {
  AcmeCopy acme;
  write_fixture_config(acme, "");
  const std::map<std::string, std::string> env = {{"IDFORM_PLUGIN_RECORD", (acme.dir() / "session.jsonl").string()}};
  CHECK(acme.idform({"validate"}, env).exit_code == 0);
  auto applied = acme.idform({"apply", "--auto-approve", "--no-color"}, env);
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 0);
  CHECK_THAT(applied.out, Catch::Contains("2 applied"));
  CHECK(acme.idform({"plan", "--detailed-exitcode"}, env).exit_code == 0);
  json state = json::parse(acme.read_text(acme.dir() / "groups.json"));
  CHECK(state.size() == 2);
  check_recorded_session(acme.dir() / "session.jsonl");

  // Settings are checked against the schema the plugin gave in its handshake, at the target's line.
  std::string project = acme.read_text(acme.dir() / "idform.yaml");
  project.replace(project.find("{state: groups.json}"), 20, "{stat: groups.json}");
  acme.write_file("idform.yaml", project);
  auto refused = acme.idform({"plan"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("idform.yaml:5:5: target py: settings the fixture plugin does not accept") &&
                              Catch::Contains("state"));
}

TEST_CASE("plugin host: a plugin's settings are checked against its schema, each problem where it was written",
          "[plugin]") {
  struct Case {
    std::string what, settings;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"unknown setting",
       "{state: groups.json, colour: blue}",
       {"idform.yaml:7:36: targets.py: unknown field \"colour\""}},
      {"wrong type", "{state: 5}", {"idform.yaml:7:23: targets.py.state: expected a string, got an integer (5)"}},
      {"misspelt",
       "{stat: groups.json}",
       {"idform.yaml:7:16: targets.py: unknown field \"stat\" (did you mean \"state\"?)",
        "idform.yaml:5:5: targets.py: missing required field \"state\""}},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      AcmeCopy acme;
      write_fixture_config(acme, "");
      std::string project = acme.read_text(acme.dir() / "idform.yaml");
      project.replace(project.find("{state: groups.json}"), 20, c.settings);
      acme.write_file("idform.yaml", project);
      const std::map<std::string, std::string> env = {
          {"IDFORM_PLUGIN_RECORD", (acme.dir() / "session.jsonl").string()}};
      // validate starts the plugin for its handshake (never configure); plan refuses before configure.
      for (const std::string command : {"validate", "plan", "apply"}) {
        std::vector<std::string> args = {command};
        if (command == "apply") args.push_back("--auto-approve");
        auto refused = acme.idform(args, env);
        INFO(command << "\n" << refused.err);
        CHECK(refused.exit_code == 1);
        for (const std::string& line : c.expected) CHECK_THAT(refused.err, Catch::Contains("/" + line));
      }
      CHECK_FALSE(std::filesystem::exists(acme.dir() / "groups.json"));
      // The plugin was never configured: its settings never reached it.
      CHECK(acme.read_text(acme.dir() / "session.jsonl").find("\"configure\"") == std::string::npos);
      check_recorded_session(acme.dir() / "session.jsonl");
    }
  }
}

TEST_CASE("plugin host: a plugin that crashes, hangs or writes garbage is named and nothing is applied after it", "[plugin]") {
  struct Case {
    std::string mode, command, expected;
  };
  const std::vector<Case> cases = {
      {"crash-on-apply", "apply", "was killed by signal 6"},
      {"hang-on-read", "plan", "did not answer within 1 s"},
      {"garbage-on-read", "plan", "wrote something that is not a protocol message"},
      {"exit-on-hello", "plan", "exited with status 3"},
  };
  for (const Case& c : cases) {
    SECTION(c.mode) {
      AcmeCopy acme;
      write_fixture_config(acme, c.mode);
      std::vector<std::string> args = {c.command, "--no-color", "--parallelism", "1"};
      if (c.command == "apply") args.push_back("--auto-approve");
      auto result = acme.idform(args, {{"IDFORM_PLUGIN_TIMEOUT", "1"}});
      INFO(result.out << result.err);
      CHECK(result.exit_code == 1);
      CHECK_THAT(result.out + result.err, Catch::Contains("plugin fixture (python3)") && Catch::Contains(c.expected));
      // The crash came with the first change: the second, independent of it, was not applied
      // (the plugin is gone and the host sends nothing more), and nothing was written.
      CHECK_FALSE(std::filesystem::exists(acme.dir() / "groups.json"));
      if (c.command == "apply") CHECK_THAT(result.out, Catch::Contains("0 applied, 2 failed"));
    }
  }
}

TEST_CASE("plugin host: provider NAME finds idform-provider-NAME on PATH", "[plugin]") {
  AcmeCopy acme;
  write_fixture_config(acme, "");
  std::string project = acme.read_text(acme.dir() / "idform.yaml");
  project.erase(project.find("    plugin:"), project.find("    settings:") - project.find("    plugin:"));
  acme.write_file("idform.yaml", project);
  const std::filesystem::path bin = acme.dir() / "bin";
  std::filesystem::create_directories(bin);
  std::filesystem::create_symlink(kFixturePlugin, bin / "idform-provider-fixture");
  const std::map<std::string, std::string> env = {{"PATH", bin.string() + ":" + plugin_test_path()}};
  auto applied = acme.idform({"apply", "--auto-approve", "--no-color"}, env);
  INFO(applied.out << applied.err);
  CHECK(applied.exit_code == 0);
  CHECK(std::filesystem::exists(acme.dir() / "groups.json"));
  auto unknown = acme.idform({"validate"}, {{"PATH", plugin_test_path()}});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Catch::Contains("no idform-provider-fixture on PATH"));
}

TEST_CASE("conformance kit: the sandbox passes in process and out of process, and leaves nothing behind", "[plugin]") {
  AcmeCopy acme;
  add_plugin_target(acme, "outside", "[" + std::string(IDFORM_BINARY) + ", provider, serve, local]",
                    "    path: .idform/sandbox.json\n");
  const json before = acme.read_sandbox()["groups"];
  for (const std::string target : {"sandbox", "outside"}) {
    auto result = acme.idform({"provider", "test", "--target", target});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("\n17 passed, 0 failed, 0 skipped\n"));
    CHECK(acme.read_sandbox()["groups"] == before);
  }
}

TEST_CASE("conformance kit: a plugin that creates what it was told to update fails the kit", "[plugin]") {
  AcmeCopy acme;
  write_fixture_config(acme, "");
  auto result = acme.idform({"provider", "test"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.out, Catch::Contains("FAIL  a change to an object that does not exist fails with an error: "
                                         "the provider reported success"));
  CHECK_THAT(result.out, Catch::Contains("6 passed, 2 failed, 3 skipped"));
  CHECK(json::parse(acme.read_text(acme.dir() / "groups.json")).size() == 0);
}
