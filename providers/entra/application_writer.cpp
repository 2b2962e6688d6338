// Applications are two Graph objects. A SAML app is created the way Microsoft documents for
// SAML single sign-on: instantiating the non-gallery application template, which makes both the
// application and its service principal and allows entity ids outside the tenant's verified
// domains; the SAML settings follow as PATCHes. An OIDC app (and a SAML app where the template
// API is not available) is POST /applications, then POST /servicePrincipals for its appId
// (retried while the new application has not replicated). Roles are written where app_roles.hpp
// says they live; a role is removed by disabling it first (Graph refuses to delete an enabled
// role), then dropping it. Assignments are appRoleAssignedTo entries on the service principal.

#include "providers/entra/app_roles.hpp"
#include "providers/entra/application_mapping.hpp"
#include "providers/entra/consistency.hpp"
#include "providers/entra/json_fields.hpp"
#include "providers/entra/writers.hpp"
#include "reconciler/model/spec_path.hpp"

namespace idform::providers::entra {
namespace {

using model::strings_at;

using nlohmann::json;

// Microsoft's "non-gallery application" template (application-saml-sso-configure-api).
constexpr const char* kCustomSamlTemplate = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";

std::string app_path(const std::string& app_id) { return "/applications(appId='" + app_id + "')"; }
std::string principal_path(const std::string& app_id) { return "/servicePrincipals(appId='" + app_id + "')"; }

// Where the cloud has no application template API (404, or OData's unknown segment).
bool template_api_missing(const Error& error) { return error.category == ErrorCategory::not_found; }

bool is_saml(const json& spec) {
  const json* protocol = spec.is_object() ? model::find_path(spec, "sso.protocol") : nullptr;
  return protocol && *protocol == "saml";
}

std::string assignments_path(const std::string& principal_id) {
  return "/servicePrincipals/" + principal_id + "/appRoleAssignedTo";
}

// An assignment's keys for wait_until_listed: its id, and who holds which role.
std::vector<std::string> assignment_keys(const json& assignment) {
  return {text(assignment, "id"), text(assignment, "principalId") + "|" + text(assignment, "appRoleId")};
}

// Adds the assignments; returns the "principalId|appRoleId" key of each.
Result<std::vector<std::string>> add_assignments(GraphClient& graph, const std::string& principal_id, const json& roles,
                                                 const std::vector<std::string>& elements, const IdResolver& ids) {
  const std::string path = assignments_path(principal_id);
  std::vector<std::string> added;
  for (const std::string& entry : elements) {
    model::AssignmentElement element = model::AssignmentElement::parse(entry);
    std::string who = IDFORM_TRY(ids.id_of(element.principal.to_string()));
    std::string role = IDFORM_TRY(assignable_role_id(roles, element.role));
    json body = {{"principalId", who}, {"resourceId", principal_id}, {"appRoleId", role}};
    auto find_existing = [&]() -> Result<json> {
      auto current = IDFORM_TRY(graph.list(path + "?$select=" + std::string(kAssignmentSelect)));
      for (const auto& assignment : current)
        if (text(assignment, "principalId") == who && text(assignment, "appRoleId") == role) return assignment;
      return json();
    };
    IDFORM_TRY(create_object(graph, path, body, find_existing));
    added.push_back(who + "|" + role);
  }
  return added;
}

// Removes the assignments; returns the ids of those deleted.
Result<std::vector<std::string>> remove_assignments(GraphClient& graph, const std::string& principal_id, const json& roles,
                                                    const std::vector<std::string>& elements, const IdResolver& ids) {
  if (elements.empty()) return std::vector<std::string>{};
  const std::string path = assignments_path(principal_id);
  auto current = IDFORM_TRY(graph.list(path + "?$select=" + std::string(kAssignmentSelect)));
  std::vector<std::string> deletions, removed;
  for (const std::string& entry : elements) {
    model::AssignmentElement element = model::AssignmentElement::parse(entry);
    std::string who = IDFORM_TRY(ids.id_of(element.principal.to_string()));
    // Match the way the read named it: by role name, default access for builtin roles.
    for (const auto& assignment : current)
      if (text(assignment, "principalId") == who && assigned_role_name(roles, text(assignment, "appRoleId")) == element.role) {
        deletions.push_back(path + "/" + text(assignment, "id"));
        removed.push_back(text(assignment, "id"));
      }
  }
  IDFORM_TRY(delete_all(graph, deletions));
  return removed;
}

// Until the assignments read back as written (see consistency.hpp).
Result<void> wait_for_assignments(GraphClient& graph, const std::string& principal_id, const std::vector<std::string>& added,
                                  const std::vector<std::string>& removed) {
  return wait_until_listed(graph, assignments_path(principal_id) + "?$select=" + std::string(kAssignmentSelect),
                           assignment_keys, added, removed);
}

// Creates the application and its service principal; returns {application, servicePrincipal}.
Result<std::pair<json, json>> create_objects(GraphClient& graph, const plan::Change& change,
                                             const ApplicationProperties& properties, const json& roles) {
  const std::string name_filter = http::url_encode("displayName eq " + odata_quote(change.name));
  auto find_application = [&]() { return find_first(graph, "/applications?$filter=" + name_filter + "&$select=id,appId"); };
  if (is_saml(change.desired)) {
    auto created = create_object(graph, "/applicationTemplates/" + std::string(kCustomSamlTemplate) + "/instantiate",
                                 {{"displayName", change.name}}, [&]() -> Result<json> {
                                   json app = IDFORM_TRY(find_application());
                                   return app.is_null() ? json() : json{{"application", app}};
                                 });
    if (created) {
      json application = child(*created, "application");
      json principal = child(*created, "servicePrincipal");
      std::string app_id = text(application, "appId");
      if (text(principal, "id").empty())  // adopted after a lost answer: look the principal up
        principal = IDFORM_TRY(write(graph, "GET", principal_path(app_id) + "?$select=id,appRoles")).body;
      if (!properties.application.empty())
        IDFORM_TRY(write(graph, "PATCH", "/applications/" + text(application, "id"), properties.application));
      json principal_patch = properties.service_principal;
      if (!roles.empty()) principal_patch["appRoles"] = with_role_changes(items(principal, "appRoles"), roles.get<std::vector<std::string>>(), {});
      IDFORM_TRY(write(graph, "PATCH", "/servicePrincipals/" + text(principal, "id"), principal_patch));
      return std::pair{application, principal};
    }
    // Where the application template API is not available, a SAML app is created like any other.
    if (!template_api_missing(created.error())) return std::unexpected(created.error());
  }
  json body = properties.application;
  body["displayName"] = change.name;
  body["signInAudience"] = "AzureADMyOrg";
  if (!roles.empty()) body["appRoles"] = with_role_changes(json::array(), roles.get<std::vector<std::string>>(), {});
  json application = IDFORM_TRY(create_object(graph, "/applications", body, find_application));
  std::string app_id = text(application, "appId");
  json principal_body = properties.service_principal;
  principal_body["appId"] = app_id;
  json principal = IDFORM_TRY(create_object(graph, "/servicePrincipals", principal_body, [&] {
    return find_first(graph, "/servicePrincipals?$filter=" + http::url_encode("appId eq " + odata_quote(app_id)) + "&$select=id");
  }));
  return std::pair{application, principal};
}

Result<std::string> create_application(GraphClient& graph, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  ApplicationProperties properties = application_properties(change.desired, touched_paths(change), nullptr);
  json roles = json(strings_at(change.desired, "roles"));
  auto [application, principal] = IDFORM_TRY(create_objects(graph, change, properties, roles));
  std::string app_id = text(application, "appId");
  if (app_id.empty()) return fail("Graph answered the create without an appId");
  // The roles an assignment can name are the service principal's, read back after the writes.
  json current = IDFORM_TRY(write(graph, "GET", principal_path(app_id) + "?$select=id,appRoles")).body;
  std::vector<std::string> added = IDFORM_TRY(
      add_assignments(graph, text(current, "id"), items(current, "appRoles"), strings_at(change.desired, "assignments"), ids));
  IDFORM_TRY(wait_until_visible(graph, app_path(app_id) + "?$select=id"));
  IDFORM_TRY(wait_for_assignments(graph, text(current, "id"), added, {}));
  return app_id;
}

// An application without its service principal (an apply stopped between the two creates, or
// an app registered elsewhere and never used in this tenant) gets one before anything uses it.
// A list with a filter answers at once; reading the principal by appId would be retried as
// "not replicated yet" for the whole consistency budget.
Result<void> ensure_service_principal(GraphClient& graph, const std::string& app_id, const json& properties) {
  auto find_principal = [&] {
    return find_first(graph, "/servicePrincipals?$filter=" + http::url_encode("appId eq " + odata_quote(app_id)) + "&$select=id");
  };
  if (!IDFORM_TRY(find_principal()).is_null()) return {};
  json body = properties;
  body["appId"] = app_id;
  IDFORM_TRY(create_object(graph, "/servicePrincipals", body, find_principal));
  return wait_until_visible(graph, principal_path(app_id) + "?$select=id");
}

Result<std::string> update_application(GraphClient& graph, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  ApplicationProperties properties = application_properties(change.desired, touched_paths(change), change.live);
  if (const auto* rename = attribute(change, "name")) {
    properties.application["displayName"] = rename->after;
    properties.service_principal["displayName"] = rename->after;
  }
  const bool saml = is_saml(change.desired) || (!model::find_path(change.desired, "sso.protocol") && is_saml(change.live));
  if (!properties.service_principal.empty() || attribute(change, "assignments") || (saml && attribute(change, "roles")))
    IDFORM_TRY(ensure_service_principal(graph, change.id, properties.service_principal));
  if (!properties.application.empty()) {
    json patch = IDFORM_TRY(complete_patch(graph, app_path(change.id), properties.application));
    IDFORM_TRY(write(graph, "PATCH", app_path(change.id), patch));
  }
  if (!properties.service_principal.empty())
    IDFORM_TRY(write(graph, "PATCH", principal_path(change.id), properties.service_principal));

  const auto* role_change = attribute(change, "roles");
  const auto* assignment_change = attribute(change, "assignments");
  std::vector<std::string> removed_roles = role_change ? role_change->removed : std::vector<std::string>{};
  // Where the roles live: the service principal for SAML apps, else the application.
  const std::string host = saml ? principal_path(change.id) : app_path(change.id);
  json host_roles;
  if (role_change) {
    host_roles = items(IDFORM_TRY(write(graph, "GET", host + "?$select=appRoles")).body, "appRoles");
    host_roles = with_role_changes(std::move(host_roles), role_change->added, removed_roles);
    IDFORM_TRY(write(graph, "PATCH", host, {{"appRoles", host_roles}}));
  }
  if (assignment_change) {
    json principal = IDFORM_TRY(write(graph, "GET", principal_path(change.id) + "?$select=id,appRoles")).body;
    json roles = items(principal, "appRoles");
    // Roles this change just added to the application reach its service principal's copy
    // later (replication): assign them by the ids they were created with.
    for (const json& role : host_roles.is_array() ? host_roles : json::array()) {
      bool known = std::any_of(roles.begin(), roles.end(), [&](const json& r) { return text(r, "id") == text(role, "id"); });
      if (!known) roles.push_back(role);
    }
    std::vector<std::string> removed = IDFORM_TRY(remove_assignments(graph, text(principal, "id"), roles, assignment_change->removed, ids));
    std::vector<std::string> added = IDFORM_TRY(add_assignments(graph, text(principal, "id"), roles, assignment_change->added, ids));
    IDFORM_TRY(wait_for_assignments(graph, text(principal, "id"), added, removed));
  }
  if (!removed_roles.empty()) IDFORM_TRY(write(graph, "PATCH", host, {{"appRoles", without_disabled(host_roles, removed_roles)}}));
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
