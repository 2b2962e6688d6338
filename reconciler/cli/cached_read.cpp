// Reading through the snapshot cache (docs/incremental.md). With --refresh=auto the provider is
// given the cached state to bring up to date when the cache can be used, and reads in full
// otherwise; either way one line on stderr says which and why. After every successful read the
// new state is written back. An incremental read only narrows what is read: the plan is made
// from the whole updated state exactly as from a full read.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "reconciler/cli/workspace.hpp"
#include "reconciler/provider/read_cache.hpp"
#include "reconciler/util/parallel.hpp"

namespace idform::cli {
namespace {

void note(const ReadCacheSettings& cache, const std::string& line) {
  if (cache.notes) *cache.notes << "idform: " << line << "\n";
}

provider::CacheKey key_of(const provider::Provider& provider) {
  return {provider.name(), provider.state_version(), provider.target_identity()};
}

// With `early`, the provider is handed the cursors in the cache's header as soon as they are
// known (Provider::start_feeds).
CacheRead read_cache(const ReadCacheSettings& cache, const provider::CacheKey& key,
                     provider::Provider* early = nullptr) {
  CacheRead read;
  read.read_at = std::chrono::system_clock::now();
  provider::CursorsReady cursors_ready;
  if (early) cursors_ready = [early](const nlohmann::json& cursors) { early->start_feeds(cursors); };
  provider::CacheLookup lookup = provider::load_cache(cache.file, key, cache.max_age, read.read_at, cursors_ready);
  if (lookup.state) read.state = std::make_shared<const nlohmann::json>(std::move(*lookup.state));
  read.reason = std::move(lookup.reason);
  read.written_at = std::move(lookup.written_at);
  return read;
}

// The early read if one was started, else the cache read now.
CacheRead take_cache_read(Workspace& workspace, const provider::CacheKey& key) {
  if (!workspace.cache_read.valid()) return read_cache(workspace.cache, key);
  Result<CacheRead> early = workspace.cache_read.get();
  if (early) return std::move(*early);
  CacheRead failed;
  failed.read_at = std::chrono::system_clock::now();
  failed.reason = early.error().summary;
  return failed;
}

}  // namespace

ReadCacheSettings cache_settings(const Options& options, const std::string& dir, const std::string& target_name, Io& io) {
  ReadCacheSettings cache;
  cache.enabled = true;
  cache.refresh = options.refresh;
  cache.max_age = provider::parse_age(options.max_cache_age).value_or(cache.max_age);
  std::string cache_dir = options.cache_dir.empty() ? (std::filesystem::path(dir) / ".idform" / "cache").string()
                                                    : options.cache_dir;
  cache.file = provider::cache_file(cache_dir, target_name);
  if (!options.quiet) cache.notes = &io.err;
  return cache;
}

void start_cache_read(Workspace& workspace, const ReadCacheSettings& settings, provider::Provider& provider) {
  if (settings.refresh == "full" || !provider.reads_incrementally() || workspace.cache_read.valid()) return;
  workspace.cache_read =
      util::start_guarded("reading the cache " + settings.file, [settings, key = key_of(provider), &provider]() {
        CacheRead read = read_cache(settings, key, &provider);
        if (read.state) provider.start_reading_from(read.state);
        return Result<CacheRead>(std::move(read));
      });
}

Result<provider::ReadResponse> read_through_cache(Workspace& workspace, provider::ReadRequest request) {
  const ReadCacheSettings& cache = workspace.cache;
  provider::Provider& provider = *workspace.provider;
  const std::string target = "target \"" + workspace.target.name + "\"";
  if (!cache.enabled) return provider.read(request);
  if (!provider.reads_incrementally()) {
    if (cache.refresh == "incremental")
      return fail("cannot read " + target + " incrementally: provider \"" + provider.name() +
                      "\" has no incremental read",
                  "use --refresh=auto or --refresh=full");
    return provider.read(request);
  }
  const provider::CacheKey key = key_of(provider);
  auto now = std::chrono::system_clock::now();
  std::shared_ptr<const nlohmann::json> baseline;
  std::string reason = "--refresh=full";
  std::string written_at;
  if (cache.refresh != "full") {
    CacheRead cached = take_cache_read(workspace, key);
    baseline = std::move(cached.state);
    reason = std::move(cached.reason);
    written_at = std::move(cached.written_at);
    now = cached.read_at;
    if (!baseline && cache.refresh == "incremental")
      return fail("cannot read " + target + " incrementally: " + reason, "use --refresh=auto or --refresh=full");
  }
  // The very object an early read started from (Provider::start_reading_from).
  if (baseline) request.baseline = baseline.get();
  request.keep_state = true;
  provider::ReadResponse response = IDFORM_TRY(provider.read(request));
  if (!response.saved_state.is_null()) {
    // Serialising, hashing and writing a large tenant's state costs about as much as the plan
    // made from it, so the two run side by side; make_plan waits for the write before it returns.
    workspace.cache_write = util::start_guarded(
        "writing the cache " + cache.file,
        [file = cache.file, key, state = std::move(response.saved_state), now]() -> Result<void> {
          return provider::save_cache(file, key, state, now);
        });
  }
  if (response.incremental) {
    note(cache, "read " + target + " incrementally: changes since the cached read of " + written_at);
    return response;
  }
  if (baseline) reason = response.full_read_reason.empty() ? "the provider did not use the cache" : response.full_read_reason;
  if (baseline && cache.refresh == "incremental")
    return fail("cannot read " + target + " incrementally: " + reason, "use --refresh=auto or --refresh=full");
  note(cache, "read " + target + " in full: " + reason);
  return response;
}

void finish_cache_write(Workspace& workspace) {
  if (!workspace.cache_write.valid()) return;
  Result<void> saved = workspace.cache_write.get();
  if (!saved) note(workspace.cache, "warning: " + saved.error().summary + " (the next read will be a full one)");
}

}  // namespace idform::cli
