#pragma once
// Runs a program to completion for end-to-end tests: arguments, extra environment and stdin in;
// exit code, stdout and stderr out. Header-only so every test file can use it.

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace idform::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to completion. With `ready`, sends `signal_number` once `ready()` holds (asked every
// 20 ms while the program runs), as a user pressing Ctrl-C at that moment would; a program still
// running `give_up` after the signal is killed, so a test cannot hang (not a timing check).
inline ProcessResult run_process_signalled(const std::vector<std::string>& argv,
                                           const std::map<std::string, std::string>& env,
                                           const std::function<bool()>& ready, int signal_number = SIGINT,
                                           std::chrono::seconds give_up = std::chrono::seconds(120),
                                           const std::string& input = {}) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0 || pipe(in_pipe) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], in_pipe[0], in_pipe[1]}) close(fd);
    for (const auto& [key, value] : env) setenv(key.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(in_pipe[0]);
  if (!input.empty()) {
    ssize_t ignored = write(in_pipe[1], input.data(), input.size());
    (void)ignored;
  }
  close(in_pipe[1]);
  ProcessResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_count = 2;
  char buffer[65536];
  bool signalled = false;
  std::chrono::steady_clock::time_point signalled_at;
  while (open_count > 0) {
    if (ready && !signalled && ready()) {
      kill(pid, signal_number);
      signalled = true;
      signalled_at = std::chrono::steady_clock::now();
    }
    if (signalled && std::chrono::steady_clock::now() - signalled_at > give_up) kill(pid, SIGKILL);
    int polled = poll(fds, 2, ready ? 20 : -1);
    if (polled < 0) break;
    if (polled == 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
        continue;
      }
      (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

inline ProcessResult run_process(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env = {}, const std::string& input = {}) {
  return run_process_signalled(argv, env, {}, SIGINT, std::chrono::seconds(120), input);
}

}  // namespace idform::testing
