#pragma once
// Group <-> Okta group.
//
//   name          profile.name
//   description   profile.description (null reads as "")
//   members       GET /api/v1/groups/{id}/users: "user:LOGIN" for each user
// Only OKTA_GROUP groups are managed. APP_GROUP (imported from AD, LDAP or an app) and BUILT_IN
// (Everyone) are read-only: their profile and members belong to the directory they come from.
// Okta has no nested groups and idform does not manage group owners in Okta; check() says so.

#include <nlohmann/json.hpp>
#include <string>

#include "providers/okta/references.hpp"
#include "providers/okta/tenant_snapshot.hpp"
#include "reconciler/model/resource.hpp"

namespace idform::providers::okta {

model::Resource group_resource(const nlohmann::json& group, const TenantSnapshot& snapshot, const NameIndex& names);

// The profile for a create or a replace: `current` (the group's profile now, or {}) with name and,
// when stated in `spec`, description. Okta replaces the whole profile on PUT, so custom profile
// attributes are carried over from `current`.
nlohmann::json group_profile(const nlohmann::json& current, const std::string& name, const nlohmann::json& spec);

}  // namespace idform::providers::okta
