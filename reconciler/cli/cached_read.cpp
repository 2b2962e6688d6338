// Reading through the snapshot cache (docs/incremental.md). With --refresh=auto the provider is
// given the cached state to bring up to date when the cache can be used, and reads in full
// otherwise; either way one line on stderr says which and why. After every successful read the
// new state is written back. An incremental read only narrows what is read: the plan is made
// from the whole updated state exactly as from a full read.
#include <chrono>
#include <optional>

#include "reconciler/cli/workspace.hpp"
#include "reconciler/provider/read_cache.hpp"
#include "reconciler/util/parallel.hpp"

namespace idform::cli {
namespace {

void note(const ReadCacheSettings& cache, const std::string& line) {
  if (cache.notes) *cache.notes << "idform: " << line << "\n";
}

}  // namespace

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
  const provider::CacheKey key{provider.name(), provider.state_version(), provider.target_identity()};
  const auto now = std::chrono::system_clock::now();
  std::optional<nlohmann::json> baseline;
  std::string reason = "--refresh=full";
  std::string written_at;
  if (cache.refresh != "full") {
    provider::CacheLookup lookup = provider::load_cache(cache.file, key, cache.max_age, now);
    baseline = std::move(lookup.state);
    reason = lookup.reason;
    written_at = lookup.written_at;
    if (!baseline && cache.refresh == "incremental")
      return fail("cannot read " + target + " incrementally: " + reason, "use --refresh=auto or --refresh=full");
  }
  if (baseline) request.baseline = &*baseline;
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
