// Progress on long work, seen from outside: a plan against a slow Okta org (idp-sim answering
// every request late) run without a terminal writes a timestamped progress line to stderr at
// least every 10 seconds, and none at all with --quiet. stdout carries only the plan.

#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <future>
#include <regex>

#include "fixtures/okta/okta_testbed.hpp"
#include "support/process.hpp"

using namespace idform::testing;
using namespace idform::testing::okta;

namespace {

// Seconds since the epoch of "2026-12-07T02:31:07.123Z".
double parse_timestamp(const std::string& text) {
  std::tm parts{};
  int millis = 0;
  std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &parts.tm_year, &parts.tm_mon, &parts.tm_mday, &parts.tm_hour,
              &parts.tm_min, &parts.tm_sec, &millis);
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  return static_cast<double>(timegm(&parts)) + millis / 1000.0;
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("a slow plan without a terminal reports progress at least every 10 s, and --quiet none",
          "[progress][okta-provider]") {
  // Every request is answered 10 s late; the plan waits for two of them in a row (about 21 s).
  Testbed bed({.sim_args = {"--time-scale", "1", "--slow-ms", "10000"}, .seed = {}, .users = standard_users()});
  {
    std::ofstream(bed.config_dir() / "idform.yaml") << bed.project_file();
    std::filesystem::create_directories(bed.config_dir() / "groups");
    std::ofstream(bed.config_dir() / "groups" / "team.yaml") << "kind: Group\nname: progress-team\n";
  }
  std::map<std::string, std::string> env = {{kTokenEnv, kApiToken}};
  auto plan = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {IDFORM_BINARY, "plan", "--no-color", "--config", bed.config_dir().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(args, env);
  };
  double started = now_seconds();
  // Both plans at once, so the test takes as long as one of them.
  auto quiet = std::async(std::launch::async, [&] { return plan({"--quiet"}); });
  ProcessResult result = plan({});
  double finished = now_seconds();
  ProcessResult quiet_result = quiet.get();

  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("progress-team"));
  CHECK(result.out.find("idform: ") == std::string::npos);  // progress never reaches stdout
  const std::regex line(R"((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) idform: (.*))");
  std::vector<double> times = {started};
  std::istringstream lines(result.err);
  std::string text;
  while (std::getline(lines, text)) {
    std::smatch match;
    if (std::regex_match(text, match, line)) times.push_back(parse_timestamp(match[1]));
  }
  times.push_back(finished);
  REQUIRE(finished - started > 12);  // long enough that two lines were due
  CHECK(times.size() >= 4);
  for (size_t i = 1; i < times.size(); ++i) {
    INFO("gap " << i << " of " << times.size() - 1);
    CHECK(times[i] - times[i - 1] <= 10.5);
  }
  CHECK_THAT(result.err, Catch::Contains("reading target \"okta-sim\""));
  CHECK_THAT(result.err, Catch::Contains("request"));

  INFO(quiet_result.err);
  CHECK(quiet_result.exit_code == 0);
  CHECK(quiet_result.err.find("idform: ") == std::string::npos);
  CHECK(quiet_result.out == result.out);
}
