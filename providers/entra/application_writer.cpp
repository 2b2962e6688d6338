// Applications are two Graph objects. A SAML app is created the way Microsoft documents for
// SAML single sign-on: instantiating the non-gallery application template, which makes both the
// application and its service principal and allows entity ids outside the tenant's verified
// domains; the SAML settings follow as PATCHes. An OIDC app (and a SAML app where the template
// API is not available) is POST /applications, then POST /servicePrincipals for its appId
// (retried while the new application has not replicated).
// App roles are one collection on the application: a role is added with a fresh id, and removed
// by first disabling it (Graph refuses to delete an enabled role), then dropping it. Assignments
// are appRoleAssignedTo entries on the service principal, with the default role
// 00000000-0000-0000-0000-000000000000 when none is named.

#include "providers/entra/json_fields.hpp"
#include "providers/entra/application_mapping.hpp"
#include "providers/entra/consistency.hpp"
#include "providers/entra/writers.hpp"
#include "reconciler/model/spec_path.hpp"

namespace idform::providers::entra {
namespace {

using nlohmann::json;

// Microsoft's "non-gallery application" template (application-saml-sso-configure-api).
constexpr const char* kCustomSamlTemplate = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";

std::string app_path(const std::string& app_id) { return "/applications(appId='" + app_id + "')"; }
std::string principal_path(const std::string& app_id) { return "/servicePrincipals(appId='" + app_id + "')"; }

bool template_api_missing(const Error& error) {
  return error.summary.find("HTTP 404") != std::string::npos ||
         error.summary.find("segment 'applicationTemplates'") != std::string::npos;
}

std::vector<std::string> strings_at(const json& spec, std::string_view path) {
  const json* value = model::find_path(spec, path);
  return value && value->is_array() ? value->get<std::vector<std::string>>() : std::vector<std::string>{};
}

Result<std::string> role_id(const json& roles, const std::string& name) {
  if (name.empty()) return std::string(kDefaultAppRoleId);
  for (const auto& role : roles)
    if (text(role, "displayName") == name && flag(role, "isEnabled", true)) return text(role, "id");
  return fail("the application has no enabled role \"" + name + "\"");
}

Result<void> add_assignments(GraphClient& graph, const std::string& principal_id, const json& roles,
                             const std::vector<std::string>& elements, const IdResolver& ids) {
  const std::string path = "/servicePrincipals/" + principal_id + "/appRoleAssignedTo";
  for (const std::string& entry : elements) {
    model::AssignmentElement element = model::AssignmentElement::parse(entry);
    std::string who = IDFORM_TRY(ids.id_of(element.principal.to_string()));
    std::string role = IDFORM_TRY(role_id(roles, element.role));
    json body = {{"principalId", who}, {"resourceId", principal_id}, {"appRoleId", role}};
    auto find_existing = [&]() -> Result<json> {
      auto current = IDFORM_TRY(graph.list(path + "?$select=" + std::string(kAssignmentSelect)));
      for (const auto& assignment : current)
        if (text(assignment, "principalId") == who && text(assignment, "appRoleId") == role) return assignment;
      return json();
    };
    IDFORM_TRY(create_object(graph, path, body, find_existing));
  }
  return {};
}

Result<void> remove_assignments(GraphClient& graph, const std::string& principal_id, const json& roles,
                                const std::vector<std::string>& elements, const IdResolver& ids) {
  if (elements.empty()) return {};
  const std::string path = "/servicePrincipals/" + principal_id + "/appRoleAssignedTo";
  auto current = IDFORM_TRY(graph.list(path + "?$select=" + std::string(kAssignmentSelect)));
  std::vector<std::string> deletions;
  for (const std::string& entry : elements) {
    model::AssignmentElement element = model::AssignmentElement::parse(entry);
    std::string who = IDFORM_TRY(ids.id_of(element.principal.to_string()));
    // A role that no longer exists still names its assignment by id.
    auto role = role_id(roles, element.role);
    std::string wanted_role = role ? *role : element.role;
    for (const auto& assignment : current)
      if (text(assignment, "principalId") == who && text(assignment, "appRoleId") == wanted_role)
        deletions.push_back(path + "/" + text(assignment, "id"));
  }
  return delete_all(graph, deletions);
}

Result<std::string> create_application(GraphClient& graph, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  const json& spec = change.desired;
  ApplicationProperties properties = application_properties(spec, touched_paths(change), nullptr);
  json roles = json::array();
  for (const std::string& name : strings_at(spec, "roles")) roles.push_back(new_app_role(name));
  const json* protocol = model::find_path(spec, "sso.protocol");
  const std::string name_filter = http::url_encode("displayName eq " + odata_quote(change.name));

  json application, principal;
  bool via_template = protocol && *protocol == "saml";
  json created;
  if (via_template) {
    auto find_existing = [&]() -> Result<json> {
      json app = IDFORM_TRY(find_first(graph, "/applications?$filter=" + name_filter + "&$select=id,appId"));
      return app.is_null() ? json() : json{{"application", app}};
    };
    auto instantiated = create_object(graph, "/applicationTemplates/" + std::string(kCustomSamlTemplate) + "/instantiate",
                                      {{"displayName", change.name}}, find_existing);
    // Where the application template API is not available, a SAML app is created like any other.
    if (instantiated) created = std::move(*instantiated);
    else if (template_api_missing(instantiated.error())) via_template = false;
    else return std::unexpected(instantiated.error());
  }
  if (via_template) {
    application = child(created, "application");
    json app_patch = properties.application;
    if (!roles.empty()) app_patch["appRoles"] = roles;
    if (!app_patch.empty()) IDFORM_TRY(write(graph, "PATCH", "/applications/" + text(application, "id"), app_patch));
    principal = child(created, "servicePrincipal");
    std::string app_id = text(application, "appId");
    if (text(principal, "id").empty())
      principal = IDFORM_TRY(find_first(graph, "/servicePrincipals?$filter=" + http::url_encode("appId eq " + odata_quote(app_id)) + "&$select=id"));
    if (principal.is_null()) return fail("the template created no service principal for " + app_id);
    IDFORM_TRY(write(graph, "PATCH", "/servicePrincipals/" + text(principal, "id"), properties.service_principal));
  } else {
    json body = properties.application;
    body["displayName"] = change.name;
    body["signInAudience"] = "AzureADMyOrg";
    if (!roles.empty()) body["appRoles"] = roles;
    application = IDFORM_TRY(create_object(graph, "/applications", body, [&] {
      return find_first(graph, "/applications?$filter=" + name_filter + "&$select=id,appId");
    }));
    std::string app_id = text(application, "appId");
    json principal_body = properties.service_principal;
    principal_body["appId"] = app_id;
    principal = IDFORM_TRY(create_object(graph, "/servicePrincipals", principal_body, [&] {
      return find_first(graph, "/servicePrincipals?$filter=" + http::url_encode("appId eq " + odata_quote(app_id)) + "&$select=id");
    }));
  }
  std::string app_id = text(application, "appId");
  if (app_id.empty()) return fail("Graph answered the create without an appId");
  IDFORM_TRY(add_assignments(graph, text(principal, "id"), roles, strings_at(spec, "assignments"), ids));
  IDFORM_TRY(wait_until_visible(graph, app_path(app_id) + "?$select=id"));
  IDFORM_TRY(wait_until_visible(graph, principal_path(app_id) + "?$select=id"));
  return app_id;
}

Result<std::string> update_application(GraphClient& graph, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  ApplicationProperties properties = application_properties(change.desired, touched_paths(change), change.live);
  if (const auto* rename = attribute(change, "name")) {
    properties.application["displayName"] = rename->after;
    properties.service_principal["displayName"] = rename->after;
  }
  if (!properties.application.empty()) {
    json patch = IDFORM_TRY(complete_patch(graph, app_path(change.id), properties.application));
    IDFORM_TRY(write(graph, "PATCH", app_path(change.id), patch));
  }
  if (!properties.service_principal.empty())
    IDFORM_TRY(write(graph, "PATCH", principal_path(change.id), properties.service_principal));

  const auto* role_change = attribute(change, "roles");
  const auto* assignment_change = attribute(change, "assignments");
  if (!role_change && !assignment_change) return change.id;

  GraphResponse app = IDFORM_TRY(write(graph, "GET", app_path(change.id) + "?$select=id,appRoles"));
  json roles = items(app.body, "appRoles");
  std::vector<std::string> removed_roles = role_change ? role_change->removed : std::vector<std::string>{};
  if (role_change) {
    for (auto& role : roles)
      for (const std::string& name : removed_roles)
        if (text(role, "displayName") == name) role["isEnabled"] = false;
    for (const std::string& name : role_change->added) roles.push_back(new_app_role(name));
    IDFORM_TRY(write(graph, "PATCH", app_path(change.id), {{"appRoles", roles}}));
  }
  if (assignment_change) {
    GraphResponse principal = IDFORM_TRY(write(graph, "GET", principal_path(change.id) + "?$select=id"));
    std::string principal_id = text(principal.body, "id");
    IDFORM_TRY(remove_assignments(graph, principal_id, items(app.body, "appRoles"), assignment_change->removed, ids));
    IDFORM_TRY(add_assignments(graph, principal_id, roles, assignment_change->added, ids));
  }
  if (!removed_roles.empty()) {
    json kept = json::array();
    for (const auto& role : roles) {
      bool dropped = flag(role, "isEnabled", true) == false &&
                     std::find(removed_roles.begin(), removed_roles.end(), text(role, "displayName")) != removed_roles.end();
      if (!dropped) kept.push_back(role);
    }
    roles = std::move(kept);
    IDFORM_TRY(write(graph, "PATCH", app_path(change.id), {{"appRoles", roles}}));
  }
  return change.id;
}

}  // namespace

Result<std::string> apply_application(GraphClient& graph, const provider::ApplyRequest& request) {
  IdResolver ids(request.ids);
  const plan::Change& change = request.change;
  switch (change.action) {
    case plan::Action::create: return create_application(graph, request, ids);
    case plan::Action::update: return update_application(graph, request, ids);
    case plan::Action::delete_: {
      // Deleting the application deletes its service principal and assignments with it.
      IDFORM_TRY(write(graph, "DELETE", app_path(change.id), nullptr, {404}));
      IDFORM_TRY(wait_until_gone(graph, app_path(change.id) + "?$select=id"));
      return change.id;
    }
    case plan::Action::no_op: return change.id;
  }
  return change.id;
}

}  // namespace idform::providers::entra
