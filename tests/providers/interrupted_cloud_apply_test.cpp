// Interrupted applies against Okta and Entra in idp-sim: examples/acme (each provider's
// expressible copy) is applied by the idform binary, which is killed (SIGKILL) right after a
// write the simulator answered; then plan and apply run again without --accept. Every run must
// converge, with the apply doing only what its plan showed and its plan tripping no guard.
//
// The simulator answers every request slowly (--slow-ms), and the test watches its request
// counts, so the kill lands after the chosen write and before the next one is processed. Which
// writes: the first policy create (where an Okta policy is born with a Catch-all Rule that
// denies) and a sample drawn with a printed seed (IDFORM_KILL_SEED=N repeats one, =random draws
// one, IDFORM_KILL_SAMPLE sets how many; every write point would take minutes).
//
// The default seed is fixed so that ctest is repeatable. Known open defect (issue 14): on Okta,
// a kill between the creation of an emergency_access group and its member writes (seeds 20261207
// and 1134779851, writes 5 and 8) leaves a plan that adds break-glass members, which trips
// bypass_membership, so resuming needs --accept; a drawn seed can land there.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>
#include <string_view>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "e2e/e2e_support.hpp"
#include "fixtures/okta/okta_testbed.hpp"
#include "providers/entra_testbed.hpp"
#include "support/interrupted_apply.hpp"

using idform::testing::AcmeCopy;
using idform::testing::converges_after_interruption;
using idform::testing::ProcessResult;
using nlohmann::json;

namespace {

// Writes the simulator answered: POST/PUT/PATCH/DELETE routes, not token requests or $batch
// envelopes (Graph reads travel in those).
int writes_answered(const json& stats) {
  int writes = 0;
  const json requests = stats.value("requests", json::object());  // items() of a temporary would dangle
  const json batch_items = stats.value("batch_items", json::object());
  for (const auto& [route, count] : requests.items()) {
    bool write = route.starts_with("POST ") || route.starts_with("PUT ") || route.starts_with("PATCH ") ||
                 route.starts_with("DELETE ");
    if (write && route.find("token") == std::string::npos && route.find("$batch") == std::string::npos)
      writes += count.get<int>();
  }
  for (const auto& [route, count] : batch_items.items())
    if (!route.starts_with("GET ")) writes += count.get<int>();
  return writes;
}

int route_count(const json& stats, const std::string& route) {
  return stats.value("requests", json::object()).value(route, 0);
}

// Runs `idform apply --auto-approve` in the background and kills it as soon as `stop` holds for
// the simulator's stats. Returns whether it was killed (false: it finished first).
bool apply_until(const AcmeCopy& acme, const std::map<std::string, std::string>& env, idform::testing::SimProcess& sim,
                 const std::function<bool(const json&)>& stop) {
  std::vector<std::string> argv = {IDFORM_BINARY, "apply", "--auto-approve", "--no-color", "--config", acme.dir().string()};
  pid_t pid = fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    for (const auto& [key, value] : env) setenv(key.c_str(), value.c_str(), 1);
    setenv("IDFORM_TODAY", "2026-11-29", 1);
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  REQUIRE(pid > 0);
  while (true) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    if (stop(sim.stats())) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// The kill points: stop after the first `first_policy_route` write, and after `sample` more
// write counts drawn from 1..`writes`.
std::vector<std::pair<std::string, std::function<bool(const json&)>>> kill_points(const std::string& first_policy_route,
                                                                                 int writes) {
  unsigned seed = 20261216;
  if (const char* forced = std::getenv("IDFORM_KILL_SEED"))
    seed = std::string_view(forced) == "random" ? std::random_device{}() : static_cast<unsigned>(std::strtoul(forced, nullptr, 10));
  int sample = 1;
  if (const char* wanted = std::getenv("IDFORM_KILL_SAMPLE")) sample = std::max(0, std::atoi(wanted));
  std::mt19937 random(seed);
  std::printf("interrupted apply: kill-point seed %u (IDFORM_KILL_SEED=%u repeats it)\n", seed, seed);
  std::vector<std::pair<std::string, std::function<bool(const json&)>>> points;
  points.emplace_back("after the first " + first_policy_route,
                      [first_policy_route](const json& stats) { return route_count(stats, first_policy_route) >= 1; });
  for (int i = 0; i < sample; ++i) {
    int after = 1 + static_cast<int>(random() % static_cast<unsigned>(std::max(1, writes)));
    points.emplace_back("after write " + std::to_string(after),
                        [after](const json& stats) { return writes_answered(stats) >= after; });
  }
  return points;
}

std::vector<std::string> emails_in(const std::filesystem::path& dir) {
  std::set<std::string> emails;
  static const std::regex kEmail(R"([A-Za-z0-9._+-]+@acme\.example)");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kEmail); it != std::sregex_iterator(); ++it)
      emails.insert(idform::util::to_lower(it->str()));
  }
  return {emails.begin(), emails.end()};
}

}  // namespace

