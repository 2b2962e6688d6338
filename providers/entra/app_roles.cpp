// App roles of an Entra application, kept on both the application object and its service principal.
#include "providers/entra/app_roles.hpp"

#include <algorithm>

#include "providers/entra/client_assertion.hpp"
#include "providers/entra/json_fields.hpp"
#include "providers/entra/references.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {

using nlohmann::json;

bool is_builtin_role(const json& role) { return text(role, "value").empty(); }

json managed_role_names(const json& roles) {
  json out = json::array();
  for (const auto& role : roles)
    if (flag(role, "isEnabled", true) && !is_builtin_role(role)) out.push_back(text(role, "displayName"));
  return out;
}

std::string assigned_role_name(const json& roles, const std::string& role_id) {
  if (role_id.empty() || role_id == kDefaultAppRoleId) return "";
  for (const auto& role : roles)
    if (util::iequals(text(role, "id"), role_id)) return is_builtin_role(role) ? "" : text(role, "displayName");
  return "id:" + role_id;  // a role that no longer exists
}

Result<std::string> assignable_role_id(const json& roles, const std::string& name) {
  if (name.starts_with("id:")) return name.substr(3);
  for (const auto& role : roles) {
    if (!flag(role, "isEnabled", true)) continue;
    if (name.empty() && is_builtin_role(role) && text(role, "displayName") == "User") return text(role, "id");
    if (!name.empty() && !is_builtin_role(role) && text(role, "displayName") == name) return text(role, "id");
  }
  if (name.empty()) return std::string(kDefaultAppRoleId);
  return fail("the application has no enabled role \"" + name + "\"");
}

json with_role_changes(json roles, const std::vector<std::string>& added, const std::vector<std::string>& removed) {
  if (!roles.is_array()) roles = json::array();
  for (auto& role : roles)
    if (std::find(removed.begin(), removed.end(), text(role, "displayName")) != removed.end() && !is_builtin_role(role))
      role["isEnabled"] = false;
  for (const std::string& name : added) {
    bool revived = false;  // a disabled role of that name comes back with its id
    for (auto& role : roles)
      if (text(role, "displayName") == name && !is_builtin_role(role) && !flag(role, "isEnabled", true)) {
        role["isEnabled"] = true;
        revived = true;
      }
    if (!revived) roles.push_back(new_app_role(name));
  }
  return roles;
}

json without_disabled(const json& roles, const std::vector<std::string>& removed) {
  json kept = json::array();
  for (const auto& role : roles) {
    bool dropped = !flag(role, "isEnabled", true) &&
                   std::find(removed.begin(), removed.end(), text(role, "displayName")) != removed.end();
    if (!dropped) kept.push_back(role);
  }
  return kept;
}

std::string app_role_value(const std::string& display_name) {
  std::string value;
  for (unsigned char c : display_name)
    value += std::isalnum(c) || c == '.' || c == '-' || c == '_' ? static_cast<char>(c) : '_';
  return value;
}

json new_app_role(const std::string& display_name) {
  return {{"id", random_guid()},
          {"displayName", display_name},
          {"description", display_name},
          {"value", app_role_value(display_name)},
          {"isEnabled", true},
          {"allowedMemberTypes", json::array({"User"})}};
}

}  // namespace idform::providers::entra
