#pragma once
// The in-memory tenant: named collections of vendor-native JSON objects and named relation sets
// (group members, owners, ...). Every record and link carries the virtual time from which it is
// visible and, once deleted, the time it was deleted; Visibility turns those into "can a read see
// it" / "can a write see it", which is how eventual consistency is emulated: a new object stays
// invisible to reads for the configured delay, and a deleted one stays readable for it.
//
// TenantData is a plain copyable value so that POST /_sim/reset?state=true can restore the seed.
// Locking is the caller's job: flavors hold Tenant::lock() for the duration of one operation.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json.hpp"

namespace idp_sim {

struct Versioned {
  std::uint64_t sequence = 0;         // insertion order; stable paging cursor
  double visible_from = 0;            // virtual time
  std::optional<double> deleted_at;   // virtual time of deletion (tombstone)
};

struct Record : Versioned {
  std::string id;
  Json data;
};

struct Link : Versioned {
  std::string child_id;
  std::string child_kind;  // collection the child lives in, e.g. "users"
};

struct Visibility {
  double delay = 0;     // virtual seconds
  bool writes = false;  // the delay also hides new objects from writes

  bool readable(const Versioned& item, double now) const;
  bool writable(const Versioned& item, double now) const;
  // Deleted items whose read-visibility has ended can be forgotten.
  bool expired(const Versioned& item, double now) const;
};

class Collection {
public:
  explicit Collection(bool case_insensitive_ids = true) : m_case_insensitive(case_insensitive_ids) {}

  Record& insert(const std::string& id, Json data, std::uint64_t sequence, double visible_from);
  Record* find(const std::string& id);  // includes tombstones; check Visibility
  const Record* find(const std::string& id) const;
  void mark_deleted(const std::string& id, double now);
  void erase(const std::string& id);
  std::vector<const Record*> ordered() const;  // by sequence, includes tombstones
  std::vector<Record*> ordered_mutable();
  // The records (tombstones included) whose string `property` equals `value` ignoring case, by
  // sequence. For properties that never change once a record is stored (an app role assignment's
  // resourceId, say): the index behind it is built on first use and dropped whenever a record is
  // added or removed, so a list of one resource's assignments does not scan them all.
  const std::vector<const Record*>& with_value(const std::string& property, const std::string& value) const;
  void purge(const Visibility& visibility, double now);
  std::size_t size() const { return m_records.size(); }
  // Records not marked deleted, kept up to date by every change (Graph's throttling tier asks for
  // it on every request, and counting 20,000 users each time was most of the simulator's work).
  std::size_t live_count() const { return m_live; }

private:
  std::string key(const std::string& id) const;
  bool m_case_insensitive;
  // property -> case-folded value -> records. Copies start empty: the pointers are into this
  // collection's records.
  struct ValueIndexes {
    ValueIndexes() = default;
    ValueIndexes(const ValueIndexes&) {}
    ValueIndexes& operator=(const ValueIndexes&) {
      by_property.clear();
      return *this;
    }
    std::map<std::string, std::unordered_map<std::string, std::vector<const Record*>>> by_property;
  };

  std::unordered_map<std::string, Record> m_records;  // pointers stay valid across rehashing
  std::size_t m_live = 0;
  mutable ValueIndexes m_indexes;
};

class RelationSet {
public:
  explicit RelationSet(bool case_insensitive_ids = true) : m_case_insensitive(case_insensitive_ids) {}

  Link* find(const std::string& parent, const std::string& child);
  void add(const std::string& parent, Link link);
  void mark_deleted(const std::string& parent, const std::string& child, double now);
  void erase(const std::string& parent, const std::string& child);
  std::vector<const Link*> links(const std::string& parent) const;  // by sequence, incl. tombstones
  void erase_child_everywhere(const std::string& child);
  void erase_parent(const std::string& parent);
  void mark_child_deleted_everywhere(const std::string& child, double now);
  void mark_parent_deleted(const std::string& parent, double now);
  std::vector<std::string> parents_of(const std::string& child) const;
  void purge(const Visibility& visibility, double now);
  Json to_json() const;

private:
  std::string key(const std::string& id) const;
  bool m_case_insensitive;
  std::map<std::string, std::vector<Link>> m_links;
};

struct TenantData {
  std::map<std::string, Collection> collections;
  std::map<std::string, RelationSet> relations;
  std::uint64_t next_sequence = 1;

  Collection& collection(const std::string& name);
  RelationSet& relation(const std::string& name);
  std::uint64_t take_sequence() { return next_sequence++; }
};

class Tenant {
public:
  std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock(m_mutex); }
  TenantData& data() { return m_data; }
  // Remembers the current data as the seed; restore_seed() goes back to it.
  void snapshot_seed() { m_seed = m_data; }
  void restore_seed() { m_data = m_seed; }

private:
  std::recursive_mutex m_mutex;
  TenantData m_data;
  TenantData m_seed;
};

}  // namespace idp_sim
