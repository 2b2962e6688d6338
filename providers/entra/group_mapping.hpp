#pragma once
// Group <-> Graph group (a security group: securityEnabled, not mail-enabled, no groupTypes).
//
//   name         displayName
//   description  description (null reads as "")
//   owners       owners (users by userPrincipalName, lower case)
//   members      members: users as user:UPN, nested groups as group:NAME
// Groups synchronised from on-premises AD, dynamic groups, Microsoft 365 groups and mail-enabled
// security groups are read-only (see manageable_group).

#include <nlohmann/json.hpp>
#include <string>

#include "providers/entra/references.hpp"
#include "providers/entra/tenant_snapshot.hpp"
#include "reconciler/model/resource.hpp"

namespace idform::providers::entra {

// Whether idform may change this Graph group: a cloud security group with assigned membership.
bool manageable_group(const nlohmann::json& group);

model::Resource group_resource(const nlohmann::json& group, const TenantSnapshot& snapshot, const NameIndex& names);

// The body of POST /groups without relationships: a security group named `name`.
nlohmann::json new_group_body(const std::string& name, const nlohmann::json& spec);

// Graph requires a mailNickname even for security groups: at most 64 ASCII characters without
// @ ( ) \ [ ] " ; : . < > , or space. Derived from the name, so it is stable and readable.
std::string mail_nickname(const std::string& name);

}  // namespace idform::providers::entra
