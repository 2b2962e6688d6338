#pragma once
// Where a desired resource's fields and list elements were written, keyed like a spec path
// ("members", "sso.saml.entity_id") or a path and an element ("members[user:alice@acme.example]").
//
// A group of 1,000 members has 1,000 keys, and every one of them lies in the resource's own file,
// so the file name is held once, the keys back to back in one string, and each entry is an offset,
// a length, a line and a column, in a vector sorted by key. Lookups read like a std::map's:
// `find(key)` equals `end()` when absent, else `->second` is the location.
//
// Even so, a key per member would cost a large config more than the members themselves, and
// member positions are only ever wanted for an error message. So the config loader may leave
// the entries of plain member lists out and give a `Completer` instead: the first lookup that
// misses (or asks for every entry) calls it once for the complete set, which it rebuilds from
// the resource's file, and the answer is the same as if every entry had been kept.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::model {

class Locations {
 public:
  using Entry = std::pair<std::string, SourceLocation>;

  // A found entry, read like a map iterator; an empty one compares equal to end().
  class Found {
   public:
    Found() = default;
    explicit Found(Entry entry) : m_entry(std::move(entry)) {}
    const Entry* operator->() const { return &*m_entry; }
    const Entry& operator*() const { return *m_entry; }
    bool operator==(const Found& other) const { return m_entry.has_value() == other.m_entry.has_value(); }

   private:
    std::optional<Entry> m_entry;
  };

  // A key and where it was written, in the file given with it.
  struct Written {
    std::string key;
    int line = 0;
    int column = 0;
  };

  // Returns the complete locations (which have no completer of their own), or nullptr when
  // they cannot be had any more (the file is gone); called at most once, from any thread.
  using Completer = std::function<const Locations*()>;

  Locations() = default;
  // Every entry at once, all in `file` (a later duplicate key wins). With a `completer`, the
  // entries given are some of them, and the completer has them all.
  Locations(std::string file, std::vector<Written> entries, Completer completer = {});

  // Adds or replaces one entry; `where` must name the file the others name.
  void set(std::string key, const SourceLocation& where);

  Found find(std::string_view key) const;
  Found end() const { return {}; }
  bool contains(std::string_view key) const;
  // The location of `key`; throws std::out_of_range when absent, like std::map::at.
  SourceLocation at(std::string_view key) const;
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  // Every entry in key order.
  std::vector<Entry> entries() const;

 private:
  struct Compact {
    std::uint32_t offset = 0;  // of the key in m_keys
    std::uint32_t length = 0;
    int line = 0;
    int column = 0;
  };
  std::string_view key_of(const Compact& entry) const { return {m_keys.data() + entry.offset, entry.length}; }
  Compact add_key(std::string_view key);
  const Compact* locate(std::string_view key) const;
  SourceLocation expand(const Compact& entry) const { return {m_file, entry.line, entry.column}; }
  // The locations to answer from when the entries kept here are not all there are.
  const Locations& complete() const;

  // Shared by copies: the completer runs once whichever copy asks.
  struct Lazy {
    Completer completer;
    std::once_flag once;
    const Locations* complete = nullptr;
  };

  std::string m_file;
  std::shared_ptr<Lazy> m_lazy;    // set when entries were left out
  std::string m_keys;              // every key, back to back
  std::vector<Compact> m_entries;  // sorted by key, unique
};

}  // namespace idform::model
