#pragma once
// Microsoft Entra built-in directory roles by display name and template id. Conditional access
// names roles by template id (conditions.users.includeRoles); the config names them by display
// name (role:Global Administrator). Template ids are the same in every tenant (Microsoft Entra
// built-in roles reference, "All roles" table).

#include <optional>
#include <string>
#include <string_view>

namespace idform::providers::entra {

// Case-insensitive lookup by display name.
std::optional<std::string> role_template_id(std::string_view display_name);
std::optional<std::string> role_display_name(std::string_view template_id);

}  // namespace idform::providers::entra
