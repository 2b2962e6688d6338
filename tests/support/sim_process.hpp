#pragma once
// Starts a real idp-sim process for a test and stops it when the object goes out of scope.
//
//   idform::testing::SimProcess sim({.flavor = "graph", .seed_dir = dir, .extra_args = {"--client", "a:s"}});
//   auto response = idform::testing::http_get(sim.base_url() + "/v1.0/groups", {{"Authorization", ...}});
//   CHECK(sim.stats()["requests"]["GET /groups"] == 1);
//
// The simulator runs with `--port 0`; its first stdout line ("idp-sim listening on
// http://127.0.0.1:PORT") gives the port. Its stderr goes to a temporary file (log()).
// Header-only; IDP_SIM_BINARY (set by CMake) is the default binary.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/sim_http.hpp"

namespace idform::testing {

// IDFORM_TEST_SIM_TLS=1 asks the test set-ups that read it to start idp-sim with --tls.
inline bool sim_tls_requested() {
  const char* value = std::getenv("IDFORM_TEST_SIM_TLS");
  return value && std::string(value) == "1";
}

struct SimProcessOptions {
  std::string flavor = "graph";
  std::string seed_dir;                 // empty: no --seed
  std::vector<std::string> extra_args;  // any other idp-sim options
  bool tls = false;                     // --tls: https, with the generated authority in ca_file()
#ifdef IDP_SIM_BINARY
  std::string binary = IDP_SIM_BINARY;
#else
  std::string binary;
#endif
  // Only a sim that never starts waits this long. Loading the 17 MB seed of the Entra scale tests
  // takes a Release idp-sim under a second of CPU but an AddressSanitizer (-O0) one about nine,
  // and two such tests run at once under `ctest -j2`: 15 s was not enough there.
  std::chrono::milliseconds start_timeout{60000};
};

class SimProcess {
public:
  explicit SimProcess(SimProcessOptions options) : m_options(std::move(options)) { start(); }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;
  ~SimProcess() { stop(); }

  int port() const { return m_port; }
  std::string base_url() const { return (m_options.tls ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(m_port); }
  // The authority idp-sim generated with tls (trust it with CURLOPT_CAINFO); "" without tls.
  std::string ca_file() const { return m_options.tls ? m_log_path + ".ca.pem" : std::string(); }
  const std::string& flavor() const { return m_options.flavor; }
  const std::string& seed_dir() const { return m_options.seed_dir; }
  pid_t pid() const { return m_pid; }
  // Everything the simulator wrote to stderr so far.
  std::string log() const {
    std::ifstream in(m_log_path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  bool running() const { return m_pid > 0 && ::kill(m_pid, 0) == 0; }

  // Admin endpoints (no auth, no throttling, no faults).
  nlohmann::json stats() const { return admin("GET", "/_sim/stats"); }
  nlohmann::json state() const { return admin("GET", "/_sim/state"); }
  nlohmann::json info() const { return admin("GET", "/_sim/info"); }
  void reset(bool state = false) const { admin("POST", state ? "/_sim/reset?state=true" : "/_sim/reset"); }
  // Empties the tenant and loads it from `seed_dir`, which becomes the seed reset() returns to.
  void reseed(const std::string& seed_dir) const {
    std::string encoded;
    for (unsigned char c : seed_dir) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
        encoded += static_cast<char>(c);
      } else {
        static const char* kHex = "0123456789ABCDEF";
        encoded += '%';
        encoded += kHex[c >> 4];
        encoded += kHex[c & 15];
      }
    }
    admin("POST", "/_sim/reset?state=true&seed=" + encoded);
  }
  // Moves the simulator's virtual clock forward (rate-limit windows, consistency delays).
  void advance_clock(double vendor_seconds) const {
    admin("POST", "/_sim/clock?advance=" + std::to_string(vendor_seconds));
  }

  // Lets `allowed` more writes through, then holds later ones unanswered (/_sim/hold-writes);
  // release_writes() discards what was held and lifts the hold.
  void hold_writes(int allowed) const { admin("POST", "/_sim/hold-writes?after=" + std::to_string(allowed)); }
  void release_writes() const { admin("POST", "/_sim/hold-writes?release=true"); }

  // Stops the process (SIGTERM, then SIGKILL after 3 s). Returns its exit status (-1 if killed).
  int stop() {
    if (m_pid <= 0) return m_exit_status;
    ::kill(m_pid, SIGTERM);
    for (int i = 0; i < 300; ++i) {
      int status = 0;
      pid_t done = ::waitpid(m_pid, &status, WNOHANG);
      if (done == m_pid) {
        m_exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        m_pid = -1;
        std::remove(m_log_path.c_str());
        std::remove((m_log_path + ".ca.pem").c_str());
        return m_exit_status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
    std::remove(m_log_path.c_str());
    std::remove((m_log_path + ".ca.pem").c_str());
    return -1;
  }

private:
  nlohmann::json admin(const std::string& method, const std::string& path) const {
    HttpResponse response = http_send(HttpRequest{method, base_url() + path, {}, "", 15000, ca_file()});
    if (!response.ok() || response.status != 200) {
      throw std::runtime_error("idp-sim admin " + method + " " + path + " failed: " +
                               (response.ok() ? std::to_string(response.status) : response.error_text));
    }
    return response.json();
  }

  void start() {
    if (m_options.binary.empty()) throw std::runtime_error("SimProcess: no idp-sim binary (IDP_SIM_BINARY unset)");
    char log_template[] = "/tmp/idp-sim-log-XXXXXX";
    int log_fd = ::mkstemp(log_template);
    if (log_fd < 0) throw std::runtime_error("SimProcess: cannot create a log file");
    m_log_path = log_template;
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("SimProcess: pipe failed");

    std::vector<std::string> args = {m_options.binary, "--flavor", m_options.flavor, "--port", "0"};
    if (!m_options.seed_dir.empty()) {
      args.push_back("--seed");
      args.push_back(m_options.seed_dir);
    }
    args.insert(args.end(), m_options.extra_args.begin(), m_options.extra_args.end());
    if (m_options.tls) {
      args.insert(args.end(), {"--tls", "--tls-ca-file", m_log_path + ".ca.pem"});
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);

    m_pid = ::fork();
    if (m_pid < 0) throw std::runtime_error("SimProcess: fork failed");
    if (m_pid == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(log_fd, STDERR_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      ::close(log_fd);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
    ::close(out[1]);
    ::close(log_fd);

    std::string line;
    auto deadline = std::chrono::steady_clock::now() + m_options.start_timeout;
    while (line.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd descriptor{out[0], POLLIN, 0};
      if (::poll(&descriptor, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[256];
      ssize_t count = ::read(out[0], buffer, sizeof buffer);
      if (count <= 0) break;
      line.append(buffer, static_cast<std::size_t>(count));
    }
    ::close(out[0]);
    const std::string marker = m_options.tls ? "listening on https://" : "listening on http://";
    auto at = line.find(marker);
    auto end_of_line = line.find('\n');
    auto colon = at == std::string::npos ? std::string::npos : line.rfind(':', end_of_line);  // after [::1] too
    if (colon == std::string::npos) {
      std::string captured = log();
      stop();
      throw std::runtime_error("idp-sim did not start (first stdout line: '" + line + "'); stderr: " + captured);
    }
    m_port = std::stoi(line.substr(colon + 1));
  }

  SimProcessOptions m_options;
  pid_t m_pid = -1;
  int m_port = 0;
  int m_exit_status = -1;
  std::string m_log_path;
};

}  // namespace idform::testing
