// idp-sim's command line: loopback only, option errors, flavor options, help.
#include <catch2/catch.hpp>

#include "support/sim_process.hpp"

using namespace idform::testing;

namespace {
std::string start_error(std::vector<std::string> args) {
  try {
    SimProcessOptions options;
    options.flavor = "graph";
    options.extra_args = std::move(args);
    SimProcess sim(options);
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}
}  // namespace

TEST_CASE("idp-sim refuses non-loopback addresses and bad options", "[sim][graph][cli]") {
  CHECK(start_error({"--host", "0.0.0.0"}).find("loopback only") != std::string::npos);
  CHECK(start_error({"--time-scale", "fast"}).find("--time-scale") != std::string::npos);
  CHECK(start_error({"--no-such-option"}).find("unknown option '--no-such-option'") != std::string::npos);
  CHECK(start_error({"--tenant-size", "XL"}).find("--tenant-size") != std::string::npos);
  CHECK(start_error({"--seed", "/nonexistent/seed/dir"}).find("does not exist") != std::string::npos);
  CHECK(start_error({"--fault-rate", "0.7", "--drop-rate", "0.7"}).find("must not exceed 1") != std::string::npos);
}

TEST_CASE("idp-sim listens on IPv6 loopback too", "[sim][graph][cli]") {
  SimProcessOptions options;
  options.extra_args = {"--host", "::1"};
  SimProcess sim(options);
  auto response = http_get("http://[::1]:" + std::to_string(sim.port()) + "/_sim/info");
  REQUIRE(response.status == 200);
  CHECK(response.json()["flavor"] == "graph");
  CHECK(sim.stop() == 0);  // SIGTERM ends it cleanly
}
