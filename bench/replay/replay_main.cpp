// bench-replay: issues against idp-sim the requests a Terraform provider makes to refresh the
// resources of a state that manages the same tenant, with Terraform's default parallelism (10
// resources refreshed at a time), and writes what it took as JSON.
//
//   bench-replay --flavor graph|okta --base URL --state FILE --out FILE
//                [--parallelism 10] [--time-scale S] [--tenant ID --client-id ID --client-secret S] [--token T]

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "bench/replay/replay.hpp"

namespace {

struct Options {
  std::string flavor, base, state, out, tenant, client_id, client_secret, token;
  int parallelism = 10;
  double time_scale = 1.0;
};

int usage(const std::string& problem) {
  std::cerr << "bench-replay: " << problem << "\n"
            << "usage: bench-replay --flavor graph|okta --base URL --state FILE --out FILE [--parallelism N]\n"
            << "                    [--time-scale S] [--tenant ID --client-id ID --client-secret S] [--token T]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bench::replay;
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return usage(arg + " needs a value");
    std::string value = argv[++i];
    if (arg == "--flavor") options.flavor = value;
    else if (arg == "--base") options.base = value;
    else if (arg == "--state") options.state = value;
    else if (arg == "--out") options.out = value;
    else if (arg == "--parallelism") options.parallelism = std::max(1, std::stoi(value));
    else if (arg == "--time-scale") options.time_scale = std::stod(value);
    else if (arg == "--tenant") options.tenant = value;
    else if (arg == "--client-id") options.client_id = value;
    else if (arg == "--client-secret") options.client_secret = value;
    else if (arg == "--token") options.token = value;
    else return usage("unknown option " + arg);
  }
  if (options.base.empty() || options.state.empty() || options.out.empty()) return usage("--base, --state and --out are required");
  std::ifstream state_file(options.state);
  auto state = nlohmann::json::parse(state_file, nullptr, false);
  if (state.is_discarded()) return usage("cannot read " + options.state);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  ClientSettings settings;
  settings.base_url = options.base;
  settings.time_scale = options.time_scale;
  Pattern pattern;
  if (options.flavor == "graph") {
    settings.retry = RetryStyle::graph_retry_after;
    pattern = azuread_pattern(state, settings, options.tenant, options.client_id, options.client_secret);
  } else if (options.flavor == "okta") {
    settings.retry = RetryStyle::okta_rate_limit_reset;
    pattern = okta_pattern(state, settings, options.token);
  } else {
    return usage("--flavor must be graph or okta");
  }

  Recorder recorder;
  auto start = std::chrono::steady_clock::now();
  try {
    if (pattern.prepare) {
      Client client(settings, recorder);
      pattern.prepare(client);
    }
  } catch (const std::exception& error) {
    std::cerr << "bench-replay: " << error.what() << "\n";
    return 1;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < options.parallelism; ++w) {
    workers.emplace_back([&] {
      Client client(settings, recorder);
      for (std::size_t i = next++; i < pattern.tasks.size(); i = next++) pattern.tasks[i](client);
    });
  }
  for (auto& worker : workers) worker.join();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::json result = recorder.to_json();
  result["flavor"] = options.flavor;
  result["parallelism"] = options.parallelism;
  result["time_scale"] = options.time_scale;
  result["resources"] = pattern.tasks.size();
  result["wall_seconds"] = wall;
  result["notes"] = pattern.notes;
  std::ofstream(options.out) << result.dump(1) << "\n";
  curl_global_cleanup();
  return 0;
}
