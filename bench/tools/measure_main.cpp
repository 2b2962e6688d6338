// bench-measure: runs one command and records what it cost, as JSON.
//
//   bench-measure --out FILE [--stdout FILE] [--stderr FILE] [--cwd DIR] [--env NAME=VALUE]... -- CMD ARGS...
//
// Wall time from a steady clock around fork/exec/wait; user and system CPU time and peak
// resident set size from wait4()'s rusage of that child (so a benchmark needs neither GNU time
// nor a shell). The exit code of bench-measure is the command's.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

struct Options {
  std::string out, stdout_file, stderr_file, cwd;
  std::vector<std::string> env;
  std::vector<std::string> command;
};

int usage(const std::string& problem) {
  std::cerr << "bench-measure: " << problem << "\n"
            << "usage: bench-measure --out FILE [--stdout FILE] [--stderr FILE] [--cwd DIR] [--env NAME=VALUE]... -- CMD...\n";
  return 2;
}

void redirect(const std::string& file, int fd) {
  if (file.empty()) return;
  int target = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (target < 0) _exit(126);
  dup2(target, fd);
  close(target);
}

double seconds(const timeval& value) { return static_cast<double>(value.tv_sec) + value.tv_usec / 1e6; }

}  // namespace

int main(int argc, char** argv) {
  Options options;
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) return usage(arg + " needs a value");
    std::string value = argv[++i];
    if (arg == "--out") options.out = value;
    else if (arg == "--stdout") options.stdout_file = value;
    else if (arg == "--stderr") options.stderr_file = value;
    else if (arg == "--cwd") options.cwd = value;
    else if (arg == "--env") options.env.push_back(value);
    else return usage("unknown option " + arg);
  }
  for (; i < argc; ++i) options.command.push_back(argv[i]);
  if (options.out.empty() || options.command.empty()) return usage("--out and a command are required");

  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) return usage(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    redirect(options.stdout_file, 1);
    redirect(options.stderr_file, 2);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    for (const auto& assignment : options.env) {
      auto eq = assignment.find('=');
      if (eq != std::string::npos) setenv(assignment.substr(0, eq).c_str(), assignment.substr(eq + 1).c_str(), 1);
    }
    std::vector<char*> args;
    for (auto& arg : options.command) args.push_back(arg.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage_of_child{};
  if (wait4(pid, &status, 0, &usage_of_child) < 0) return usage(std::string("wait4: ") + std::strerror(errno));
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

  nlohmann::json result = {{"command", options.command},
                           {"exit_code", exit_code},
                           {"wall_seconds", wall},
                           {"user_seconds", seconds(usage_of_child.ru_utime)},
                           {"system_seconds", seconds(usage_of_child.ru_stime)},
                           {"cpu_seconds", seconds(usage_of_child.ru_utime) + seconds(usage_of_child.ru_stime)},
                           {"max_rss_kb", usage_of_child.ru_maxrss}};
  std::ofstream(options.out) << result.dump(1) << "\n";
  return exit_code;
}
