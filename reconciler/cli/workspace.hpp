#pragma once
// The steps every command shares: load the config, pick the target, create its provider, and
// make the plan through the engine (engine/make_plan.hpp).

#include <chrono>
#include <future>
#include <memory>
#include <ostream>
#include <optional>
#include <string>

#include "reconciler/cli/apply_lock.hpp"
#include "reconciler/cli/cli.hpp"
#include "reconciler/cli/options.hpp"
#include "reconciler/cli/progress_display.hpp"
#include "reconciler/config/loader.hpp"
#include "reconciler/engine/make_plan.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::cli {

// plan and drift: how the snapshot cache of incremental reads is used (docs/incremental.md).
struct ReadCacheSettings {
  bool enabled = false;          // only plan and drift read through the cache
  std::string refresh = "auto";  // auto | full | incremental
  std::chrono::seconds max_age{7 * 24 * 3600};
  std::string file;               // the target's cache file
  std::ostream* notes = nullptr;  // where "read in full because ..." goes; null: nowhere
};

// The snapshot cache as read for a plan or drift: early, while the config loads
// (open_workspace), or by read_through_cache itself.
struct CacheRead {
  std::shared_ptr<const nlohmann::json> state;    // the saved state, when the cache can be used
  std::string reason;                             // otherwise, why not
  std::string written_at;                         // when the usable cache was written
  std::chrono::system_clock::time_point read_at;  // when this read began (the new cache's time)
};

struct Workspace {
  // `apply` only: held from before the provider exists until after it is gone (apply_lock.hpp).
  std::optional<ApplyLock> apply_lock;
  config::LoadedConfig config;
  config::Target target;
  std::unique_ptr<provider::Provider> provider;
  int expiring_within_days = 14;  // --expiring-within
  ReadCacheSettings cache;
  // The cache read that open_workspace started while the config loaded; read_through_cache waits.
  std::future<Result<CacheRead>> cache_read;
  // The new cache being written beside the plan (read_through_cache); finish_cache_write waits.
  std::future<Result<void>> cache_write;
  // Progress on stderr while the tenant is read or changed; null with --quiet or once stopped.
  std::unique_ptr<ProgressDisplay> progress_display;
  util::Progress* progress() { return progress_display ? progress_display->progress() : nullptr; }
  // Ends the progress display (erasing a terminal's status line) before results are printed.
  void stop_progress() { progress_display.reset(); }
};

using PlanRun = engine::PlanRun;

// The config directory: `start` when it holds idform.yaml, else the nearest directory above it
// that does; an error when none does (nothing is read then).
Result<std::string> find_config_dir(const std::string& start);

// Finds the config directory from `start`, then loads and validates the config; prints every
// diagnostic to io.err. Fails when there were any.
// `project_ready` and `settings_schemas` (the built-in providers', Registry::settings_schemas) as
// config::load_config takes them.
Result<config::LoadedConfig> load_checked(const std::string& dir, Io& io,
                                          const config::ProjectReady& project_ready = {},
                                          const config::SettingsSchemas& settings_schemas = {});
// Checks a target's settings against a plugin's schema for Registry::create and check: each
// problem where it was written, also printed to io.err when `print` (the caller's error then
// only sums them up).
provider::SettingsCheck settings_check(const config::Target& target, Io& io, bool print);
// Also starts the progress display unless --quiet.
// With `project_only`, only idform.yaml is read (import: the objects are what it writes).
Result<Workspace> open_workspace(const Options& options, const provider::Registry& registry, Io& io,
                                 bool project_only = false);
// Reads through the snapshot cache when workspace.cache is enabled and the provider reads
// incrementally (cached_read.cpp); a plain read otherwise.
// The new cache is written on a thread of its own while the plan is made; finish_cache_write
// waits for it and notes on stderr when it could not be written.
Result<provider::ReadResponse> read_through_cache(Workspace& workspace, provider::ReadRequest request);
void finish_cache_write(Workspace& workspace);
// How plan and drift use the cache of `target_name` under the config directory `dir`.
ReadCacheSettings cache_settings(const Options& options, const std::string& dir, const std::string& target_name, Io& io);
// Starts reading the cache on a thread of its own and, when it can be used, hands the state to
// the provider (Provider::start_reading_from) so that the change feeds are read while the config
// loads. Nothing happens for --refresh=full or a provider without incremental reads.
void start_cache_read(Workspace& workspace, const ReadCacheSettings& settings, provider::Provider& provider);
// engine::make_plan for the workspace's config, target and provider, reading through the cache;
// prints the differ's problems to io.err.
Result<PlanRun> make_plan(Workspace& workspace, Io& io);
// Today's date (UTC) as YYYY-MM-DD; IDFORM_TODAY overrides it (for reproducible plans in tests)
// and must then be a real calendar date in that form.
Result<std::string> today(const Io& io);

}  // namespace idform::cli
