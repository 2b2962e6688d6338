// Translates between Okta ids and idform references, in both directions.
#include "providers/okta/references.hpp"

#include "providers/common/references.hpp"
#include "providers/okta/application_mapping.hpp"
#include "providers/okta/json_fields.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
NameIndex::NameIndex(const TenantSnapshot& snapshot) {
  // Okta ids are case-sensitive: they are used as they come.
  for (const auto& group : snapshot.groups) m_groups[text(group, "id")] = text(child(group, "profile"), "name");
  for (const auto& [id, user] : snapshot.users) m_users[id] = util::to_lower(user.login);
  for (const auto& app : snapshot.apps) {
    m_apps[text(app, "id")] = text(app, "label");
    if (is_okta_own_app(app)) m_okta_apps[text(app, "id")] = text(app, "name");
  }
  for (const auto& zone : snapshot.zones) m_locations[text(zone, "id")] = text(zone, "name");
  for (auto* names : {&m_groups, &m_apps, &m_locations}) common::drop_shared_names(*names);
}

std::string NameIndex::group(const std::string& id) const { return common::name_or_id(m_groups, "group:", id, id); }
std::string NameIndex::user(const std::string& id) const { return common::name_or_id(m_users, "user:", id, id); }
std::string NameIndex::app(const std::string& id) const {
  if (auto own = m_okta_apps.find(id); own != m_okta_apps.end()) return "app:okta:" + own->second;
  return common::name_or_id(m_apps, "app:", id, id);
}
std::string NameIndex::location(const std::string& id) const { return common::name_or_id(m_locations, "location:", id, id); }

Result<std::string> IdResolver::id_of(const std::string& reference) const {
  if (auto id = common::resolve_reference(m_ids, reference)) return *id;
  return fail("cannot resolve " + reference + " to an Okta id", "it is not in the org (yet)");
}

}  // namespace idform::providers::okta