TEST_CASE("okta: an apply killed after a write converges on the next apply without --accept",
          "[okta-provider][hardening][interrupted]") {
  namespace okta = idform::testing::okta;
  const std::filesystem::path fixture = std::filesystem::path(IDFORM_SOURCE_DIR) / "tests/fixtures/okta/acme";
  json users = json::array();
  int n = 0;
  for (const std::string& email : emails_in(fixture)) {
    char id[32];
    std::snprintf(id, sizeof id, "00ukill%013d", ++n);
    users.push_back(okta::okta_user(id, email, email.substr(0, email.find('@')), "Acme"));
  }
  const std::map<std::string, std::string> env = {{okta::kTokenEnv, okta::kApiToken}};
  auto points = kill_points("POST /api/v1/policies", 33);
  for (const auto& [label, stop] : points) {
    INFO("okta, killed " << label);
    okta::Testbed bed({.sim_args = {"--time-scale", "0.01", "--slow-ms", "1500"}, .seed = {}, .users = users});
    AcmeCopy acme;
    for (const char* kind : {"groups", "apps", "policies", "locations"}) {
      std::filesystem::remove_all(acme.dir() / kind);
      std::filesystem::copy(fixture / kind, acme.dir() / kind, std::filesystem::copy_options::recursive);
    }
    std::string project = acme.read_text(acme.dir() / "idform.yaml");
    project = std::regex_replace(project, std::regex("default_target: sandbox"), "default_target: okta-sim");
    project = std::regex_replace(project, std::regex("targets:\n"),
                                 "targets:\n  okta-sim:\n    provider: okta\n    org_url: " + bed.sim().base_url() +
                                     "\n    auth: {method: api_token, token_env: " + okta::kTokenEnv + "}\n");
    acme.write_file("idform.yaml", project);
    bool killed = apply_until(acme, env, bed.sim(), stop);
    INFO("killed: " << killed << ", writes answered: " << writes_answered(bed.sim().stats()));
    converges_after_interruption(acme, env);
  }
}

TEST_CASE("entra: an apply killed after a write converges on the next apply without --accept",
          "[entra][hardening][interrupted]") {
  namespace entra = idform::testing::entra;
  auto files = entra::acme_resource_files(true);
  entra::TestbedOptions options;
  options.sim_args = {"--time-scale", "0.01", "--slow-ms", "1500"};
  options.seed = [&](const std::filesystem::path& seed) {
    entra::write_json(seed, "users.json", entra::list_of("users", entra::users_mentioned(entra::acme_resource_files(false))));
  };
  const std::map<std::string, std::string> env = {{"IDFORM_TEST_ENTRA_SECRET", entra::kSimSecret}};
  auto points = kill_points("POST /identity/conditionalAccess/policies", 33);
  for (const auto& [label, stop] : points) {
    INFO("entra, killed " << label);
    entra::Testbed bed(options);
    AcmeCopy acme;
    for (const auto& [relative, text] : files) acme.write_file(relative, text);
    acme.write_file("idform.yaml", bed.project_file());
    bool killed = apply_until(acme, env, bed.sim(), stop);
    INFO("killed: " << killed << ", writes answered: " << writes_answered(bed.sim().stats()));
    converges_after_interruption(acme, env);
  }
}
