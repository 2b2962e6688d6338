// idp-sim's program behind main(): options, seed, server, exit code.
#include "core/run.hpp"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "core/flavor.hpp"
#include "core/seed_files.hpp"
#include "core/server.hpp"

namespace idp_sim {

namespace {

const std::vector<OptionSpec>* flavor_specs(const std::string& name) {
  const FlavorInfo* flavor = find_flavor(name);
  return flavor ? &flavor->options : nullptr;
}

std::string usage() {
  std::string text = common_usage();
  for (const auto& flavor : registered_flavors()) {
    text += "\n--flavor " + flavor.name + ": " + flavor.description + "\n" + format_option_specs(flavor.options);
  }
  text += "\nAdmin endpoints (no auth, no throttling): GET /_sim/stats, GET /_sim/state, GET /_sim/info,\n"
          "POST /_sim/reset[?state=true], POST /_sim/clock?advance=SECONDS,\n"
          "POST /_sim/hold-writes?after=N|release=true\n";
  return text;
}

// The generated authority goes to --tls-ca-file, or to a new file in $TMPDIR that nobody else
// can have prepared (mkstemp).
TlsMaterial tls_material(const SimOptions& options) {
  if (!options.tls_cert_file.empty()) return load_tls_material(options.tls_cert_file, options.tls_key_file);
  std::string ca_file = options.tls_ca_file;
  if (ca_file.empty()) {
    const char* directory = std::getenv("TMPDIR");
    std::string pattern = std::string(directory && *directory ? directory : "/tmp") + "/idp-sim-ca-XXXXXX.pem";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = ::mkstemps(name.data(), 4);
    if (fd < 0) throw std::runtime_error("--tls: cannot create a file for the CA certificate in " + pattern);
    ::close(fd);
    ca_file = name.data();
  }
  return generate_tls_material(ca_file);
}

}  // namespace

int run_main(int argc, char** argv) {
  bool help = false;
  SimOptions options;
  try {
    options = parse_options(argc, argv, &flavor_specs, help);
  } catch (const OptionError& error) {
    std::cerr << "idp-sim: " << error.what() << "\n\n" << usage();
    return 2;
  }
  if (help) {
    std::cout << usage();
    return 0;
  }

  // Signals are handled by one thread with sigwait; block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::mutex log_mutex;
  SimClock clock(options.time_scale);
  Stats stats;
  FlavorContext context{options, clock, stats, [&log_mutex](const std::string& line) {
                          std::lock_guard lock(log_mutex);
                          std::cerr << "idp-sim: " << line << "\n";
                        }};
  const FlavorInfo* info = find_flavor(options.flavor);
  std::unique_ptr<Flavor> flavor;
  try {
    flavor = info->create(context);
    for (const auto& directory : options.seed_dirs) flavor->load_seed(directory);
  } catch (const std::exception& error) {
    std::cerr << "idp-sim: " << error.what() << "\n";
    return 2;
  }

  std::optional<TlsMaterial> tls;
  std::unique_ptr<SimServer> server_holder;
  int port = 0;
  try {
    if (options.tls) tls = tls_material(options);
    server_holder = std::make_unique<SimServer>(options, clock, stats, *flavor, tls ? &*tls : nullptr);
    port = server_holder->bind();
  } catch (const std::exception& error) {
    std::cerr << "idp-sim: " << error.what() << "\n";
    return 2;
  }
  SimServer& server = *server_holder;
  std::string shown_host = options.host == "::1" ? "[::1]" : options.host;
  std::cout << "idp-sim listening on " << (tls ? "https" : "http") << "://" << shown_host << ":" << port << "\n";
  if (tls && !tls->ca_file.empty()) std::cout << "idp-sim CA certificate: " << tls->ca_file << "\n";
  std::cout << std::flush;

  // httplib ignores stop() until its accept loop is running, and a test may send SIGTERM before
  // that (it then waited forever): the signal thread waits for the loop, or for run() to fail.
  std::atomic<bool> finished{false};
  std::thread signal_thread([&server, &finished, signals]() {
    int received = 0;
    sigwait(&signals, &received);
    while (!finished) {
      if (server.running()) {
        server.stop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  server.run();
  finished = true;
  // run() also returns if the server failed; make sure the signal thread can finish.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  return 0;
}

}  // namespace idp_sim
