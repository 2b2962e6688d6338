#pragma once
// The out-of-process provider: a Provider whose every call is a request to a plugin process
// (docs/plugin-protocol.md). The core talks to it exactly as to a built-in provider.

#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "reconciler/provider/plugin_process.hpp"
#include "reconciler/provider/protocol.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::plugin {

namespace protocol = provider::protocol;

// How to run a plugin: its command line and the name it is known by in messages.
struct PluginCommand {
  std::vector<std::string> argv;
  std::string provider;  // the target's provider: name
  // Variables set in the plugin's environment beside idform's own (tests tune providers so).
  std::map<std::string, std::string> environment;
  std::string record_file;  // where to record the session; empty: $IDFORM_PLUGIN_RECORD
};

// Deadlines: for the handshake, for silence while a request runs ($IDFORM_PLUGIN_TIMEOUT s), and
// for the answer to a request after `cancel` ($IDFORM_PLUGIN_CANCEL_TIMEOUT s), past which the
// plugin is killed.
struct PluginDeadlines {
  std::chrono::milliseconds handshake = std::chrono::seconds(10);
  std::chrono::milliseconds silence = std::chrono::seconds(600);
  std::chrono::milliseconds cancel = std::chrono::seconds(10);
  static PluginDeadlines from_environment();
};

// A started plugin after a successful handshake: what it said of itself, and its process.
struct StartedPlugin {
  protocol::PluginInfo info;
  std::unique_ptr<PluginProcess> process;
};

// Starts the plugin and does the handshake. `hidden_environment` are variables it must not see.
Result<StartedPlugin> start_plugin(const PluginCommand& command, const std::set<std::string>& hidden_environment = {},
                                   PluginDeadlines deadlines = PluginDeadlines::from_environment());

class PluginProvider final : public provider::Provider {
 public:
  PluginProvider(StartedPlugin plugin, PluginDeadlines deadlines);
  ~PluginProvider() override;

  // Sends configure with the target's settings and the values of the variables they name.
  Result<void> configure(const provider::TargetContext& context, const std::map<std::string, std::string>& secrets);

  std::string name() const override { return m_info.name; }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override;
  // A plugin that returns every user is asked for everything at once, and its answer is decoded
  // on a thread of its own while the config loads; the next plain read() takes that answer.
  void start_reading() override;
  bool reads_every_user() const override { return m_info.capabilities.reads_every_user; }
  bool reads_incrementally() const override { return m_info.capabilities.incremental_read; }
  std::string state_version() const override { return m_state_version; }
  std::string target_identity() const override { return m_target_identity; }
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override;
  Diagnostics check(const model::DesiredState& desired) const override;
  const protocol::PluginInfo& info() const { return m_info; }

 private:
  // Sends `message` as request N and returns the messages answering it, the last being the
  // answer (anything but progress and log, which go to `progress` and the log on their way).
  // Once `*cancelled` is set, sends `cancel` for N and waits for the answer until the cancel
  // deadline, then kills the plugin; either way the call fails as `cancelled` and so does every
  // later one, so nothing is applied after an interruption.
  Result<nlohmann::json> call(nlohmann::json message, util::Progress* progress,
                              const std::function<Result<void>(nlohmann::json&)>& on_stream = {},
                              const std::atomic<bool>* cancelled = nullptr) const;
  // Sends `cancel` for `request` and reads the rest of its answer within the cancel deadline.
  Result<nlohmann::json> finish_cancelled(long long request, const std::string& type) const;

  Result<provider::ReadResponse> read_now(const provider::ReadRequest& request);

  protocol::PluginInfo m_info;
  PluginDeadlines m_deadlines;
  std::string m_state_version, m_target_identity;  // from `configured`
  std::future<Result<provider::ReadResponse>> m_started;  // start_reading()'s read
  std::unique_ptr<PluginProcess> m_process;
  mutable std::mutex m_mutex;  // one request in flight (protocol version 1)
  mutable std::optional<Error> m_cancelled;  // set by a cancelled request: every later call fails so
  mutable long long m_next_request = 1;
  bool m_verbose = false;
};

// What the handshake's capabilities rule out in `desired`: kinds the plugin does not manage and
// fields it did not declare, one error per field at its source position.
Diagnostics capability_diagnostics(const protocol::PluginInfo& info, const model::DesiredState& desired);

// The names of the environment variables a target's settings name: every string value whose key
// ends in "_env", at any depth.
std::set<std::string> secret_variables(const nlohmann::json& settings);

}  // namespace idform::plugin
