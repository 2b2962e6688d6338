// The snapshot cache of incremental reads: checked loading (provider, state version, target,
// checksum, age) and atomic, owner-only writing. See read_cache.hpp and docs/incremental.md.
//
// The file is a one-line JSON header (format, provider, version, target, written_at, checksum,
// and a copy of the state's change-feed cursors when it has them), a newline, and the state as
// JSON text. The checksum is the sha256 of exactly those state bytes,
// so checking it needs no second serialisation of a state that can run to tens of megabytes, and
// the header is checked before the state is parsed at all: a cache of another provider, version,
// target or age costs one short line. (Format 1 was a single JSON document whose checksum was
// taken over a re-serialisation of the parsed state.)
#include "reconciler/provider/read_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "reconciler/util/date.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::provider {
namespace {

constexpr int kCacheFormat = 2;

std::string describe_age(std::chrono::seconds age) {
  long long s = age.count();
  if (s >= 2 * 86400) return std::to_string(s / 86400) + " days";
  if (s >= 2 * 3600) return std::to_string(s / 3600) + " hours";
  if (s >= 2 * 60) return std::to_string(s / 60) + " minutes";
  return std::to_string(s) + " seconds";
}

std::string text_of(const nlohmann::json& document, const char* key) {
  auto found = document.find(key);
  return found != document.end() && found->is_string() ? found->get<std::string>() : "";
}

// The whole file in one read (the state can be tens of megabytes).
std::optional<std::string> read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  std::string content;
  if (!ec) content.resize(static_cast<size_t>(size));
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<size_t>(in.gcount()));
  return content;
}

}  // namespace

std::string cache_file(const std::string& dir, const std::string& target_name) {
  std::string safe;
  for (char c : target_name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return (std::filesystem::path(dir) / (safe + ".json")).string();
}

CacheLookup load_cache(const std::string& file, const CacheKey& key, std::chrono::seconds max_age,
                       std::chrono::system_clock::time_point now, const CursorsReady& cursors_ready) {
  std::optional<std::string> content = read_file(file);
  if (!content) return {std::nullopt, "no cache at " + file, ""};
  const size_t newline = content->find('\n');
  nlohmann::json header = nlohmann::json::parse(std::string_view(*content).substr(0, newline), nullptr, false);
  if (header.is_discarded() || !header.is_object())
    return {std::nullopt, "the cache " + file + " is not readable JSON (corrupted)", ""};
  const nlohmann::json& format = header["format"];
  if (!format.is_number_integer() || format.get<int>() != kCacheFormat)
    return {std::nullopt, "the cache " + file + " has another format (written by another idform version)", ""};
  if (text_of(header, "provider") != key.provider || text_of(header, "provider_version") != key.state_version)
    return {std::nullopt,
            "the cache was written by provider " + text_of(header, "provider") + " version " +
                text_of(header, "provider_version") + ", this is " + key.provider + " version " + key.state_version,
            ""};
  if (text_of(header, "target") != key.target_identity)
    return {std::nullopt, "the cache is of another target (" + text_of(header, "target") + ")", ""};
  std::string written = text_of(header, "written_at");
  auto when = util::parse_utc_seconds(written);
  if (!when) return {std::nullopt, "the cache " + file + " has no valid written_at", ""};
  auto age = std::chrono::duration_cast<std::chrono::seconds>(now - *when);
  if (max_age.count() == 0) return {std::nullopt, "--max-cache-age 0 allows no cache", ""};
  if (age > max_age)
    return {std::nullopt, "the cache is " + describe_age(age) + " old, more than --max-cache-age " +
                              describe_age(max_age), ""};
  if (newline == std::string::npos) return {std::nullopt, "the cache " + file + " is truncated (corrupted)", ""};
  if (cursors_ready && header.contains("cursors")) cursors_ready(header["cursors"]);
  std::string_view state_text = std::string_view(*content).substr(newline + 1);
  if (text_of(header, "checksum") != util::sha256_hex(state_text))
    return {std::nullopt, "the cache " + file + " fails its checksum (corrupted or edited)", ""};
  nlohmann::json state = nlohmann::json::parse(state_text, nullptr, false);
  if (state.is_discarded()) return {std::nullopt, "the cache " + file + " is not readable JSON (corrupted)", ""};
  return {std::move(state), "", written};
}

Result<void> save_cache(const std::string& file, const CacheKey& key, const nlohmann::json& state,
                        std::chrono::system_clock::time_point now) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path path(file);
  fs::create_directories(path.parent_path(), ec);
  if (ec) return fail("cannot create the cache directory " + path.parent_path().string() + ": " + ec.message());
  // The cache is a local copy of tenant data: never committed, whatever the repository's rules.
  fs::path ignore = path.parent_path() / ".gitignore";
  if (!fs::exists(ignore, ec)) std::ofstream(ignore) << "# idform's snapshot cache (docs/incremental.md)\n*\n";
  std::string state_text = state.dump();
  nlohmann::json header = {{"format", kCacheFormat},
                           {"provider", key.provider},
                           {"provider_version", key.state_version},
                           {"target", key.target_identity},
                           {"written_at", util::format_utc_seconds(now)},
                           {"checksum", util::sha256_hex(state_text)}};
  if (state.is_object() && state.contains("cursors")) header["cursors"] = state["cursors"];
  // dump() escapes control characters, so the header is one line and the state follows the first newline.
  std::string text = header.dump() + "\n";
  text += state_text;
  state_text.clear();
  state_text.shrink_to_fit();
  std::string temporary = file + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail("cannot write the cache " + temporary);
  ::fchmod(fd, 0600);
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  // No fsync: the rename makes the new file appear whole or not at all to the next run, and a
  // file a crash left short fails its checksum, which costs a full read, never a wrong plan.
  bool ok = written == text.size();
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), file.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return fail("cannot write the cache " + file);
  }
  return {};
}

std::optional<std::chrono::seconds> parse_age(const std::string& text) {
  if (text.empty()) return std::nullopt;
  long long unit = 1;
  std::string digits = text;
  switch (text.back()) {
    case 'd': unit = 86400; digits.pop_back(); break;
    case 'h': unit = 3600; digits.pop_back(); break;
    case 'm': unit = 60; digits.pop_back(); break;
    case 's': digits.pop_back(); break;
    default: break;
  }
  long long number = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error != std::errc{} || end != digits.data() + digits.size() || digits.empty() || number < 0 ||
      number > 3660LL * 86400 / unit)
    return std::nullopt;
  return std::chrono::seconds(number * unit);
}

}  // namespace idform::provider
