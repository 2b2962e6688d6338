// The four kinds and the catalogue of their fields: every managed path and how it compares.
#include "reconciler/model/kind.hpp"

#include <array>

namespace idform::model {
namespace {

struct KindNames {
  Kind kind;
  std::string_view document;
  std::string_view prefix;
  std::string_view plural;
  std::string_view label;
};

constexpr std::array<KindNames, 4> kNames{{
    {Kind::group, "Group", "group", "groups", "group"},
    {Kind::application, "Application", "app", "applications", "application"},
    {Kind::conditional_access_policy, "ConditionalAccessPolicy", "policy",
     "conditional_access_policies", "conditional access policy"},
    {Kind::named_location, "NamedLocation", "location", "named_locations", "named location"},
}};

const KindNames& names_of(Kind kind) {
  for (const auto& names : kNames)
    if (names.kind == kind) return names;
  return kNames[0];
}

constexpr Field kGroupFields[] = {
    {"description", FieldType::string},
    {"owners", FieldType::set_ci},
    {"members", FieldType::members},
};

constexpr Field kApplicationFields[] = {
    {"description", FieldType::string},
    {"sso.protocol", FieldType::string},
    {"sso.saml.entity_id", FieldType::string},
    {"sso.saml.acs_urls", FieldType::set},
    {"sso.saml.sign_on_url", FieldType::string},
    {"sso.saml.logout_url", FieldType::string},
    {"sso.saml.name_id_format", FieldType::string},
    {"sso.oidc.redirect_uris", FieldType::set},
    {"sso.oidc.spa_redirect_uris", FieldType::set},
    {"sso.oidc.public_client_redirect_uris", FieldType::set},
    {"sso.oidc.post_logout_redirect_uris", FieldType::set},
    {"sso.oidc.grant_types", FieldType::set},
    {"sso.oidc.id_token_issuance", FieldType::boolean},
    {"sso.oidc.access_token_issuance", FieldType::boolean},
    {"roles", FieldType::set},
    {"assignments", FieldType::assignments},
};

constexpr Field kPolicyFields[] = {
    {"state", FieldType::string},
    {"users.include", FieldType::reference_set},
    {"users.exclude", FieldType::reference_set},
    {"applications.include", FieldType::reference_set},
    {"applications.exclude", FieldType::reference_set},
    {"locations.include", FieldType::reference_set},
    {"locations.exclude", FieldType::reference_set},
    {"platforms.include", FieldType::set},
    {"platforms.exclude", FieldType::set},
    {"client_app_types", FieldType::set},
    {"sign_in_risk", FieldType::set},
    {"user_risk", FieldType::set},
    {"grant.operator", FieldType::string},
    {"grant.controls", FieldType::set},
    {"session.sign_in_frequency", FieldType::duration},
    {"session.persistent_browser", FieldType::string},
    {"session.app_enforced_restrictions", FieldType::boolean},
    // The rest of Graph v1.0's conditionalAccessPolicy (conditionalAccessConditionSet,
    // conditionalAccessGrantControls, conditionalAccessSessionControls).
    {"users.include_guests_or_external_users.types", FieldType::set},
    {"users.include_guests_or_external_users.external_tenants", FieldType::set},
    {"users.exclude_guests_or_external_users.types", FieldType::set},
    {"users.exclude_guests_or_external_users.external_tenants", FieldType::set},
    {"applications.include_user_actions", FieldType::set},
    {"applications.include_authentication_contexts", FieldType::set},
    {"applications.filter.mode", FieldType::string},
    {"applications.filter.rule", FieldType::string},
    {"client_applications.include", FieldType::set},
    {"client_applications.exclude", FieldType::set},
    {"client_applications.filter.mode", FieldType::string},
    {"client_applications.filter.rule", FieldType::string},
    {"devices.filter.mode", FieldType::string},
    {"devices.filter.rule", FieldType::string},
    {"authentication_flows", FieldType::set},
    {"insider_risk", FieldType::set},
    {"service_principal_risk", FieldType::set},
    {"grant.authentication_strength", FieldType::string},
    {"grant.terms_of_use", FieldType::set},
    {"grant.custom_authentication_factors", FieldType::set},
    {"session.sign_in_frequency_authentication", FieldType::string},
    {"session.cloud_app_security", FieldType::string},
    {"session.disable_resilience_defaults", FieldType::boolean},
    {"session.secure_sign_in_session", FieldType::boolean},
};

constexpr Field kLocationFields[] = {
    {"trusted", FieldType::boolean},
    {"ip_ranges", FieldType::cidr_set},
    {"countries", FieldType::country_set},
    {"include_unknown_countries", FieldType::boolean},
};

}  // namespace

std::string_view kind_document_name(Kind kind) { return names_of(kind).document; }
std::string_view kind_prefix(Kind kind) { return names_of(kind).prefix; }
std::string_view kind_plural(Kind kind) { return names_of(kind).plural; }
std::string_view kind_label(Kind kind) { return names_of(kind).label; }

std::optional<Kind> kind_from_document_name(std::string_view name) {
  for (const auto& names : kNames)
    if (names.document == name) return names.kind;
  return std::nullopt;
}
std::optional<Kind> kind_from_prefix(std::string_view prefix) {
  for (const auto& names : kNames)
    if (names.prefix == prefix) return names.kind;
  return std::nullopt;
}
std::optional<Kind> kind_from_plural(std::string_view plural) {
  for (const auto& names : kNames)
    if (names.plural == plural) return names.kind;
  return std::nullopt;
}

std::span<const Field> fields_of(Kind kind) {
  switch (kind) {
    case Kind::group: return kGroupFields;
    case Kind::application: return kApplicationFields;
    case Kind::conditional_access_policy: return kPolicyFields;
    case Kind::named_location: return kLocationFields;
  }
  return {};
}

const Field* find_field(Kind kind, std::string_view path) {
  for (const Field& field : fields_of(kind))
    if (field.path == path) return &field;
  return nullptr;
}

}  // namespace idform::model
