#include "providers/okta/references.hpp"

#include "providers/okta/json_fields.hpp"
#include "reconciler/model/resource.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

// "group:NAME"; "group:id:<id>" when the name is shared by several objects or the id is unknown.
std::string lookup(const std::map<std::string, std::string>& names, const std::string& prefix, const std::string& id) {
  auto found = names.find(id);
  if (found == names.end() || found->second.empty()) return prefix + "id:" + id;
  return prefix + found->second;
}

// Names used by more than one object of a kind are not names: leave those out of the index.
void drop_shared(std::map<std::string, std::string>& names) {
  std::map<std::string, int> uses;
  for (const auto& [id, name] : names) ++uses[name];
  for (auto& [id, name] : names)
    if (uses[name] > 1) name.clear();
}

}  // namespace

NameIndex::NameIndex(const TenantSnapshot& snapshot) {
  // Okta ids are case-sensitive: they are used as they come.
  for (const auto& group : snapshot.groups) m_groups[text(group, "id")] = text(child(group, "profile"), "name");
  for (const auto& [id, user] : snapshot.users) m_users[id] = util::to_lower(user.login);
  for (const auto& app : snapshot.apps) m_apps[text(app, "id")] = text(app, "label");
  for (const auto& zone : snapshot.zones) m_locations[text(zone, "id")] = text(zone, "name");
  for (auto* names : {&m_groups, &m_apps, &m_locations}) drop_shared(*names);
}

std::string NameIndex::group(const std::string& id) const { return lookup(m_groups, "group:", id); }
std::string NameIndex::user(const std::string& id) const { return lookup(m_users, "user:", id); }
std::string NameIndex::app(const std::string& id) const { return lookup(m_apps, "app:", id); }
std::string NameIndex::location(const std::string& id) const { return lookup(m_locations, "location:", id); }

Result<std::string> IdResolver::id_of(const std::string& reference) const {
  auto found = m_ids.find(reference);
  if (found != m_ids.end()) return found->second;
  model::Reference ref = model::Reference::parse(reference);
  if (ref.type == "user") {
    found = m_ids.find("user:" + util::to_lower(ref.value));
    if (found != m_ids.end()) return found->second;
  }
  if (ref.value.starts_with("id:")) return ref.value.substr(3);  // "group:id:<id>"
  return fail("cannot resolve " + reference + " to an Okta id", "it is not in the org (yet)");
}

}  // namespace idform::providers::okta
