#pragma once
// The sandbox provider: the embedded default target, so idform works offline.
//
// The "live tenant" is a JSON file (default `.idform/sandbox.json` in the config repository)
// holding a user directory and the four kinds, each object with an id. Like a real IdP it stores
// references by id, so renames are real renames; reading translates ids to names. Each applied
// change is appended to a journal next to the file (sandbox_journal.hpp) and the file is rewritten
// atomically (write to a temporary file, then rename) once, when the provider is done; reading
// replays a journal left by an interrupted apply. A lock beside the file (sandbox_lock.hpp) makes
// concurrent commands on one sandbox take turns. The file format is documented in
// docs/providers/local.md.

#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>

#include "providers/local/sandbox_journal.hpp"
#include "providers/local/sandbox_lock.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::providers {

class LocalProvider final : public provider::Provider {
 public:
  explicit LocalProvider(std::filesystem::path file);
  // Writes the journalled changes into the tenant file.
  ~LocalProvider() override;

  std::string name() const override { return "local"; }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override;
  // Reads the whole tenant on a thread of its own; the next read() takes the result.
  void start_reading() override;
  bool reads_every_user() const override { return true; }
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override;

 private:
  Result<void> load();
  // Every object of every kind, references named.
  Result<provider::ReadResponse> read_all();
  Result<void> pause_if_asked(const std::string& fault, const std::string& address, const std::atomic<bool>* cancelled);
  Result<void> save();
  // Makes one applied change durable: a journal entry, or a full save when there is no file yet
  // or someone replaced it since it was read.
  Result<void> record(const nlohmann::json& entry);
  std::string new_id(model::Kind kind);
  // $IDFORM_SANDBOX_LOCK_WAIT_MS, else a minute.
  static std::chrono::milliseconds lock_wait();

  std::filesystem::path m_file;
  SandboxLock m_lock;  // taken by the first load(), held until the provider is gone
  nlohmann::json m_tenant;
  SandboxJournal m_journal;
  std::optional<FileIdentity> m_base;  // the file as last read or written
  bool m_loaded = false;
  std::mutex m_mutex;
  // Last, so that it is destroyed (waiting for the reading) before what the reading uses.
  std::future<Result<provider::ReadResponse>> m_started;
};

// The factory registered as "local": reads `path` from the target settings.
Result<std::unique_ptr<provider::Provider>> make_local_provider(const provider::TargetContext& context);
// What `idform provider serve local` says of the sandbox in its handshake.
provider::protocol::PluginInfo local_plugin_info();

}  // namespace idform::providers
