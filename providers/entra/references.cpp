// Translates between Graph ids and idform references, in both directions.
#include "providers/entra/references.hpp"

#include "providers/common/references.hpp"
#include "providers/entra/first_party_apps.hpp"
#include "providers/entra/json_fields.hpp"
#include "reconciler/model/resource.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
NameIndex::NameIndex(const TenantSnapshot& snapshot) {
  std::map<std::string, std::string> groups, users, apps, locations;
  for (const auto& group : snapshot.groups) groups[util::to_lower(text(group, "id"))] = text(group, "displayName");
  for (const auto& [id, user] : snapshot.users) users[util::to_lower(id)] = util::to_lower(user.user_principal_name);
  for (const auto& app : snapshot.applications) apps[util::to_lower(text(app, "appId"))] = text(app, "displayName");
  for (const auto& location : snapshot.locations)
    locations[util::to_lower(text(location, "id"))] = text(location, "displayName");
  for (auto* names : {&groups, &apps, &locations}) common::drop_shared_names(*names);
  m_groups = references(groups, "group:");
  m_users = references(users, "user:");
  m_apps = references(apps, "app:");
  m_locations = references(locations, "location:");
  m_types.insert(snapshot.object_types.begin(), snapshot.object_types.end());
}

NameIndex::References NameIndex::references(const std::map<std::string, std::string>& names, std::string_view prefix) {
  References out;
  out.reserve(names.size());
  for (const auto& [id, name] : names) out.emplace(id, name.empty() ? std::string() : std::string(prefix) + name);
  return out;
}

// Graph's ids are lower-case GUIDs, so the id is looked up as it is first and lowered only when
// that fails; an object without a unique name reads "PREFIX:id:<id>", with the id as given.
std::string NameIndex::lookup(const References& references, std::string_view prefix, const std::string& id) {
  auto found = references.find(id);
  if (found == references.end()) found = references.find(util::to_lower(id));
  if (found == references.end() || found->second.empty()) return std::string(prefix) + "id:" + id;
  return found->second;
}

std::string NameIndex::group(const std::string& id) const { return lookup(m_groups, "group:", id); }
std::string NameIndex::user(const std::string& id) const { return lookup(m_users, "user:", id); }
std::string NameIndex::app(const std::string& app_id) const {
  // An application without an application object in the tenant: Microsoft's own, or another
  // organisation's multi-tenant app.
  if (!m_apps.contains(app_id) && !m_apps.contains(util::to_lower(app_id))) return external_app_reference(app_id);
  return lookup(m_apps, "app:", app_id);
}
std::string NameIndex::location(const std::string& id) const { return lookup(m_locations, "location:", id); }

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
