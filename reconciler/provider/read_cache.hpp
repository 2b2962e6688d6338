#pragma once
// The snapshot cache of incremental reads (docs/incremental.md): per target, one JSON file holding
// what the provider returned as its saved state (raw live state and change-feed cursors), the
// provider, its state version, the target's identity (endpoint and tenant or org, never a
// credential), when it was written and a sha256 of the state. A cache that does not match the
// provider, version or target, fails its checksum, cannot be parsed or is older than the allowed
// age is not used, and the lookup says why, so the caller can read in full and tell the user.

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "reconciler/util/result.hpp"

namespace idform::provider {

// What a saved state is valid for.
struct CacheKey {
  std::string provider;
  std::string state_version;
  std::string target_identity;
};

struct CacheLookup {
  std::optional<nlohmann::json> state;  // the saved state, when the cache can be used
  std::string reason;                   // otherwise, why not ("no cache at ...", "written by ...")
  std::string written_at;               // when the usable cache was written (ISO 8601 UTC)
};

// `<dir>/<target>.json`, the target name made safe for a file name.
std::string cache_file(const std::string& dir, const std::string& target_name);

// Called with the cursors of a cache whose header checked out (provider, version, target, age),
// before its state is checksummed and parsed; see save_cache.
using CursorsReady = std::function<void(const nlohmann::json& cursors)>;

// Reads and checks the cache file; never fails: a cache that cannot be used is a reason.
CacheLookup load_cache(const std::string& file, const CacheKey& key, std::chrono::seconds max_age,
                       std::chrono::system_clock::time_point now, const CursorsReady& cursors_ready = {});

// Writes the cache file atomically (a temporary file in the same directory, renamed over it),
// readable by its owner only (0600); creates the directory (0700) when missing. A state that
// holds its change-feed cursors under "cursors" has them copied into the header, where a reader
// finds them before parsing the state (which runs to megabytes): a provider can start its feeds
// at once and check, once the state is parsed, that it holds the same cursors.
Result<void> save_cache(const std::string& file, const CacheKey& key, const nlohmann::json& state,
                        std::chrono::system_clock::time_point now);

// "7d", "12h", "30m", "45s" or a bare number of seconds; nullopt when malformed.
std::optional<std::chrono::seconds> parse_age(const std::string& text);

}  // namespace idform::provider
