#pragma once
// Translating between Okta ids and idform references, in both directions.
//
// Reading: NameIndex turns the ids an Okta object holds into references by name
// ("group:payments-oncall", "user:alice@acme.example", "app:Salesforce", "location:hq"), so the
// live spec compares directly with the config. An object it cannot name by a unique name is
// written "group:id:<id>" (the applier resolves that form without a lookup).
// Writing: IdResolver turns references back into ids, from the ids the applier resolved
// (including objects created earlier in the same apply).

#include <map>
#include <string>

#include "providers/okta/tenant_snapshot.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

class NameIndex {
 public:
  explicit NameIndex(const TenantSnapshot& snapshot);

  std::string group(const std::string& id) const;     // "group:NAME", else "group:id:<id>"
  std::string user(const std::string& id) const;      // "user:login" (lower case), else "user:id:<id>"
  std::string app(const std::string& id) const;       // "app:LABEL", "app:okta:<name>" for Okta's own apps, else "app:id:<id>"
  std::string location(const std::string& id) const;  // "location:NAME", else "location:id:<id>"

 private:
  std::map<std::string, std::string> m_groups, m_users, m_apps, m_locations;
  std::map<std::string, std::string> m_okta_apps;  // id -> Okta app name, for Okta's own apps
};

class IdResolver {
 public:
  explicit IdResolver(const std::map<std::string, std::string>& ids) : m_ids(ids) {}
  // "group:x", "user:a@b", "app:x", "location:x" -> id; "group:id:<id>" -> <id>.
  Result<std::string> id_of(const std::string& reference) const;

 private:
  const std::map<std::string, std::string>& m_ids;
};

}  // namespace idform::providers::okta
