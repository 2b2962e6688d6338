// End-to-end regression tests for the hardening campaign (issue 14), with the real idform binary
// on a copy of examples/acme and its sandbox: edited, damaged and malformed plan files are
// refused; concurrent applies take turns; files holding tenant data are owner-only; messages for
// an idform.yaml without a document say what is there; escape sequences in tenant names never
// reach the terminal.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <thread>

#include "e2e/e2e_support.hpp"

using idform::testing::AcmeCopy;
using idform::testing::ProcessResult;
using Catch::Contains;
using nlohmann::json;

namespace {

json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

void write_json(const std::filesystem::path& path, const json& value) { std::ofstream(path, std::ios::trunc) << value.dump(2); }

int mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return static_cast<int>(info.st_mode & 0777);
}

// Applies a saved plan and checks that it was refused and the sandbox left as it was.
ProcessResult refused(const AcmeCopy& acme, const std::filesystem::path& plan) {
  std::string before = acme.read_text(acme.sandbox());
  ProcessResult result = acme.idform({"apply", plan.string(), "--auto-approve", "--no-color"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK(acme.read_text(acme.sandbox()) == before);
  CHECK(result.err.find("internal error") == std::string::npos);
  return result;
}

}  // namespace

TEST_CASE("apply PLANFILE refuses a plan edited after review and applies the reviewed one", "[e2e][hardening][plan-file]") {
  AcmeCopy acme;
  auto plan_path = acme.dir() / "plan.json";
  ProcessResult planned = acme.idform({"plan", "--out", plan_path.string(), "--no-color"});
  REQUIRE(planned.exit_code == 0);
  const json reviewed = read_json(plan_path);
  REQUIRE(reviewed["changes"].size() > 3);

  SECTION("a delete injected") {
    json edited = reviewed;
    json extra = edited["changes"][0];
    extra["address"] = "group:old-project-team";
    extra["name"] = "old-project-team";
    extra["action"] = "delete";
    edited["changes"].push_back(extra);
    write_json(plan_path, edited);
    // Refused either by the stale check (the injected object's fingerprint matches nothing live)
    // or by the re-plan comparison; either way it names the injected change and applies nothing.
    CHECK_THAT(refused(acme, plan_path).err, Contains("group:old-project-team"));
  }
  SECTION("a member removal injected into an update") {
    json edited = reviewed;
    for (auto& change : edited["changes"])
      if (change["action"] == "update") {
        change["attributes"].push_back({{"path", "members"}, {"type", "set"}, {"added", json::array()},
                                        {"removed", {"user:alice.nguyen@acme.example"}}});
        break;
      }
    write_json(plan_path, edited);
    CHECK_THAT(refused(acme, plan_path).err, Contains("differs from the plan made now in attributes"));
  }
  SECTION("a create renamed onto an existing name") {
    json edited = reviewed;
    for (auto& change : edited["changes"])
      if (change["action"] == "create") {
        change["name"] = "engineering";
        break;
      }
    write_json(plan_path, edited);
    CHECK_THAT(refused(acme, plan_path).err, Contains("differs from the plan made now in name"));
  }
  SECTION("bytes flipped anywhere (seeded)") {
    std::string text = acme.read_text(plan_path);
    unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 random(seed);
    for (int i = 0; i < 6; ++i) {
      std::string damaged = text;
      size_t at = random() % damaged.size();
      damaged[at] = static_cast<char>(damaged[at] ^ (1 << (random() % 7)));
      std::ofstream(plan_path, std::ios::trunc) << damaged;
      std::string before = acme.read_text(acme.sandbox());
      ProcessResult result = acme.idform({"apply", plan_path.string(), "--auto-approve", "--no-color"});
      INFO("flipped byte " << at << ": " << result.err);
      // A flip in whitespace or an unused field may leave the same plan: then it applies as reviewed.
      if (result.exit_code == 0) {
        ProcessResult again = acme.idform({"plan", "--detailed-exitcode", "--no-color"});
        CHECK(again.exit_code == 0);
        break;
      }
      CHECK(result.exit_code == 1);
      CHECK(acme.read_text(acme.sandbox()) == before);
      CHECK(result.err.find("internal error") == std::string::npos);
    }
  }
  SECTION("the plan as reviewed applies") {
    ProcessResult applied = acme.idform({"apply", plan_path.string(), "--auto-approve", "--no-color"});
    INFO(applied.out << applied.err);
    CHECK(applied.exit_code == 0);
  }
}

TEST_CASE("apply PLANFILE re-evaluates guards against the current idform.yaml", "[e2e][hardening][plan-file]") {
  AcmeCopy acme;
  std::string project = acme.read_text(acme.dir() / "idform.yaml");
  auto at = project.find("max_deletes: 5");
  REQUIRE(at != std::string::npos);
  project.replace(at, 14, "max_deletes: 0");  // the plan's delete of CA-099 now trips it
  acme.write_file("idform.yaml", project);
  auto plan_path = acme.dir() / "plan.json";
  REQUIRE(acme.idform({"plan", "--out", plan_path.string(), "--no-color"}).exit_code == 0);
  json edited = read_json(plan_path);
  REQUIRE(!edited["guards"].empty());
  edited["guards"] = json::array();
  for (auto& change : edited["changes"]) change["guards"] = json::array();
  write_json(plan_path, edited);
  ProcessResult result = refused(acme, plan_path);
  CHECK_THAT(result.err, Contains("differs from the plan made now in guards"));
}

TEST_CASE("a plan file of the wrong shape is refused naming the file and field", "[e2e][hardening][plan-file]") {
  AcmeCopy acme;
  auto plan_path = acme.dir() / "plan.json";
  REQUIRE(acme.idform({"plan", "--out", plan_path.string()}).exit_code == 0);
  json edited = read_json(plan_path);
  edited["changes"][1]["attributes"] = "none";
  write_json(plan_path, edited);
  ProcessResult result = refused(acme, plan_path);
  CHECK_THAT(result.err, Contains("plan file " + plan_path.string() + ": malformed plan file: changes[1].attributes must be a list"));
  std::ofstream(plan_path, std::ios::trunc) << "{\"format_version\": 1,";
  CHECK_THAT(refused(acme, plan_path).err, Contains("is not valid JSON"));
}

TEST_CASE("concurrent applies on one sandbox take turns: no duplicates, nothing lost", "[e2e][hardening][lock]") {
  for (int trial = 0; trial < 3; ++trial) {
    AcmeCopy acme;
    ProcessResult first, second;
    std::thread other([&] { second = acme.idform({"apply", "--auto-approve", "--no-color"}); });
    first = acme.idform({"apply", "--auto-approve", "--no-color"});
    other.join();
    INFO(first.out << first.err << second.out << second.err);
    CHECK(first.exit_code == 0);
    CHECK(second.exit_code == 0);
    json tenant = acme.read_sandbox();
    for (const char* kind : {"groups", "applications", "conditional_access_policies", "named_locations"}) {
      std::set<std::string> names;
      for (const auto& object : tenant[kind]) CHECK(names.insert(object["name"].get<std::string>()).second);
    }
    ProcessResult replan = acme.idform({"plan", "--detailed-exitcode", "--no-color"});
    CHECK(replan.exit_code == 0);
  }
}

TEST_CASE("a command finding the sandbox locked past the wait says so and changes nothing", "[e2e][hardening][lock]") {
  AcmeCopy acme;
  std::string lock_path = acme.sandbox().string() + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  std::string before = acme.read_text(acme.sandbox());
  ProcessResult result = acme.idform({"apply", "--auto-approve", "--no-color"}, {{"IDFORM_SANDBOX_LOCK_WAIT_MS", "200"}});
  ::close(fd);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("is in use by another idform command"));
  CHECK(acme.read_text(acme.sandbox()) == before);
}

