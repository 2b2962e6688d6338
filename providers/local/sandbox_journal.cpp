// The sandbox's apply journal: one line per applied change, appended next to the tenant file.
#include "providers/local/sandbox_journal.hpp"

#include <sstream>

#include "reconciler/util/private_file.hpp"
#include <string_view>

namespace idform::providers {
namespace {

nlohmann::json header_of(const FileIdentity& base) {
  return {{"journal", "idform-sandbox/1"}, {"base_size", base.size}, {"base_modified", base.modified}};
}

}  // namespace

std::optional<FileIdentity> FileIdentity::of(const std::filesystem::path& file) {
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) return std::nullopt;
  auto modified = std::filesystem::last_write_time(file, ec);
  if (ec) return std::nullopt;
  return FileIdentity{size, static_cast<std::int64_t>(modified.time_since_epoch().count())};
}

SandboxJournal::SandboxJournal(std::filesystem::path tenant_file) : m_path(std::move(tenant_file)) {
  m_path += ".journal";
}

std::vector<nlohmann::json> SandboxJournal::entries_for(const FileIdentity& base) const {
  std::vector<nlohmann::json> entries;
  std::ifstream in(m_path, std::ios::binary);
  if (!in) return entries;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::string_view rest = text;
  bool header = true;
  // Only complete lines count: the last one may have been cut short by a crash.
  for (auto end = rest.find('\n'); end != std::string_view::npos; end = rest.find('\n')) {
    nlohmann::json line = nlohmann::json::parse(rest.substr(0, end), nullptr, false);
    rest.remove_prefix(end + 1);
    if (line.is_discarded()) break;
    if (header) {
      if (line != header_of(base)) return {};
      header = false;
      continue;
    }
    entries.push_back(std::move(line));
  }
  return entries;
}

Result<void> SandboxJournal::append(const FileIdentity& base, const nlohmann::json& entry) {
  if (!m_out.is_open()) {
    std::error_code ec;
    bool extends = std::filesystem::exists(m_path, ec) && !entries_for(base).empty();
    IDFORM_TRY(util::prepare_private_file(m_path, false));
    m_out.open(m_path, std::ios::binary | (extends ? std::ios::app : std::ios::trunc));
    if (!m_out) return fail("cannot write sandbox journal " + m_path.string());
    if (!extends) m_out << header_of(base).dump() << '\n';
  }
  std::string line = entry.dump();
  line += '\n';
  m_out << line;
  if (!m_out.flush()) return fail("cannot write sandbox journal " + m_path.string());
  m_appended += line.size();
  return {};
}

void SandboxJournal::discard() {
  if (m_out.is_open()) m_out.close();
  std::error_code ec;
  std::filesystem::remove(m_path, ec);
  m_appended = 0;
}

}  // namespace idform::providers
