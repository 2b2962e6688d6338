#pragma once
// Translating between Graph ids and idform references, in both directions.
//
// Reading: NameIndex turns the ids a Graph object holds into references by name
// ("group:payments-oncall", "user:alice@acme.example", "app:Salesforce"), so the live spec
// compares directly with the config. An object it cannot name by a unique name is written
// "group:id:<id>" (the applier resolves that form without a lookup); members and assignees of
// types the config has no word for keep their Graph type, "servicePrincipal:<id>", so the plan
// shows them and removing them still works.
// Writing: IdResolver turns references back into ids, from the ids the applier resolved
// (including objects created earlier in the same apply).

#include <map>
#include <unordered_map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "providers/entra/tenant_snapshot.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

inline constexpr const char* kDefaultAppRoleId = "00000000-0000-0000-0000-000000000000";

class NameIndex {
 public:
  explicit NameIndex(const TenantSnapshot& snapshot);

  std::string group(const std::string& id) const;         // "group:NAME", else "group:id:<id>"
  std::string user(const std::string& id) const;          // "user:upn" (lower case), else "user:id:<id>"
  // "app:NAME", "app:id:<appId>" when the name is shared, and for an application with no
  // application object in the tenant "app:microsoft:NAME" or "app:appid:<appId>".
  std::string app(const std::string& app_id) const;
  std::string location(const std::string& id) const;      // "location:NAME", else "location:id:<id>"
  // A member or owner by id (TenantSnapshot::object_types says what it is): "user:upn",
  // "group:NAME" or "type:id".
  std::string directory_object(const std::string& id) const;

 private:
  // id (lower case) -> the whole reference ("user:alice@acme.example"), or "" when the object has
  // no unique name. Built once: a large tenant's member lists look up half a million ids.
  using References = std::unordered_map<std::string, std::string>;
  static References references(const std::map<std::string, std::string>& names, std::string_view prefix);
  static std::string lookup(const References& references, std::string_view prefix, const std::string& id);

  References m_groups, m_users, m_apps, m_locations;
  std::unordered_map<std::string, std::string> m_types;  // id -> Graph type of members and owners that are not users
};

class IdResolver {
 public:
  explicit IdResolver(const std::map<std::string, std::string>& ids) : m_ids(ids) {}
  // "group:x", "user:a@b", "app:x", "location:x" -> id; "group:id:<id>", "servicePrincipal:<id>" -> <id>.
  Result<std::string> id_of(const std::string& reference) const;

 private:
  const std::map<std::string, std::string>& m_ids;
};

// "servicePrincipal:<id>" and friends: objects of types the config cannot name.
bool is_raw_object_reference(const std::string& reference);

}  // namespace idform::providers::entra
