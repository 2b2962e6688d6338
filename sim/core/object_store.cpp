// The in-memory tenant: collections of vendor-native JSON objects and relation sets.
#include "core/object_store.hpp"

#include <algorithm>

#include "core/http_types.hpp"

namespace idp_sim {

bool Visibility::readable(const Versioned& item, double now) const {
  if (now < item.visible_from) return false;
  if (item.deleted_at && now >= *item.deleted_at + delay) return false;
  return true;
}

bool Visibility::writable(const Versioned& item, double now) const {
  if (item.deleted_at) return false;
  return !writes || now >= item.visible_from;
}

bool Visibility::expired(const Versioned& item, double now) const {
  return item.deleted_at && now >= *item.deleted_at + delay;
}

std::string Collection::key(const std::string& id) const { return m_case_insensitive ? to_lower(id) : id; }

Record& Collection::insert(const std::string& id, Json data, std::uint64_t sequence, double visible_from) {
  Record record;
  record.id = id;
  record.data = std::move(data);
  record.sequence = sequence;
  record.visible_from = visible_from;
  m_indexes.by_property.clear();
  auto [it, inserted] = m_records.try_emplace(key(id));
  if (inserted || it->second.deleted_at) ++m_live;
  it->second = std::move(record);
  return it->second;
}

Record* Collection::find(const std::string& id) {
  auto it = m_records.find(key(id));
  return it == m_records.end() ? nullptr : &it->second;
}

const Record* Collection::find(const std::string& id) const {
  auto it = m_records.find(key(id));
  return it == m_records.end() ? nullptr : &it->second;
}

void Collection::mark_deleted(const std::string& id, double now) {
  Record* record = find(id);
  if (!record) return;
  if (!record->deleted_at) --m_live;
  record->deleted_at = now;
}

void Collection::erase(const std::string& id) {
  auto it = m_records.find(key(id));
  if (it == m_records.end()) return;
  if (!it->second.deleted_at) --m_live;
  m_records.erase(it);
  m_indexes.by_property.clear();
}

std::vector<const Record*> Collection::ordered() const {
  std::vector<const Record*> out;
  out.reserve(m_records.size());
  for (const auto& [key, record] : m_records) out.push_back(&record);
  std::sort(out.begin(), out.end(), [](const Record* a, const Record* b) { return a->sequence < b->sequence; });
  return out;
}

std::vector<Record*> Collection::ordered_mutable() {
  std::vector<Record*> out;
  out.reserve(m_records.size());
  for (auto& [key, record] : m_records) out.push_back(&record);
  std::sort(out.begin(), out.end(), [](const Record* a, const Record* b) { return a->sequence < b->sequence; });
  return out;
}

const std::vector<const Record*>& Collection::with_value(const std::string& property, const std::string& value) const {
  auto [slot, built] = m_indexes.by_property.try_emplace(property);
  auto& index = slot->second;
  if (built) {
    for (const auto& [key, record] : m_records) {
      auto found = record.data.find(property);
      if (found != record.data.end() && found->is_string())
        index[to_lower(found->get<std::string>())].push_back(&record);
    }
    for (auto& [folded, records] : index)
      std::sort(records.begin(), records.end(), [](const Record* a, const Record* b) { return a->sequence < b->sequence; });
  }
  static const std::vector<const Record*> kNone;
  auto found = index.find(to_lower(value));
  return found == index.end() ? kNone : found->second;
}

void Collection::purge(const Visibility& visibility, double now) {
  for (auto it = m_records.begin(); it != m_records.end();) {
    if (visibility.expired(it->second, now)) {
      m_indexes.by_property.clear();
      it = m_records.erase(it);
    } else {
      ++it;
    }
  }
}

std::string RelationSet::key(const std::string& id) const { return m_case_insensitive ? to_lower(id) : id; }

Link* RelationSet::find(const std::string& parent, const std::string& child) {
  auto it = m_links.find(key(parent));
  if (it == m_links.end()) return nullptr;
  for (auto& link : it->second) {
    if (key(link.child_id) == key(child)) return &link;
  }
  return nullptr;
}

void RelationSet::add(const std::string& parent, Link link) {
  erase(parent, link.child_id);
  m_links[key(parent)].push_back(std::move(link));
}

void RelationSet::mark_deleted(const std::string& parent, const std::string& child, double now) {
  if (auto* link = find(parent, child)) link->deleted_at = now;
}

void RelationSet::erase(const std::string& parent, const std::string& child) {
  auto it = m_links.find(key(parent));
  if (it == m_links.end()) return;
  auto& links = it->second;
  links.erase(std::remove_if(links.begin(), links.end(),
                             [&](const Link& link) { return key(link.child_id) == key(child); }),
              links.end());
}

std::vector<const Link*> RelationSet::links(const std::string& parent) const {
  std::vector<const Link*> out;
  auto it = m_links.find(key(parent));
  if (it == m_links.end()) return out;
  for (const auto& link : it->second) out.push_back(&link);
  std::sort(out.begin(), out.end(), [](const Link* a, const Link* b) { return a->sequence < b->sequence; });
  return out;
}

void RelationSet::erase_child_everywhere(const std::string& child) {
  for (auto& [parent, links] : m_links) {
    links.erase(std::remove_if(links.begin(), links.end(),
                               [&](const Link& link) { return key(link.child_id) == key(child); }),
                links.end());
  }
}

void RelationSet::erase_parent(const std::string& parent) { m_links.erase(key(parent)); }

void RelationSet::mark_child_deleted_everywhere(const std::string& child, double now) {
  for (auto& [parent, links] : m_links) {
    for (auto& link : links) {
      if (key(link.child_id) == key(child) && !link.deleted_at) link.deleted_at = now;
    }
  }
}

void RelationSet::mark_parent_deleted(const std::string& parent, double now) {
  auto it = m_links.find(key(parent));
  if (it == m_links.end()) return;
  for (auto& link : it->second) {
    if (!link.deleted_at) link.deleted_at = now;
  }
}

std::vector<std::string> RelationSet::parents_of(const std::string& child) const {
  std::vector<std::string> out;
  for (const auto& [parent, links] : m_links) {
    for (const auto& link : links) {
      if (key(link.child_id) == key(child) && !link.deleted_at) out.push_back(parent);
    }
  }
  return out;
}

void RelationSet::purge(const Visibility& visibility, double now) {
  for (auto& [parent, links] : m_links) {
    links.erase(std::remove_if(links.begin(), links.end(),
                               [&](const Link& link) { return visibility.expired(link, now); }),
                links.end());
  }
}

Json RelationSet::to_json() const {
  Json out = Json::object();
  for (const auto& [parent, links] : m_links) {
    if (links.empty()) continue;
    Json children = Json::array();
    for (const auto* link : this->links(parent)) {
      Json entry{{"id", link->child_id}, {"kind", link->child_kind}};
      if (link->deleted_at) entry["deleted"] = true;
      children.push_back(entry);
    }
    out[parent] = children;
  }
  return out;
}

Collection& TenantData::collection(const std::string& name) { return collections[name]; }

RelationSet& TenantData::relation(const std::string& name) { return relations[name]; }

}  // namespace idp_sim
