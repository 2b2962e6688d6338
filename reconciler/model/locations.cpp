// Source locations of a desired resource's fields, kept compactly and sorted by key.
#include "reconciler/model/locations.hpp"

#include <algorithm>
#include <stdexcept>

namespace idform::model {

Locations::Locations(std::string file, std::vector<Written> entries, Completer completer)
    : m_file(std::move(file)) {
  if (completer) {
    m_lazy = std::make_shared<Lazy>();
    m_lazy->completer = std::move(completer);
  }
  // Stable, so that of equal keys the last one given is the one kept.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Written& a, const Written& b) { return a.key < b.key; });
  std::size_t total = 0;
  for (const Written& entry : entries) total += entry.key.size();
  m_keys.reserve(total);
  m_entries.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() && entries[i + 1].key == entries[i].key) continue;
    Compact compact = add_key(entries[i].key);
    compact.line = entries[i].line;
    compact.column = entries[i].column;
    m_entries.push_back(compact);
  }
}

Locations::Compact Locations::add_key(std::string_view key) {
  Compact compact;
  compact.offset = static_cast<std::uint32_t>(m_keys.size());
  compact.length = static_cast<std::uint32_t>(key.size());
  m_keys.append(key);
  return compact;
}

const Locations& Locations::complete() const {
  if (!m_lazy) return *this;
  std::call_once(m_lazy->once, [&] { m_lazy->complete = m_lazy->completer(); });
  return m_lazy->complete ? *m_lazy->complete : *this;
}

void Locations::set(std::string key, const SourceLocation& where) {
  if (m_lazy) {
    // From here on this object holds every entry itself.
    Locations all = complete();
    all.m_lazy.reset();
    *this = std::move(all);
  }
  if (m_entries.empty()) m_file = where.file;
  auto at = std::lower_bound(m_entries.begin(), m_entries.end(), std::string_view(key),
                             [&](const Compact& entry, std::string_view k) { return key_of(entry) < k; });
  if (at != m_entries.end() && key_of(*at) == key) {
    at->line = where.line;
    at->column = where.column;
    return;
  }
  Compact compact = add_key(key);
  compact.line = where.line;
  compact.column = where.column;
  m_entries.insert(at, compact);
}

const Locations::Compact* Locations::locate(std::string_view key) const {
  auto at = std::lower_bound(m_entries.begin(), m_entries.end(), key,
                             [&](const Compact& entry, std::string_view k) { return key_of(entry) < k; });
  return at != m_entries.end() && key_of(*at) == key ? &*at : nullptr;
}

// The entries kept here are answered from here; only a miss asks for the complete set.
Locations::Found Locations::find(std::string_view key) const {
  if (const Compact* entry = locate(key)) return Found(Entry{std::string(key_of(*entry)), expand(*entry)});
  const Locations& all = complete();
  return &all != this ? all.find(key) : Found();
}

bool Locations::contains(std::string_view key) const { return find(key) != end(); }

SourceLocation Locations::at(std::string_view key) const {
  Found found = find(key);
  if (found == end()) throw std::out_of_range("no location for " + std::string(key));
  return found->second;
}

std::size_t Locations::size() const {
  const Locations& all = complete();
  return all.m_entries.size();
}

std::vector<Locations::Entry> Locations::entries() const {
  if (const Locations& all = complete(); &all != this) return all.entries();
  std::vector<Entry> out;
  out.reserve(m_entries.size());
  for (const Compact& entry : m_entries) out.emplace_back(std::string(key_of(entry)), expand(entry));
  return out;
}

}  // namespace idform::model
