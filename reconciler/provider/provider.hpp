#pragma once
// The provider interface: data in, data out.
//
// A provider reads the live tenant into model resources (references expressed by name) and
// applies one planned change at a time. Requests and responses are plain, JSON-serialisable
// structs so that adding a field breaks nobody and an out-of-process plugin can implement the
// same contract later. Reading never writes.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/provider/plugin_info.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/util/progress.hpp"
#include "reconciler/util/result.hpp"

namespace idform::provider {

// The version of this contract (the request and response structs below and what they mean). It
// changes when a change would break an existing provider; fields added with defaults do not change
// it. `idform version` reports it, and an external provider will be asked for it in its handshake.
inline constexpr int kProtocolVersion = 1;

struct ReadRequest {
  std::set<model::Kind> kinds;           // kinds to read (all four by default)
  std::vector<std::string> user_emails;  // users the config references, resolved in bulk
  // Where to report objects read, requests sent and waits (the CLI's status line); may be null.
  util::Progress* progress = nullptr;
  // Incremental reads (providers whose reads_incrementally() is true; docs/incremental.md):
  // the `saved_state` of an earlier read, to bring up to date from the vendor's change feeds
  // instead of reading everything; null for a full read.
  const nlohmann::json* baseline = nullptr;
  // Return ReadResponse::saved_state, so that the next read can start from it.
  bool keep_state = false;
  // Set when the user interrupts idform: stop at the next safe point and fail with an Error of
  // category `cancelled` (a plugin is sent `cancel`). May be null.
  const std::atomic<bool>* cancelled = nullptr;
};

struct ReadResponse {
  model::LiveState state;
  // With ReadRequest::keep_state, on providers that read incrementally: the raw state of this read
  // and the feed cursors that follow it. Never holds a secret; opaque to the core.
  nlohmann::json saved_state;
  // Whether the baseline was brought up to date (true) or the tenant was read in full.
  bool incremental = false;
  // Why a baseline given was not used (a cursor the vendor refused, a baseline of another shape).
  std::string full_read_reason;
  // Per kind, the values the provider fills in when nothing is said (spec form), so that import
  // can leave them out of the files it writes.
  std::map<model::Kind, nlohmann::json> defaults;
};

struct ApplyRequest {
  plan::Change change;
  // Every reference the change makes, resolved to a live id: "group:sales" -> "3b8e...",
  // "user:alice@acme.example" -> "...", including objects created earlier in the same apply.
  std::map<std::string, std::string> ids;
  // Where to report requests sent and waits while the change runs; may be null.
  util::Progress* progress = nullptr;
  // As ReadRequest::cancelled: a provider that sees it set before it writes fails with an Error of
  // category `cancelled` and changes nothing; one already writing may finish the change.
  const std::atomic<bool>* cancelled = nullptr;
};

// Whether `flag` (a request's `cancelled`) is set.
inline bool is_cancelled(const std::atomic<bool>* flag) { return flag && flag->load(); }
// The Error a provider returns for a request it stopped because it was cancelled.
inline Error cancelled_error(std::string doing) {
  Error error{"cancelled: " + std::move(doing) + " was stopped because idform was interrupted", {}, {}, {}};
  error.category = ErrorCategory::cancelled;
  return error;
}

struct ApplyResponse {
  std::string id;  // the object's id (new for creates)
};

// Everything a provider needs from its target entry in idform.yaml.
struct TargetContext {
  std::string target_name;
  nlohmann::json settings;  // the target's mapping from idform.yaml
  std::string config_root;  // directory of idform.yaml, for relative paths
  bool verbose = false;
};

class Provider {
 public:
  virtual ~Provider() = default;
  virtual std::string name() const = 0;
  virtual Result<ReadResponse> read(const ReadRequest& request) = 0;
  // A hint that read() will follow, called while the config is still loading: a provider that
  // can read without the request (the sandbox reads every user anyway) may start in the
  // background. The next read() returns what was current when the reading started.
  virtual void start_reading() {}
  // The same hint for providers that read incrementally: `baseline` is the cached state the
  // next read() will be given (the very object, ReadRequest::baseline), so the provider may start
  // bringing it up to date from the change feeds while the config loads. read() decides what to
  // use; a provider may ignore the hint. Called on a thread other than read()'s, before it.
  virtual void start_reading_from(std::shared_ptr<const nlohmann::json> baseline) { (void)baseline; }
  // Earlier still: the change-feed cursors of the cached state, known from the cache's header
  // before the state is parsed (read_cache.hpp), so that the feeds can be fetched meanwhile. The
  // provider must use what it fetched only for a baseline that holds these very cursors. Called
  // on a thread other than read()'s, before start_reading_from().
  virtual void start_feeds(const nlohmann::json& cursors) { (void)cursors; }
  // Whether read() returns every user of the tenant whatever ReadRequest::user_emails names
  // (the sandbox), so that the caller need not work out which users the config refers to.
  virtual bool reads_every_user() const { return false; }
  // Whether read() accepts ReadRequest::baseline and returns ReadResponse::saved_state.
  virtual bool reads_incrementally() const { return false; }
  // What a saved state is only valid for: the version of the provider's state format, and the
  // target it was read from (endpoint and tenant or org; never a credential).
  virtual std::string state_version() const { return ""; }
  virtual std::string target_identity() const { return ""; }
  virtual Result<ApplyResponse> apply(const ApplyRequest& request) = 0;
  // Config that this provider cannot express (a field with no mapping): one error per field.
  virtual Diagnostics check(const model::DesiredState&) const { return {}; }
};

using ProviderFactory = std::function<Result<std::unique_ptr<Provider>>(const TargetContext&)>;
// Checks a target's settings against the JSON Schema its provider supplies, reporting each problem
// where it was written in idform.yaml (the CLI's config::check_target_settings); empty: fine.
using SettingsCheck = std::function<Diagnostics(const nlohmann::json& schema)>;
// What Provider::check says, without creating the provider: no settings, secrets or network, so
// that `idform validate` can run it for every target of a config offline.
using CapabilityCheck = std::function<Diagnostics(const model::DesiredState&)>;

// Providers are registered by name ("local", "entra", "okta") by main, each with what it says of
// itself (capabilities, settings schema); the core never includes a provider header. A name with
// no built-in provider is a plugin (docs/plugin-protocol.md): the target's `plugin:` command, else
// `idform-provider-NAME` on PATH; a target with `plugin:` runs that command whatever its provider
// name.
class Registry {
 public:
  // `info` is what `idform provider serve NAME` says of the provider in its handshake; when
  // empty it declares every kind and field, and `check` answers whether it checks.
  void add(std::string name, ProviderFactory factory, CapabilityCheck check = {}, protocol::PluginInfo info = {});
  // `where` is the target's entry in idform.yaml. A plugin's settings are checked against the
  // schema of its handshake before `configure`, by `settings_check` when given (each problem at its
  // own line), else here (the problems listed under one error at `where`). A built-in provider's
  // settings were checked when idform.yaml was loaded (settings_schemas()).
  Result<std::unique_ptr<Provider>> create(const std::string& name, const TargetContext& context,
                                           const SourceLocation& where = {},
                                           const SettingsCheck& settings_check = {}) const;
  std::vector<std::string> names() const;
  bool is_built_in(const std::string& name) const { return m_factories.contains(name); }
  // The provider's capability check of `desired`; an error when the provider is unknown, nothing
  // when it registered no check. A plugin (see above) is started and asked, without settings.
  // With `settings_check`, a plugin's settings are also checked against its handshake's schema.
  Diagnostics check(const std::string& name, const model::DesiredState& desired,
                    const nlohmann::json& settings = nlohmann::json::object(), const std::string& config_root = ".",
                    const SettingsCheck& settings_check = {}) const;
  // The settings schema each built-in provider supplies (its handshake's), by name: what
  // idform.yaml's targets of those providers are checked against when it is loaded, with no
  // process started. Built-ins registered without one are not listed.
  std::map<std::string, nlohmann::json> settings_schemas() const;
  // A built-in provider as a plugin: its handshake description, factory and check.
  struct BuiltIn {
    protocol::PluginInfo info;
    ProviderFactory factory;
    CapabilityCheck check;
  };
  Result<BuiltIn> built_in(const std::string& name) const;

 private:
  std::map<std::string, ProviderFactory> m_factories;
  std::map<std::string, CapabilityCheck> m_checks;
  std::map<std::string, protocol::PluginInfo> m_infos;
};

}  // namespace idform::provider