TEST_CASE("the sandbox, saved plans and audit logs stay owner-only", "[e2e][hardening][permissions]") {
  AcmeCopy acme;
  std::filesystem::permissions(acme.sandbox(), std::filesystem::perms(0600));
  auto plan_path = acme.dir() / "plan.json";
  auto audit_path = acme.dir() / "audit.log";
  REQUIRE(acme.idform({"plan", "--out", plan_path.string()}).exit_code == 0);
  CHECK(mode_of(plan_path) == 0600);
  ProcessResult applied = acme.idform({"apply", plan_path.string(), "--auto-approve", "--audit-log", audit_path.string()});
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 0);
  CHECK(mode_of(acme.sandbox()) == 0600);
  CHECK(mode_of(audit_path) == 0600);
}

TEST_CASE("an idform.yaml without a document is called empty only when it is", "[e2e][hardening]") {
  const std::pair<const char*, const char*> cases[] = {
      {"", "idform.yaml is empty"},
      {"  \n\n", "idform.yaml is empty"},
      {"# just a comment\n", "idform.yaml holds only comments or document markers"},
      {"---\n...\n", "idform.yaml holds only comments or document markers"},
      {"~\n", "idform.yaml holds a null document"},
      {"null\n# trailing\n", "idform.yaml holds a null document"},
  };
  for (const auto& [text, expected] : cases) {
    AcmeCopy acme;
    acme.write_file("idform.yaml", text);
    ProcessResult result = acme.idform({"validate"});
    INFO("idform.yaml: [" << text << "] " << result.err);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains(expected));
  }
}

TEST_CASE("terminal escape sequences in tenant names never reach the output", "[e2e][hardening][render]") {
  AcmeCopy acme;
  json tenant = acme.read_sandbox();
  tenant["groups"].push_back({{"id", "g-evil"}, {"name", "evil\x1b]0;owned\x07\x1b[2J\rgroup"}, {"members", json::array()}});
  acme.write_sandbox(tenant);
  for (const char* format : {"text", "markdown"}) {
    ProcessResult result = acme.idform({"plan", "--show-unmanaged", "--format", format});
    INFO(format << ": " << result.out << result.err);
    CHECK(result.out.find('\x1b') == std::string::npos);
    CHECK(result.out.find('\x07') == std::string::npos);
    if (std::string(format) == "text") CHECK_THAT(result.out, Contains("evil\\x1b]0;owned"));
  }
}
