// Starting a plugin process and exchanging JSON lines with it under deadlines (plugin_process.hpp).

#include "reconciler/provider/plugin_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "reconciler/util/log_line.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

extern char** environ;

namespace idform::plugin {

namespace {

constexpr std::size_t kMaxLine = 256u << 20;  // a message longer than this is not a protocol message

std::vector<std::string> environment_without(const std::set<std::string>& hidden,
                                             const std::map<std::string, std::string>& added) {
  std::vector<std::string> out;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    std::string name(text.substr(0, text.find('=')));
    if (!hidden.contains(name) && !added.contains(name)) out.emplace_back(text);
  }
  for (const auto& [name, value] : added) out.push_back(name + "=" + value);
  return out;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Passes the plugin's stderr to ours a line at a time, redacted, until it closes or we stop.
void relay_stderr(std::stop_token stop, int fd, std::string label) {
  std::string pending;
  char chunk[4096];
  while (!stop.stop_requested()) {
    pollfd watch{fd, POLLIN, 0};
    int ready = ::poll(&watch, 1, 100);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    pending.append(chunk, static_cast<std::size_t>(got));
    for (std::size_t end; (end = pending.find('\n')) != std::string::npos; pending.erase(0, end + 1))
      util::log_line(label, util::redact(pending.substr(0, end)));
  }
  if (!pending.empty()) util::log_line(label, util::redact(pending));
  ::close(fd);
}

}  // namespace

Result<std::unique_ptr<PluginProcess>> PluginProcess::start(const std::vector<std::string>& argv, std::string label,
                                                            const std::set<std::string>& hidden_environment,
                                                            const std::map<std::string, std::string>& added_environment,
                                                            const std::string& record_file) {
  if (argv.empty() || argv.front().empty()) return fail(label + ": no program to run");
  int input[2], output[2], errors[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, input) != 0)
    return fail(label + ": could not create its input: " + std::strerror(errno));
  if (::pipe2(output, O_CLOEXEC) != 0 || ::pipe2(errors, O_CLOEXEC) != 0) {
    ::close(input[0]);
    ::close(input[1]);
    return fail(label + ": could not create its output pipes: " + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // A process group of its own: a terminal's Ctrl-C reaches idform, which sends `cancel`.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawn_file_actions_adddup2(&actions, input[1], 0);
  posix_spawn_file_actions_adddup2(&actions, output[1], 1);
  posix_spawn_file_actions_adddup2(&actions, errors[1], 2);
  std::vector<std::string> environment = environment_without(hidden_environment, added_environment);
  std::vector<char*> env_pointers, arg_pointers;
  for (std::string& entry : environment) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);
  pid_t pid = -1;
  int spawned =
      ::posix_spawnp(&pid, args.front().c_str(), &actions, &attributes, arg_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(input[1]);
  ::close(output[1]);
  ::close(errors[1]);
  if (spawned != 0) {
    ::close(input[0]);
    ::close(output[0]);
    ::close(errors[0]);
    return fail(label + ": could not start " + argv.front() + ": " + std::strerror(spawned));
  }
  std::unique_ptr<PluginProcess> process(new PluginProcess());
  process->m_label = std::move(label);
  process->m_pid = pid;
  process->m_stdin = input[0];
  process->m_stdout = output[0];
  process->m_record_file = record_file.empty() ? util::environment_variable("IDFORM_PLUGIN_RECORD") : record_file;
  process->m_stderr_reader = std::jthread(relay_stderr, errors[0], process->m_label);
  return process;
}

PluginProcess::~PluginProcess() {
  stop(std::chrono::seconds(5));
  m_stderr_reader.request_stop();
}

std::unexpected<Error> PluginProcess::broken(std::string summary, std::string detail) {
  Error error{m_label + " " + std::move(summary), std::move(detail), {}, {}};
  if (!m_failure) m_failure = error;
  kill_now();
  return std::unexpected(error);
}

std::string PluginProcess::exit_description(std::chrono::milliseconds wait) {
  // Real time on purpose, not util::Clock: this waits for a real process to end.
  auto until = std::chrono::steady_clock::now() + wait;
  int status = 0;
  while (!m_reaped) {
    pid_t done = ::waitpid(m_pid, &status, WNOHANG);
    if (done == m_pid) {
      m_reaped = true;
      if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
      if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
      return "ended";
    }
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() >= until) return "closed its output";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return "ended";
}

void PluginProcess::record(std::string_view from, std::string_view line) {
  if (m_record_file.empty()) return;
  std::ofstream out(m_record_file, std::ios::app);
  out << "{\"from\":\"" << from << "\",\"message\":" << util::redact(line) << "}\n";
}

Result<void> PluginProcess::send(const nlohmann::json& message) {
  if (m_failure) return std::unexpected(*m_failure);
  std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  record("host", line.substr(0, line.size() - 1));
  std::size_t sent = 0;
  while (sent < line.size()) {
    ssize_t wrote = ::send(m_stdin, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) return broken(exit_description(std::chrono::seconds(1)) + " while idform was writing to it");
    sent += static_cast<std::size_t>(wrote);
  }
  return {};
}

Result<nlohmann::json> PluginProcess::receive(std::chrono::milliseconds deadline) {
  auto message = IDFORM_TRY(receive_unless(deadline, nullptr));
  return std::move(*message);
}

Result<std::optional<nlohmann::json>> PluginProcess::receive_unless(std::chrono::milliseconds deadline,
                                                                    const std::atomic<bool>* stop_waiting) {
  if (m_failure) return std::unexpected(*m_failure);
  // Real time on purpose, not util::Clock: this deadline bounds a real process, watched with poll(2).
  auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (std::size_t end = m_buffer.find('\n', m_consumed); end != std::string::npos) {
      std::string_view line(m_buffer.data() + m_consumed, end - m_consumed);
      m_consumed = end + 1;
      if (line.empty()) continue;
      nlohmann::json message = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
      if (message.is_discarded() || !message.is_object() || !message.contains("type") || !message["type"].is_string())
        return broken("wrote something that is not a protocol message",
                      "it wrote: " + util::redact(std::string(line.substr(0, 200))) + (line.size() > 200 ? "..." : ""));
      record("plugin", line);
      return std::optional<nlohmann::json>(std::move(message));
    }
    if (m_buffer.size() - m_consumed > kMaxLine)
      return broken("wrote a line longer than 256 MiB, which is not a protocol message");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return broken("did not answer within " + std::to_string(deadline.count() / 1000) + " s and was stopped",
                    "a plugin must send a message (progress will do) at least that often while it works; "
                    "IDFORM_PLUGIN_TIMEOUT sets the deadline in seconds");
    if (stop_waiting && stop_waiting->load()) return std::nullopt;
    pollfd watch{m_stdout, POLLIN, 0};
    int ready = ::poll(&watch, 1, static_cast<int>(std::min<long long>(left.count(), stop_waiting ? 100 : 1000)));
    if (ready < 0 && errno != EINTR) return broken(std::string("could not be read: ") + std::strerror(errno));
    if (ready <= 0) continue;
    char chunk[65536];
    ssize_t got = ::read(m_stdout, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      std::string how = exit_description(std::chrono::seconds(2));
      return broken(how + (m_buffer.size() == m_consumed ? "" : " in the middle of a message") +
                    " while idform waited for an answer");
    }
    m_buffer.erase(0, m_consumed);
    m_consumed = 0;
    m_buffer.append(chunk, static_cast<std::size_t>(got));
  }
}

void PluginProcess::stop(std::chrono::milliseconds grace) {
  if (m_pid <= 0 || m_reaped) {
    close_fd(m_stdin);
    close_fd(m_stdout);
    return;
  }
  if (!m_failure) {
    std::string line = "{\"type\":\"shutdown\"}\n";
    (void)::send(m_stdin, line.data(), line.size(), MSG_NOSIGNAL);
  }
  close_fd(m_stdin);
  // Real time on purpose, not util::Clock: the grace is a real process's time to exit.
  auto until = std::chrono::steady_clock::now() + grace;
  int status = 0;
  while (std::chrono::steady_clock::now() < until) {
    pid_t done = ::waitpid(m_pid, &status, WNOHANG);
    if (done == m_pid || (done < 0 && errno != EINTR)) {
      m_reaped = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill_now();
}

void PluginProcess::kill_now() {
  if (m_pid > 0 && !m_reaped) {
    ::kill(m_pid, SIGKILL);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_reaped = true;
  }
  close_fd(m_stdin);
  close_fd(m_stdout);
}

}  // namespace idform::plugin
