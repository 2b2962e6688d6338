#pragma once
// ConditionalAccessPolicy <-> Graph conditionalAccessPolicy.
//
//   name                      displayName
//   state                     state: enabled | disabled | report-only = enabledForReportingButNotEnforced
//   users.include/exclude     conditions.users.include|exclude Users / Groups / Roles:
//                             all = All, none = None, guests = GuestsOrExternalUsers,
//                             user:EMAIL = user id, group:NAME = group id, role:NAME = role template id
//   applications.include/exclude  conditions.applications.include|excludeApplications:
//                             all = All, none = None, office365 = Office365, app:NAME = appId
//   locations.include/exclude conditions.locations.include|excludeLocations:
//                             any = All, all_trusted = AllTrusted, location:NAME = named location id
//   platforms.include/exclude conditions.platforms.include|excludePlatforms (ios = iOS, macos = macOS,
//                             windows_phone = windowsPhone)
//   client_app_types          conditions.clientAppTypes (mobile_and_desktop = mobileAppsAndDesktopClients,
//                             exchange_active_sync = exchangeActiveSync)
//   sign_in_risk, user_risk   conditions.signInRiskLevels, conditions.userRiskLevels
//   grant.operator            grantControls.operator AND | OR
//   grant.controls            grantControls.builtInControls (compliant_device = compliantDevice,
//                             domain_joined_device = domainJoinedDevice, approved_app = approvedApplication,
//                             compliant_app = compliantApplication, password_change = passwordChange)
//   session.sign_in_frequency sessionControls.signInFrequency: 8h = {value 8, type hours}, 1d = days,
//                             every_time = {frequencyInterval everyTime}
//   session.persistent_browser sessionControls.persistentBrowser {isEnabled, mode always|never}
//   session.app_enforced_restrictions sessionControls.applicationEnforcedRestrictions.isEnabled
// Values Graph holds that the config has no word for stay in the live spec as they are (an
// unknown app id, an unknown enum value), so the plan shows them.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/entra/references.hpp"
#include "reconciler/model/resource.hpp"

namespace idform::providers::entra {

model::Resource policy_resource(const nlohmann::json& policy, const NameIndex& names);

// The (partial) Graph policy expressing the config fields `paths` of `spec`; PATCH merges it.
Result<nlohmann::json> policy_properties(const nlohmann::json& spec, const std::vector<std::string>& paths,
                                         const IdResolver& ids);

// Enumerations: config word <-> Graph word. Unknown words pass through unchanged.
std::string graph_platform(const std::string& word);
std::string graph_client_app_type(const std::string& word);
std::string graph_grant_control(const std::string& word);

}  // namespace idform::providers::entra
