// Maps an idform application to a Graph application object and its service principal, and back.
#include "providers/entra/application_mapping.hpp"

#include <algorithm>

#include "providers/entra/app_roles.hpp"
#include "providers/entra/json_fields.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

using nlohmann::json;

json strings_at(const json& object, const char* parent, const char* key) {
  json out = json::array();
  const json* holder = &object;
  if (parent) {
    if (!object.contains(parent) || !object[parent].is_object()) return out;
    holder = &object[parent];
  }
  if (!holder->contains(key) || !(*holder)[key].is_array()) return out;
  for (const auto& item : (*holder)[key])
    if (item.is_string()) out.push_back(item);
  return out;
}

bool implicit_flag(const json& application, const char* key) {
  return flag(child(child(application, "web"), "implicitGrantSettings"), key);
}

std::string protocol_of(const json& application, const json* principal) {
  std::string mode = principal ? text(*principal, "preferredSingleSignOnMode") : "";
  if (mode == "saml" || mode == "oidc") return mode;
  bool has_redirects = !strings_at(application, "web", "redirectUris").empty() ||
                       !strings_at(application, "spa", "redirectUris").empty() ||
                       !strings_at(application, "publicClient", "redirectUris").empty();
  return has_redirects ? "oidc" : "";
}

json assignments_of(const json& roles, const json& principal, const TenantSnapshot& snapshot,
                    const NameIndex& names) {
  json out = json::array();
  auto found = snapshot.assignments.find(text(principal, "id"));
  if (found == snapshot.assignments.end()) return out;
  for (const auto& assignment : found->second) {
    std::string principal_id = text(assignment, "principalId");
    std::string type = text(assignment, "principalType");
    // A principal type the config cannot name stays visible by type and id.
    std::string element = type == "Group"              ? names.group(principal_id)
                          : type == "User"             ? names.user(principal_id)
                          : type == "ServicePrincipal" ? "servicePrincipal:" + principal_id
                                                       : "directoryObject:" + principal_id;
    std::string role = assigned_role_name(roles, text(assignment, "appRoleId"));
    if (!role.empty()) element += "|role:" + role;
    out.push_back(element);
  }
  return out;
}

bool wants(const std::vector<std::string>& paths, std::string_view path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

const json* value_at(const json& spec, std::string_view path) {
  const json* value = spec.is_object() ? model::find_path(spec, path) : nullptr;
  return value && !value->is_null() ? value : nullptr;
}

}  // namespace

model::Resource application_resource(const json& application, const TenantSnapshot& snapshot,
                                     const NameIndex& names) {
  model::Resource resource;
  resource.kind = model::Kind::application;
  resource.id = text(application, "appId");
  resource.name = text(application, "displayName");
  json& spec = resource.spec;
  spec["description"] = text(application, "description");

  auto principal = snapshot.service_principals.find(resource.id);
  const json* sp = principal == snapshot.service_principals.end() ? nullptr : &principal->second;
  std::string protocol = protocol_of(application, sp);
  if (!protocol.empty()) spec["sso"]["protocol"] = protocol;
  if (protocol == "saml") {
    json saml = json::object();
    json identifiers = strings_at(application, nullptr, "identifierUris");
    if (!identifiers.empty()) saml["entity_id"] = identifiers.front();
    saml["acs_urls"] = strings_at(application, "web", "redirectUris");
    if (std::string url = sp ? text(*sp, "loginUrl") : ""; !url.empty()) saml["sign_on_url"] = url;
    if (application.contains("web") && application["web"].is_object())
      if (std::string url = text(application["web"], "logoutUrl"); !url.empty()) saml["logout_url"] = url;
    spec["sso"]["saml"] = std::move(saml);
  } else if (protocol == "oidc") {
    spec["sso"]["oidc"] = {{"redirect_uris", strings_at(application, "web", "redirectUris")},
                           {"spa_redirect_uris", strings_at(application, "spa", "redirectUris")},
                           {"public_client_redirect_uris", strings_at(application, "publicClient", "redirectUris")},
                           {"id_token_issuance", implicit_flag(application, "enableIdTokenIssuance")},
                           {"access_token_issuance", implicit_flag(application, "enableAccessTokenIssuance")}};
  }

  // SAML apps keep their roles on the service principal (app_roles.hpp); assignments name the
  // service principal's roles, which mirror the application's for app registrations.
  json app_roles = items(application, "appRoles");
  json principal_roles = sp ? items(*sp, "appRoles") : json::array();
  spec["roles"] = managed_role_names(protocol == "saml" && !principal_roles.empty() ? principal_roles : app_roles);
  if (sp) spec["assignments"] = assignments_of(principal_roles.empty() ? app_roles : principal_roles, *sp, snapshot, names);
  return resource;
}

ApplicationProperties application_properties(const json& spec, const std::vector<std::string>& paths,
                                             const json& live) {
  ApplicationProperties out;
  json& app = out.application;
  json& sp = out.service_principal;
  if (wants(paths, "description")) {
    const json* description = value_at(spec, "description");
    app["description"] = description && !description->get<std::string>().empty() ? *description : json();
  }
  if (wants(paths, "sso.protocol"))
    if (const json* protocol = value_at(spec, "sso.protocol")) sp["preferredSingleSignOnMode"] = *protocol;
  if (wants(paths, "sso.saml.entity_id"))
    if (const json* entity = value_at(spec, "sso.saml.entity_id")) app["identifierUris"] = json::array({*entity});
  for (const char* path : {"sso.saml.acs_urls", "sso.oidc.redirect_uris"})
    if (wants(paths, path))
      if (const json* uris = value_at(spec, path)) app["web"]["redirectUris"] = *uris;
  if (wants(paths, "sso.saml.logout_url"))
    if (const json* url = value_at(spec, "sso.saml.logout_url")) app["web"]["logoutUrl"] = *url;
  if (wants(paths, "sso.saml.sign_on_url"))
    if (const json* url = value_at(spec, "sso.saml.sign_on_url")) sp["loginUrl"] = *url;
  if (wants(paths, "sso.oidc.spa_redirect_uris"))
    if (const json* uris = value_at(spec, "sso.oidc.spa_redirect_uris")) app["spa"]["redirectUris"] = *uris;
  if (wants(paths, "sso.oidc.public_client_redirect_uris"))
    if (const json* uris = value_at(spec, "sso.oidc.public_client_redirect_uris"))
      app["publicClient"]["redirectUris"] = *uris;
  if (wants(paths, "sso.oidc.id_token_issuance") || wants(paths, "sso.oidc.access_token_issuance")) {
    // Both switches live in one object: state both, the unmanaged one as it is now.
    auto flag = [&](const char* path) {
      if (const json* value = value_at(spec, path)) return value->get<bool>();
      if (const json* value = value_at(live, path)) return value->get<bool>();
      return false;
    };
    app["web"]["implicitGrantSettings"] = {{"enableIdTokenIssuance", flag("sso.oidc.id_token_issuance")},
                                           {"enableAccessTokenIssuance", flag("sso.oidc.access_token_issuance")}};
  }
  return out;
}

}  // namespace idform::providers::entra
