#pragma once
// App roles, the one part of an application that lives in two places.
//
// An app registration defines its roles on the application object and Entra mirrors them to the
// service principal. Roles of SAML enterprise apps are managed on the service principal
// (Microsoft's "configure the role claim" for enterprise apps), next to the two roles the SAML
// template puts there itself, User and msiam_access, which carry no value and are not idform's
// to manage: they are hidden from `roles`, and an assignment to one of them reads as the
// default access. Assignments always name roles of the service principal, their resource.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

// Roles the SAML template (or Entra) provides: no claim value.
bool is_builtin_role(const nlohmann::json& role);
// Display names of the enabled roles idform manages.
nlohmann::json managed_role_names(const nlohmann::json& roles);
// The role an assignment names: its display name, or "" for default access.
std::string assigned_role_name(const nlohmann::json& roles, const std::string& role_id);
// The appRoleId for an assignment naming `name` ("" = default access: the template's User role
// where there is one, else 00000000-0000-0000-0000-000000000000).
Result<std::string> assignable_role_id(const nlohmann::json& roles, const std::string& name);

// The role collection after adding `added` (fresh ids) and disabling `removed` (Graph deletes a
// role only once it is disabled); then `without_disabled` drops the disabled ones for good.
nlohmann::json with_role_changes(nlohmann::json roles, const std::vector<std::string>& added,
                                 const std::vector<std::string>& removed);
nlohmann::json without_disabled(const nlohmann::json& roles, const std::vector<std::string>& removed);

nlohmann::json new_app_role(const std::string& display_name);
// The claim value of a role: its name without spaces or other characters Graph refuses.
std::string app_role_value(const std::string& display_name);

}  // namespace idform::providers::entra
