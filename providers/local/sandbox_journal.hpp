#pragma once
// The sandbox's apply journal: one line per applied change, appended next to the tenant file.
//
// Rewriting a large tenant file after every change makes an apply quadratic in the tenant's size,
// so LocalProvider appends each change's effect to `<file>.journal`, flushed before the change is
// reported applied, and rewrites the tenant file once when it is done. The journal's first line
// names the exact tenant file it extends (size and modification time): a journal left by an
// interrupted apply is replayed by the next read, so the next plan sees exactly what was applied,
// and a journal that no longer matches its file (compacted or replaced since) is ignored.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::providers {

// What a tenant file was when a journal was started on it.
struct FileIdentity {
  std::uintmax_t size = 0;
  std::int64_t modified = 0;  // file clock ticks

  bool operator==(const FileIdentity&) const = default;
  // nullopt when the file does not exist.
  static std::optional<FileIdentity> of(const std::filesystem::path& file);
};

class SandboxJournal {
 public:
  explicit SandboxJournal(std::filesystem::path tenant_file);

  // The entries of a journal that extends `base`, in order; empty when there is no journal or it
  // belongs to another version of the file. A torn last line (a change that never reported
  // success) is ignored.
  std::vector<nlohmann::json> entries_for(const FileIdentity& base) const;

  // Appends one entry and flushes it. The first append starts the journal for `base`, keeping
  // entries already in it when they extend the same file.
  Result<void> append(const FileIdentity& base, const nlohmann::json& entry);

  // Bytes appended by this process so far.
  std::uintmax_t appended_bytes() const { return m_appended; }
  bool started() const { return m_out.is_open(); }
  // Closes and deletes the journal, after its entries reached the tenant file.
  void discard();

 private:
  std::filesystem::path m_path;
  std::ofstream m_out;
  std::uintmax_t m_appended = 0;
};

}  // namespace idform::providers
