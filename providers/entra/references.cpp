// Translates between Graph ids and idform references, in both directions.
#include "providers/entra/references.hpp"

#include "providers/common/references.hpp"
#include "providers/entra/first_party_apps.hpp"
#include "providers/entra/json_fields.hpp"
#include "reconciler/model/resource.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
NameIndex::NameIndex(const TenantSnapshot& snapshot) {
  for (const auto& group : snapshot.groups)
    m_groups[util::to_lower(text(group, "id"))] = text(group, "displayName");
  for (const auto& [id, user] : snapshot.users) m_users[util::to_lower(id)] = util::to_lower(user.user_principal_name);
  for (const auto& app : snapshot.applications)
    m_apps[util::to_lower(text(app, "appId"))] = text(app, "displayName");
  for (const auto& location : snapshot.locations)
    m_locations[util::to_lower(text(location, "id"))] = text(location, "displayName");
  m_types = snapshot.object_types;
  for (auto* names : {&m_groups, &m_apps, &m_locations}) common::drop_shared_names(*names);
}

std::string NameIndex::group(const std::string& id) const { return common::name_or_id(m_groups, "group:", util::to_lower(id), id); }
std::string NameIndex::user(const std::string& id) const { return common::name_or_id(m_users, "user:", util::to_lower(id), id); }
std::string NameIndex::app(const std::string& app_id) const {
  // An application without an application object in the tenant: Microsoft's own, or another
  // organisation's multi-tenant app.
  if (!m_apps.contains(util::to_lower(app_id))) return external_app_reference(app_id);
  return common::name_or_id(m_apps, "app:", util::to_lower(app_id), app_id);
}
std::string NameIndex::location(const std::string& id) const { return common::name_or_id(m_locations, "location:", util::to_lower(id), id); }

std::string NameIndex::directory_object(const std::string& id) const {
  auto typed = m_types.find(id);
  if (typed == m_types.end()) return user(id);  // users are the objects without a type entry
  if (typed->second == "group") return group(id);
  // Service principals, devices, contacts: types the config cannot name.
  return typed->second + ":" + id;
}

bool is_raw_object_reference(const std::string& reference) {
  auto colon = reference.find(':');
  if (colon == std::string::npos) return false;
  return model::Reference::parse(reference).type.empty();
}

Result<std::string> IdResolver::id_of(const std::string& reference) const {
  if (auto app_id = external_app_id(reference)) return *app_id;
  if (auto id = common::resolve_reference(m_ids, reference)) return *id;
  if (is_raw_object_reference(reference)) return reference.substr(reference.find(':') + 1);
  return fail("cannot resolve " + reference + " to an id", "it is not in the tenant (yet)");
}

}  // namespace idform::providers::entra
