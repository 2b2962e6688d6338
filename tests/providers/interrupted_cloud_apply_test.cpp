// Interrupted applies against Okta and Entra in idp-sim: examples/acme (each provider's
// expressible copy) is applied by the idform binary, which is killed (SIGKILL) right after each
// write the simulator answers in turn: write 1, then on a fresh tenant write 2, and so on until
// the apply finishes on its own. Then plan and apply run again without --accept. Every run must
// converge, with the apply doing only what its plan showed and its plan tripping no guard.
//
// idp-sim holds every write after the chosen one unanswered (POST /_sim/hold-writes), so the kill
// lands after that write and before any later one is applied; the held writes are discarded.
// IDFORM_KILL_WRITES=all kills after every write (Okta: 98 points, a few minutes); ctest runs
// every 9th (Okta) or 4th (Entra) write from the first; IDFORM_KILL_WRITES=5,8 runs just those.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <regex>
#include <string_view>
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

// Runs `idform apply --auto-approve` with idp-sim letting `writes` writes through and holding
// the rest; once the last allowed write is answered and a later one is held, kills idform and
// discards what was held. Returns whether it was killed (false: it finished first, so `writes`
// is at or past its last write).
bool apply_killed_after(const AcmeCopy& acme, const std::map<std::string, std::string>& env,
                        idform::testing::SimProcess& sim, int writes) {
  sim.hold_writes(writes);
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
  bool killed = false;
  while (true) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    json stats = sim.stats();
    if (stats.value("writes_held", 0) > 0 && writes_answered(stats) >= writes) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      killed = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  sim.release_writes();
  return killed;
}

// Which writes to kill the apply after. IDFORM_KILL_WRITES=all: every write (1, 2, ... until the
// apply finishes on its own); =5,8: those; unset: every `stride`-th write from the first (ctest's
// share of the full sweep, which takes minutes).
struct KillPoints {
  std::vector<int> chosen;  // empty: a sweep
  int stride = 1;
};

KillPoints kill_points(int stride) {
  const char* wanted = std::getenv("IDFORM_KILL_WRITES");
  if (!wanted) return {{}, stride};
  if (std::string_view(wanted) == "all") return {{}, 1};
  KillPoints points;
  std::istringstream list(wanted);
  for (std::string item; std::getline(list, item, ',');)
    if (int point = std::atoi(item.c_str()); point > 0) points.chosen.push_back(point);
  return points;
}

// Kills the apply after each chosen write on a fresh tenant made by `fresh` and checks that the
// next plan and apply converge. Returns how many kill points ran, and (for a sweep) sets
// `writes` to how many writes the whole apply makes.
template <typename Fresh>
int kill_after_writes(const std::string& provider, const std::map<std::string, std::string>& env, int stride,
                      int& writes, Fresh fresh) {
  KillPoints points = kill_points(stride);
  bool sweep = points.chosen.empty();
  std::string what = !sweep ? "the writes in IDFORM_KILL_WRITES"
                    : points.stride == 1 ? "every write"
                                         : "every " + std::to_string(points.stride) + "th write from the first";
  std::printf("%s: killing the apply after %s\n", provider.c_str(), what.c_str());
  int ran = 0;
  for (int at = 0;; ++at) {
    if (!sweep && at >= static_cast<int>(points.chosen.size())) break;
    int after = sweep ? 1 + at * points.stride : points.chosen[static_cast<std::size_t>(at)];
    auto [bed, acme] = fresh();
    INFO(provider << ", killed after write " << after << " (IDFORM_KILL_WRITES=" << after << " repeats it)");
    bool killed = apply_killed_after(*acme, env, bed->sim(), after);
    int answered = writes_answered(bed->sim().stats());
    INFO("writes answered: " << answered);
    if (!killed && sweep) {  // past the apply's last write
      writes = answered;
      break;
    }
    ++ran;
    converges_after_interruption(*acme, env);
  }
  return ran;
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

TEST_CASE("okta: an apply killed after any write converges on the next apply without --accept",
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
  auto fresh = [&] {
    auto bed = std::make_unique<okta::Testbed>(okta::TestbedOptions{.sim_args = {"--time-scale", "0.01"}, .seed = {}, .users = users});
    auto acme = std::make_unique<AcmeCopy>();
    for (const char* kind : {"groups", "apps", "policies", "locations"}) {
      std::filesystem::remove_all(acme->dir() / kind);
      std::filesystem::copy(fixture / kind, acme->dir() / kind, std::filesystem::copy_options::recursive);
    }
    std::string project = acme->read_text(acme->dir() / "idform.yaml");
    project = std::regex_replace(project, std::regex("default_target: sandbox"), "default_target: okta-sim");
    project = std::regex_replace(project, std::regex("targets:\n"),
                                 "targets:\n  okta-sim:\n    provider: okta\n    org_url: " + bed->sim().base_url() +
                                     "\n    auth: {method: api_token, token_env: " + okta::kTokenEnv + "}\n");
    acme->write_file("idform.yaml", project);
    return std::pair{std::move(bed), std::move(acme)};
  };
  int writes = 0;
  int ran = kill_after_writes("okta", env, 9, writes, fresh);
  std::printf("okta: killed the apply at %d points; the whole apply makes %d writes\n", ran, writes);
  if (!std::getenv("IDFORM_KILL_WRITES")) CHECK(writes >= 90);  // examples/acme's Okta copy: 98 writes
}

TEST_CASE("entra: an apply killed after any write converges on the next apply without --accept",
          "[entra][hardening][interrupted]") {
  namespace entra = idform::testing::entra;
  auto files = entra::acme_resource_files(true);
  entra::TestbedOptions options;
  options.sim_args = {"--time-scale", "0.01"};
  options.seed = [&](const std::filesystem::path& seed) {
    entra::write_json(seed, "users.json", entra::list_of("users", entra::users_mentioned(entra::acme_resource_files(false))));
  };
  // The simulator runs at 1/100 of Graph's time, and the provider is told so: its pacing of
  // policy writes, its resource-unit window and its wait for replication are scaled alike.
  const std::map<std::string, std::string> env = {{"IDFORM_TEST_ENTRA_SECRET", entra::kSimSecret},
                                                  {"IDFORM_ENTRA_POLICY_INTERVAL_MS", "10"},
                                                  {"IDFORM_ENTRA_RU_WINDOW_MS", "100"},
                                                  {"IDFORM_ENTRA_CONSISTENCY_BUDGET_MS", "1200"}};
  auto fresh = [&] {
    auto bed = std::make_unique<entra::Testbed>(options);
    auto acme = std::make_unique<AcmeCopy>();
    for (const auto& [relative, text] : files) acme->write_file(relative, text);
    acme->write_file("idform.yaml", bed->project_file());
    return std::pair{std::move(bed), std::move(acme)};
  };
  int writes = 0;
  int ran = kill_after_writes("entra", env, 4, writes, fresh);
  std::printf("entra: killed the apply at %d points; the whole apply makes %d writes\n", ran, writes);
  if (!std::getenv("IDFORM_KILL_WRITES")) CHECK(writes >= 20);
}
