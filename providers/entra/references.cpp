#include "providers/entra/json_fields.hpp"
#include "providers/entra/references.hpp"

#include "reconciler/model/resource.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {


// "group:NAME"; "group:id:<id>" when the name is shared by several objects or the id is unknown
// (the form the applier resolves without a lookup).
std::string lookup(const std::map<std::string, std::string>& names, const std::string& prefix,
                   const std::string& id) {
  auto found = names.find(util::to_lower(id));
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
  for (const auto& group : snapshot.groups)
    m_groups[util::to_lower(text(group, "id"))] = text(group, "displayName");
  for (const auto& [id, user] : snapshot.users) m_users[util::to_lower(id)] = util::to_lower(user.user_principal_name);
  for (const auto& app : snapshot.applications)
    m_apps[util::to_lower(text(app, "appId"))] = text(app, "displayName");
  for (const auto& location : snapshot.locations)
    m_locations[util::to_lower(text(location, "id"))] = text(location, "displayName");
  for (auto* names : {&m_groups, &m_apps, &m_locations}) drop_shared(*names);
}

std::string NameIndex::group(const std::string& id) const { return lookup(m_groups, "group:", id); }
std::string NameIndex::user(const std::string& id) const { return lookup(m_users, "user:", id); }
std::string NameIndex::app(const std::string& app_id) const { return lookup(m_apps, "app:", app_id); }
std::string NameIndex::location(const std::string& id) const { return lookup(m_locations, "location:", id); }

std::string NameIndex::directory_object(const nlohmann::json& object) const {
  std::string id = text(object, "id");
  std::string type = text(object, "@odata.type");
  if (type.starts_with("#microsoft.graph.")) type = type.substr(17);
  if (type == "user" || (type.empty() && object.contains("userPrincipalName"))) {
    std::string upn = text(object, "userPrincipalName");
    return upn.empty() ? user(id) : "user:" + util::to_lower(upn);
  }
  if (type == "group") return group(id);
  // Service principals, devices, contacts: types the config cannot name.
  return (type.empty() ? "directoryObject" : type) + ":" + id;
}

bool is_raw_object_reference(const std::string& reference) {
  auto colon = reference.find(':');
  if (colon == std::string::npos) return false;
  return model::Reference::parse(reference).type.empty();
}

Result<std::string> IdResolver::id_of(const std::string& reference) const {
  auto found = m_ids.find(reference);
  if (found != m_ids.end()) return found->second;
  model::Reference ref = model::Reference::parse(reference);
  if (ref.type == "user") {
    found = m_ids.find("user:" + util::to_lower(ref.value));
    if (found != m_ids.end()) return found->second;
  }
  if (ref.value.starts_with("id:")) return ref.value.substr(3);  // "group:id:<id>"
  if (is_raw_object_reference(reference)) return reference.substr(reference.find(':') + 1);
  return fail("cannot resolve " + reference + " to an id", "it is not in the tenant (yet)");
}

}  // namespace idform::providers::entra
