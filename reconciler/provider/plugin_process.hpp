#pragma once
// A plugin process as the host sees it: started without a shell, spoken to in JSON lines.
//
// The plugin runs in a process group of its own, so a Ctrl-C at the terminal reaches idform only,
// which passes it on as a `cancel` message (plugin_provider.hpp).
// stdin is one end of a socket pair (so a write to a plugin that died fails with EPIPE instead of
// raising SIGPIPE in idform), stdout a pipe read with a deadline, stderr a pipe whose lines a
// thread of its own passes to idform's stderr through redaction, prefixed with the plugin's name.
// Every failure — the process gone, silence past the deadline, a line that is not a JSON object —
// is an Error naming the plugin; after one the process is stopped and every later call fails.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::plugin {

class PluginProcess {
 public:
  // Starts argv[0] (searched on PATH when it has no '/') with `hidden_environment` removed from
  // the environment and `added_environment` set in it. `label` names the plugin in messages
  // ("plugin ldap (idform-provider-ldap)"). `record_file` replaces $IDFORM_PLUGIN_RECORD.
  static Result<std::unique_ptr<PluginProcess>> start(const std::vector<std::string>& argv, std::string label,
                                                      const std::set<std::string>& hidden_environment,
                                                      const std::map<std::string, std::string>& added_environment = {},
                                                      const std::string& record_file = {});
  ~PluginProcess();
  PluginProcess(const PluginProcess&) = delete;
  PluginProcess& operator=(const PluginProcess&) = delete;

  Result<void> send(const nlohmann::json& message);
  // The next message; fails when none arrives within `deadline` or the plugin breaks the protocol.
  Result<nlohmann::json> receive(std::chrono::milliseconds deadline);
  // The same, but nullopt as soon as `*stop_waiting` is set (looked at every 100 ms): how a
  // request's wait is cut short when the user interrupts idform. May be null.
  Result<std::optional<nlohmann::json>> receive_unless(std::chrono::milliseconds deadline,
                                                       const std::atomic<bool>* stop_waiting);
  // Sends shutdown, waits up to `grace` for the exit, then kills. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // Kills at once (after a failure) and reaps the process.
  void kill_now();

  const std::string& label() const { return m_label; }
  // The first failure, after which nothing more is sent or received.
  const std::optional<Error>& failure() const { return m_failure; }

 private:
  PluginProcess() = default;
  std::unexpected<Error> broken(std::string summary, std::string detail = {});
  // How the process ended ("exited with status 3", "was killed by signal 11 (Segmentation fault)"),
  // waiting up to `wait` for it.
  std::string exit_description(std::chrono::milliseconds wait);

  std::string m_label;
  int m_pid = -1;
  int m_stdin = -1;
  int m_stdout = -1;
  // Appends one line per message, {"from": "host"|"plugin", "message": ...}, redacted, to the
  // file $IDFORM_PLUGIN_RECORD names (for plugin authors and the protocol's tests).
  void record(std::string_view from, std::string_view line);

  // Bytes read from stdout; those before m_consumed were returned as messages already (they are
  // dropped when more is read, not after every message, which would move the rest each time).
  std::string m_buffer;
  std::size_t m_consumed = 0;
  std::string m_record_file;
  std::optional<Error> m_failure;
  bool m_reaped = false;
  std::jthread m_stderr_reader;
};

}  // namespace idform::plugin
