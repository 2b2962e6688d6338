#pragma once
// The parts of Graph v1.0's conditionalAccessPolicy beyond users/apps/locations/platforms/
// client app types/risk and the first grant and session controls (policy_mapping.hpp has those):
//
//   users.include|exclude_guests_or_external_users  conditions.users.include|excludeGuestsOrExternalUsers
//       .types             guestOrExternalUserTypes (a flags string: internal_guest = internalGuest, ...)
//       .external_tenants  externalTenants: [all] = conditionalAccessAllExternalTenants,
//                          tenant ids = conditionalAccessEnumeratedExternalTenants.members
//   applications.include_user_actions      includeUserActions (register_security_info =
//                                          urn:user:registersecurityinfo, register_device = urn:user:registerdevice)
//   applications.include_authentication_contexts  includeAuthenticationContextClassReferences (c1..c99)
//   applications.filter {mode, rule}        applicationFilter
//   client_applications.include|exclude     clientApplications.include|excludeServicePrincipals
//                                           (all = ServicePrincipalsInMyTenant, id:ID = the object id)
//   client_applications.filter              clientApplications.servicePrincipalFilter
//   devices.filter                          devices.deviceFilter
//   authentication_flows                    authenticationFlows.transferMethods (flags string)
//   insider_risk                            insiderRiskLevels (flags string)
//   service_principal_risk                  servicePrincipalRiskLevels
//   grant.authentication_strength           grantControls.authenticationStrength {id}: the built-in
//                                           strengths by name (kBuiltInStrengths), others id:ID
//   grant.terms_of_use, grant.custom_authentication_factors  grantControls.termsOfUse, customAuthenticationFactors
//   session.sign_in_frequency_authentication signInFrequency.authenticationType
//   session.cloud_app_security               cloudAppSecurity {isEnabled, cloudAppSecurityType}; none = disabled
//   session.disable_resilience_defaults      disableResilienceDefaults
//   session.secure_sign_in_session           secureSignInSession.isEnabled

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

// Graph's three built-in authentication strengths and their fixed ids
// (authenticationstrengthroot-list-policies). The config names them as the Entra admin center does.
struct BuiltInStrength {
  std::string_view name;
  std::string_view id;
};
inline constexpr BuiltInStrength kBuiltInStrengths[] = {
    {"Multifactor authentication", "00000000-0000-0000-0000-000000000002"},
    {"Passwordless MFA", "00000000-0000-0000-0000-000000000003"},
    {"Phishing-resistant MFA", "00000000-0000-0000-0000-000000000004"},
};

// "authentication_strength:Phishing-resistant MFA" -> its id; "authentication_strength:id:X" -> X.
std::optional<std::string> authentication_strength_id(const std::string& reference);
// The reverse: a built-in id reads as its name, any other as id:ID.
std::string authentication_strength_reference(const std::string& id);

// Adds the fields above, as read from `policy`, to `spec`.
void read_policy_extensions(const nlohmann::json& policy, nlohmann::json& spec);

// Writes the stated fields above that `touched` names into the Graph body.
using TouchedPredicate = std::function<bool(std::string_view)>;
Result<void> write_policy_extensions(const nlohmann::json& spec, const TouchedPredicate& touched, nlohmann::json& body);

// signInFrequency.authenticationType for the spec's session.sign_in_frequency_authentication.
std::string frequency_authentication_type(const nlohmann::json& spec);

}  // namespace idform::providers::entra
