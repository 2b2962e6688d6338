#pragma once
// Application <-> Okta app (SAML_2_0 and OPENID_CONNECT custom apps).
//
//   name                          label
//   description                   settings.notes.admin (null reads as "")
//   sso.protocol                  signOnMode: saml = SAML_2_0, oidc = OPENID_CONNECT
//   sso.saml.entity_id            settings.signOn.audience
//   sso.saml.acs_urls             settings.signOn.ssoAcsUrl (also recipient and destination) plus,
//                                 for several URLs, acsEndpoints with allowMultipleAcsEndpoints
//   sso.saml.name_id_format       settings.signOn.subjectNameIdFormat (email = ...:emailAddress,
//                                 persistent, transient, unspecified)
//   sso.oidc.redirect_uris        settings.oauthClient.redirect_uris, application_type web
//   sso.oidc.spa_redirect_uris    settings.oauthClient.redirect_uris, application_type browser
//   sso.oidc.public_client_redirect_uris  settings.oauthClient.redirect_uris, application_type native
//   sso.oidc.post_logout_redirect_uris    settings.oauthClient.post_logout_redirect_uris
//   sso.oidc.grant_types          settings.oauthClient.grant_types (device_code =
//                                 urn:ietf:params:oauth:grant-type:device_code)
//   sso.oidc.id_token_issuance    "id_token" in settings.oauthClient.response_types
//   sso.oidc.access_token_issuance "token" in settings.oauthClient.response_types
//   assignments                   GET /api/v1/apps/{id}/groups: "group:NAME", with
//                                 "|role:ROLE" when the assignment's profile has a `role`
// The resource id is the app id. Apps of other sign-on modes, Okta's own apps and OAuth service
// apps are read-only. Okta has no app roles, SAML sign-on URL, or (without the SP's certificate)
// single logout URL to set; check() says so.

#include <nlohmann/json.hpp>
#include <string>

#include "providers/okta/references.hpp"
#include "providers/okta/tenant_snapshot.hpp"
#include "reconciler/model/resource.hpp"

namespace idform::providers::okta {

// SAML 2.0 or OpenID Connect custom apps that idform may change (not Okta's own, not service apps).
bool is_managed_app(const nlohmann::json& app);
// One of Okta's own apps (the Admin Console "saasure", the End-User Dashboard "okta_enduser",
// ...): policies refer to it as "app:okta:<its Okta app name>", the same in every org.
bool is_okta_own_app(const nlohmann::json& app);

model::Resource application_resource(const nlohmann::json& app, const TenantSnapshot& snapshot, const NameIndex& names);

// The body of POST /api/v1/apps for a new app labelled `label` with the settings of `spec`.
Result<nlohmann::json> new_app_body(const std::string& label, const nlohmann::json& spec);

// Writes the config fields stated in `spec` into `app` (as GET returned it) for a PUT, and
// removes what a PUT must not carry (read-only properties, the client secret).
Result<void> apply_app_fields(nlohmann::json& app, const std::string& label, const nlohmann::json& spec);

// Config word <-> Okta value.
std::string okta_name_id_format(const std::string& word);
std::string okta_grant_type(const std::string& word);

}  // namespace idform::providers::okta
