#pragma once
// Application <-> Graph application object + its service principal.
//
//   name                              application.displayName (and the service principal's)
//   description                       application.description (null reads as "")
//   sso.protocol                      servicePrincipal.preferredSingleSignOnMode saml | oidc
//                                     (null with redirect URIs reads as oidc)
//   sso.saml.entity_id                application.identifierUris (the first)
//   sso.saml.acs_urls                 application.web.redirectUris (reply URLs)
//   sso.saml.sign_on_url              servicePrincipal.loginUrl
//   sso.saml.logout_url               application.web.logoutUrl
//   sso.oidc.redirect_uris            application.web.redirectUris
//   sso.oidc.spa_redirect_uris        application.spa.redirectUris
//   sso.oidc.public_client_redirect_uris  application.publicClient.redirectUris
//   sso.oidc.id_token_issuance        application.web.implicitGrantSettings.enableIdTokenIssuance
//   sso.oidc.access_token_issuance    application.web.implicitGrantSettings.enableAccessTokenIssuance
//   roles                             application.appRoles; for SAML apps servicePrincipal.appRoles
//                                     (enabled ones with a value, by displayName; app_roles.hpp)
//   assignments                       servicePrincipal appRoleAssignedTo (role by appRoleId;
//                                     00000000-... or the template's User role = default access)
// The resource id is the appId (client id): it is what policies refer to, and Graph addresses
// both objects by it (/applications(appId='...'), /servicePrincipals(appId='...')).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/entra/references.hpp"
#include "providers/entra/tenant_snapshot.hpp"
#include "reconciler/model/resource.hpp"

namespace idform::providers::entra {

model::Resource application_resource(const nlohmann::json& application, const TenantSnapshot& snapshot,
                                     const NameIndex& names);

struct ApplicationProperties {
  nlohmann::json application = nlohmann::json::object();
  nlohmann::json service_principal = nlohmann::json::object();
};

// The Graph properties that express the config fields `paths` of `spec` (roles and assignments
// are separate calls). `live` (the normalised live spec, or null) completes values Graph keeps
// together, such as the two implicit-grant switches.
ApplicationProperties application_properties(const nlohmann::json& spec, const std::vector<std::string>& paths,
                                             const nlohmann::json& live);

}  // namespace idform::providers::entra
