// /applications and /servicePrincipals with their app role assignments and federated identity
// credentials (GRAPH-DC application-post-applications.md, application-get.md, application-list.md,
// application-update.md, application-delete.md, serviceprincipal-post-serviceprincipals.md,
// serviceprincipal-get.md, serviceprincipal-list.md, serviceprincipal-update.md,
// serviceprincipal-post-approleassignedto.md, serviceprincipal-list-approleassignedto.md,
// serviceprincipal-delete-approleassignedto.md, group-post-approleassignments.md,
// application-post-federatedidentitycredentials.md).
#include "core/crypto.hpp"
#include "graph/graph_errors.hpp"
#include "graph/graph_flavor.hpp"
#include "graph/graph_resources.hpp"

namespace idp_sim::graph {

namespace {

constexpr const char* kDefaultAccessRole = "00000000-0000-0000-0000-000000000000";
constexpr std::size_t kMaxFederatedCredentials = 20;

std::optional<SimResponse> check_unique_identifier_uris(GraphCall& call, const Json& body, const std::string& self_id) {
  if (!body.contains("identifierUris")) return std::nullopt;
  for (const auto& row : readable_rows(call, applications_set())) {
    if (iequals(row.object->value("id", ""), self_id)) continue;
    for (const auto& uri : row.object->value("identifierUris", Json::array())) {
      for (const auto& wanted : body["identifierUris"]) {
        if (uri.is_string() && wanted.is_string() && iequals(uri.get<std::string>(), wanted.get<std::string>())) {
          return bad_request("Another object with the same value for property identifierUris already exists.",
                             call.request);
        }
      }
    }
  }
  return std::nullopt;
}

SimResponse create_application(GraphCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, applications_set(), WriteKind::create)) return *error;
  if (auto error = check_unique_identifier_uris(call, *body, "")) return *error;
  // Defaults follow the documented create response (application-post-applications.md).
  Json app = Json::object();
  app["id"] = new_object_id();
  app["deletedDateTime"] = nullptr;
  app["isFallbackPublicClient"] = nullptr;
  app["appId"] = new_object_id();
  app["applicationTemplateId"] = nullptr;
  app["identifierUris"] = Json::array();
  app["createdDateTime"] = now_timestamp();
  app["displayName"] = (*body)["displayName"];
  app["isDeviceOnlyAuthSupported"] = nullptr;
  app["groupMembershipClaims"] = nullptr;
  app["optionalClaims"] = nullptr;
  app["addIns"] = Json::array();
  app["publisherDomain"] = call.settings.tenant_domain;
  app["samlMetadataUrl"] = nullptr;
  app["signInAudience"] = "AzureADandPersonalMicrosoftAccount";
  app["tags"] = Json::array();
  app["tokenEncryptionKeyId"] = nullptr;
  app["api"] = {{"requestedAccessTokenVersion", 2},
                {"acceptMappedClaims", nullptr},
                {"knownClientApplications", Json::array()},
                {"oauth2PermissionScopes", Json::array()},
                {"preAuthorizedApplications", Json::array()}};
  app["appRoles"] = Json::array();
  app["publicClient"] = {{"redirectUris", Json::array()}};
  app["info"] = {{"termsOfServiceUrl", nullptr},
                 {"supportUrl", nullptr},
                 {"privacyStatementUrl", nullptr},
                 {"marketingUrl", nullptr},
                 {"logoUrl", nullptr}};
  app["keyCredentials"] = Json::array();
  app["parentalControlSettings"] = {{"countriesBlockedForMinors", Json::array()}, {"legalAgeGroupRule", "Allow"}};
  app["passwordCredentials"] = Json::array();
  app["requiredResourceAccess"] = Json::array();
  app["web"] = {{"redirectUris", Json::array()},
                {"homePageUrl", nullptr},
                {"logoutUrl", nullptr},
                {"implicitGrantSettings", {{"enableIdTokenIssuance", false}, {"enableAccessTokenIssuance", false}}}};
  for (const auto& [key, value] : body->items()) {
    if (key.find('@') != std::string::npos) continue;
    app[key] = value;
  }
  Record& record = insert_object(call, applications_set(), app);
  return entity_response(call, applications_set(), record.data, "applications", 201);
}

SimResponse get_entity_of(GraphCall& call, const EntitySet& set) {
  Record* record = find_readable(call, set, call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  return entity_response(call, set, record->data, set.entity_context);
}

// The roles an application defines are reflected on its service principal (servicePrincipal
// resource, appRoles: "the roles exposed by the application which this service principal
// represents"); roles defined on the service principal itself (SAML apps, origin
// "ServicePrincipal") stay.
void reflect_app_roles(GraphCall& call, const Json& application) {
  std::string app_id = application.value("appId", "");
  for (auto* sp : call.data.collection("servicePrincipals").ordered_mutable()) {
    if (sp->deleted_at || !iequals(sp->data.value("appId", ""), app_id)) continue;
    Json roles = Json::array();
    for (const auto& role : sp->data.value("appRoles", Json::array()))
      if (role.is_object() && role.value("origin", "") == "ServicePrincipal") roles.push_back(role);
    for (const auto& role : application.value("appRoles", Json::array())) roles.push_back(role);
    sp->data["appRoles"] = std::move(roles);
  }
}

SimResponse update_entity_of(GraphCall& call, const EntitySet& set) {
  Record* record = find_writable(call, set, call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, set, WriteKind::update)) return *error;
  if (set.type == "application") {
    if (auto error = check_unique_identifier_uris(call, *body, record->id)) return *error;
  }
  for (const auto& [key, value] : body->items()) {
    if (key.find('@') != std::string::npos) continue;
    record->data[key] = value;
  }
  if (set.type == "application" && body->contains("appRoles")) reflect_app_roles(call, record->data);
  return graph_no_content(call.request);
}

SimResponse delete_entity_of(GraphCall& call, const EntitySet& set) {
  Record* record = find_writable(call, set, call.param("id"));
  if (!record) return not_found(call.param("id"), call.request);
  std::string id = record->id;
  std::string app_id = record->data.value("appId", "");
  delete_object(call, set, id);
  if (set.type == "application") {
    // Deleting an application also deletes its service principal in the home tenant.
    for (auto* sp : call.data.collection("servicePrincipals").ordered_mutable()) {
      if (!sp->deleted_at && iequals(sp->data.value("appId", ""), app_id)) {
        delete_object(call, service_principals_set(), sp->id);
      }
    }
  }
  return graph_no_content(call.request);
}

SimResponse create_service_principal(GraphCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, service_principals_set(), WriteKind::create)) return *error;
  std::string app_id = (*body)["appId"].get<std::string>();
  Record* app = find_writable(call, applications_set(), "appId=" + app_id);
  if (!app) {
    return bad_request("The appId '" + app_id + "' of the service principal does not reference a valid application object.",
                       call.request);
  }
  for (const auto* sp : call.data.collection("servicePrincipals").ordered()) {
    if (!sp->deleted_at && iequals(sp->data.value("appId", ""), app_id)) {
      return graph_error(409, "Request_MultipleObjectsWithSameKeyValue",
                         "The service principal cannot be created, updated, or restored because the service principal "
                         "name " + app_id + " is already in use.",
                         call.request);
    }
  }
  const Json& a = app->data;
  Json service_principals_names = Json::array({app_id});
  for (const auto& uri : a.value("identifierUris", Json::array())) service_principals_names.push_back(uri);
  Json sp = Json::object();
  sp["id"] = new_object_id();
  sp["deletedDateTime"] = nullptr;
  sp["accountEnabled"] = true;
  sp["appDisplayName"] = a.value("displayName", Json());
  sp["appId"] = app_id;
  sp["applicationTemplateId"] = a.value("applicationTemplateId", Json());
  sp["appOwnerOrganizationId"] = call.settings.tenant_id;
  sp["appRoleAssignmentRequired"] = false;
  sp["displayName"] = a.value("displayName", Json());
  sp["homepage"] = a.contains("web") && a["web"].is_object() ? a["web"].value("homePageUrl", Json()) : Json();
  sp["logoutUrl"] = a.contains("web") && a["web"].is_object() ? a["web"].value("logoutUrl", Json()) : Json();
  sp["notificationEmailAddresses"] = Json::array();
  sp["preferredSingleSignOnMode"] = nullptr;
  sp["preferredTokenSigningKeyThumbprint"] = nullptr;
  sp["publisherName"] = call.settings.tenant_domain;
  sp["replyUrls"] = a.contains("web") && a["web"].is_object() ? a["web"].value("redirectUris", Json::array()) : Json::array();
  sp["servicePrincipalNames"] = service_principals_names;
  sp["servicePrincipalType"] = "Application";
  sp["signInAudience"] = a.value("signInAudience", Json());
  sp["tags"] = Json::array();
  sp["addIns"] = Json::array();
  sp["appRoles"] = a.value("appRoles", Json::array());
  sp["info"] = a.value("info", Json());
  sp["keyCredentials"] = Json::array();
  sp["oauth2PermissionScopes"] =
      a.contains("api") && a["api"].is_object() ? a["api"].value("oauth2PermissionScopes", Json::array()) : Json::array();
  sp["passwordCredentials"] = Json::array();
  for (const auto& [key, value] : body->items()) {
    if (key.find('@') != std::string::npos) continue;
    sp[key] = value;
  }
  Record& record = insert_object(call, service_principals_set(), sp);
  return entity_response(call, service_principals_set(), record.data, "servicePrincipals", 201);
}

// --- app role assignments -------------------------------------------------------------------

std::string assignment_id() { return base64url_encode(random_bytes(32)).substr(0, 43); }

std::vector<ListRow> assignments_where(GraphCall& call, const std::string& property, const std::string& id) {
  const EntitySet& set = app_role_assignments_set();
  std::vector<ListRow> rows;
  for (const auto* record : call.data.collection(set.name).with_value(property, id))
    if (call.visibility.readable(*record, call.now)) rows.push_back(ListRow{&record->data, &set, record->sequence});
  return rows;
}

SimResponse list_app_role_assigned_to(GraphCall& call) {
  Record* sp = find_readable(call, service_principals_set(), call.param("id"));
  if (!sp) return not_found(call.param("id"), call.request);
  return list_response(call, ListShape{&app_role_assignments_set(), true}, assignments_where(call, "resourceId", sp->id),
                       "servicePrincipals('" + sp->id + "')/appRoleAssignedTo");
}

SimResponse list_sp_app_role_assignments(GraphCall& call) {
  Record* sp = find_readable(call, service_principals_set(), call.param("id"));
  if (!sp) return not_found(call.param("id"), call.request);
  return list_response(call, ListShape{&app_role_assignments_set(), true},
                       assignments_where(call, "principalId", sp->id),
                       "servicePrincipals('" + sp->id + "')/appRoleAssignments");
}

SimResponse post_app_role_assigned_to(GraphCall& call) {
  Record* sp = find_writable(call, service_principals_set(), call.param("id"));
  if (!sp) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (body->is_object() && body->contains("resourceId") && (*body)["resourceId"].is_string() &&
      !iequals((*body)["resourceId"].get<std::string>(), sp->id)) {
    return bad_request("The resourceId in the request body must be the service principal in the request URL.",
                       call.request);
  }
  return create_app_role_assignment(call, *body, "servicePrincipals('" + sp->id + "')/appRoleAssignedTo");
}

SimResponse post_sp_app_role_assignment(GraphCall& call) {
  Record* sp = find_writable(call, service_principals_set(), call.param("id"));
  if (!sp) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  // serviceprincipal-post-approleassignments.md assigns a role to this service principal; the SAML
  // set-up guide uses the same URL with the service principal as the resource. Either must match.
  auto refers_to_sp = [&](const char* property) {
    return body->is_object() && body->contains(property) && (*body)[property].is_string() &&
           iequals((*body)[property].get<std::string>(), sp->id);
  };
  if (!refers_to_sp("principalId") && !refers_to_sp("resourceId")) {
    return bad_request("Either principalId or resourceId in the request body must be the service principal in the "
                       "request URL.",
                       call.request);
  }
  return create_app_role_assignment(call, *body, "servicePrincipals('" + sp->id + "')/appRoleAssignments");
}

SimResponse delete_assignment(GraphCall& call, const std::string& owner_property) {
  std::string owner = call.param("id");
  Record* assignment = call.data.collection("appRoleAssignments").find(call.param("assignment"));
  if (!assignment || !call.visibility.writable(*assignment, call.now)) return not_found(call.param("assignment"), call.request);
  const EntitySet& owner_set = owner_property == "resourceId" ? service_principals_set() : groups_set();
  Record* owner_record = find_writable(call, owner_set, owner);
  if (!owner_record && owner_property == "principalId") owner_record = find_writable(call, service_principals_set(), owner);
  if (!owner_record || !iequals(assignment->data.value(owner_property, ""), owner_record->id)) {
    return not_found(call.param("assignment"), call.request);
  }
  delete_object(call, app_role_assignments_set(), assignment->id);
  return graph_no_content(call.request);
}

// --- federated identity credentials ---------------------------------------------------------

SimResponse list_federated(GraphCall& call) {
  Record* app = find_readable(call, applications_set(), call.param("id"));
  if (!app) return not_found(call.param("id"), call.request);
  std::vector<ListRow> rows;
  auto& credentials = call.data.collection("federatedIdentityCredentials");
  for (const auto* link : readable_links(call, "applications.federatedIdentityCredentials", app->id)) {
    if (const Record* record = credentials.find(link->child_id)) {
      rows.push_back(ListRow{&record->data, &federated_credentials_set(), link->sequence});
    }
  }
  return list_response(call, ListShape{&federated_credentials_set(), true}, rows,
                       "applications('" + app->id + "')/federatedIdentityCredentials");
}

SimResponse create_federated(GraphCall& call) {
  Record* app = find_writable(call, applications_set(), call.param("id"));
  if (!app) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, federated_credentials_set(), WriteKind::create)) return *error;
  auto links = readable_links(call, "applications.federatedIdentityCredentials", app->id);
  if (links.size() >= kMaxFederatedCredentials) {
    return bad_request("The maximum number of federated identity credentials (20) for this application has been reached.",
                       call.request);
  }
  const Json& audiences = (*body)["audiences"];
  if (audiences.size() != 1) {
    return bad_request("Invalid value specified for property 'audiences' of resource 'FederatedIdentityCredential'.",
                       call.request);
  }
  auto& credentials = call.data.collection("federatedIdentityCredentials");
  for (const auto* link : links) {
    const Record* existing = credentials.find(link->child_id);
    if (!existing) continue;
    if (existing->data.value("name", "") == (*body)["name"].get<std::string>() ||
        (existing->data.value("issuer", "") == (*body)["issuer"].get<std::string>() &&
         existing->data.value("subject", "") == (*body)["subject"].get<std::string>())) {
      return graph_error(409, "Request_MultipleObjectsWithSameKeyValue",
                         "FederatedIdentityCredential with name " + (*body)["name"].get<std::string>() +
                             " already exists.",
                         call.request);
    }
  }
  Json credential = Json::object();
  credential["id"] = new_object_id();
  credential["name"] = (*body)["name"];
  credential["issuer"] = (*body)["issuer"];
  credential["subject"] = (*body)["subject"];
  credential["description"] = body->value("description", Json());
  credential["audiences"] = audiences;
  Record& record = insert_object(call, federated_credentials_set(), credential);
  add_link(call, "applications.federatedIdentityCredentials", app->id, record.id, "federatedIdentityCredentials");
  return entity_response(call, federated_credentials_set(), record.data,
                         "applications('" + app->id + "')/federatedIdentityCredentials", 201);
}

SimResponse delete_federated(GraphCall& call) {
  Record* app = find_writable(call, applications_set(), call.param("id"));
  if (!app) return not_found(call.param("id"), call.request);
  std::string wanted = call.param("credential");
  auto& credentials = call.data.collection("federatedIdentityCredentials");
  for (const auto* link : readable_links(call, "applications.federatedIdentityCredentials", app->id)) {
    const Record* record = credentials.find(link->child_id);
    if (!record) continue;
    if (iequals(record->id, wanted) || record->data.value("name", "") == wanted) {
      std::string id = record->id;
      remove_link(call, "applications.federatedIdentityCredentials", app->id, id);
      credentials.erase(id);
      return graph_no_content(call.request);
    }
  }
  return not_found(wanted, call.request);
}

}  // namespace

SimResponse create_app_role_assignment(GraphCall& call, const Json& body, const std::string& context) {
  if (auto error = validate(call, body, app_role_assignments_set(), WriteKind::create)) return *error;
  std::string principal_id = body["principalId"].get<std::string>();
  std::string resource_id = body["resourceId"].get<std::string>();
  std::string app_role_id = body["appRoleId"].get<std::string>();
  auto principal = find_directory_object(call, principal_id, true);
  if (!principal || principal->set->type == "application") return not_found(principal_id, call.request);
  Record* resource = find_writable(call, service_principals_set(), resource_id);
  if (!resource) return not_found(resource_id, call.request);
  bool role_found = app_role_id == kDefaultAccessRole;
  for (const auto& role : resource->data.value("appRoles", Json::array())) {
    if (role.is_object() && iequals(role.value("id", ""), app_role_id) && role.value("isEnabled", true)) {
      role_found = true;
    }
  }
  if (!role_found) {
    return bad_request("Permission being assigned was not found on application '" + resource->data.value("appId", "") +
                           "'.",
                       call.request);
  }
  std::string principal_type = principal->set->type == "user"    ? "User"
                               : principal->set->type == "group" ? "Group"
                                                                 : "ServicePrincipal";
  if (body.contains("principalType") && body["principalType"].is_string() &&
      body["principalType"].get<std::string>() != principal_type) {
    return bad_request("Invalid value specified for property 'principalType' of resource 'AppRoleAssignment'.",
                       call.request);
  }
  for (const auto& row : readable_rows(call, app_role_assignments_set())) {
    const Json& existing = *row.object;
    if (iequals(existing.value("principalId", ""), principal->record->id) &&
        iequals(existing.value("resourceId", ""), resource->id) && iequals(existing.value("appRoleId", ""), app_role_id)) {
      return bad_request("Permission being assigned already exists on the object", call.request);
    }
  }
  Json assignment = Json::object();
  assignment["id"] = assignment_id();
  assignment["deletedDateTime"] = nullptr;
  assignment["appRoleId"] = app_role_id;
  assignment["createdDateTime"] = SimClock::utc_timestamp_precise();
  assignment["principalDisplayName"] = principal->record->data.value("displayName", Json());
  assignment["principalId"] = principal->record->id;
  assignment["principalType"] = principal_type;
  assignment["resourceDisplayName"] = resource->data.value("displayName", Json());
  assignment["resourceId"] = resource->id;
  Record& record = insert_object(call, app_role_assignments_set(), assignment);
  return entity_response(call, app_role_assignments_set(), record.data, context, 201);
}

void register_group_app_role_routes(GraphRouter& router) {
  router.add("GET", "/groups/{id}/appRoleAssignments", [](GraphCall& call) {
    Record* group = find_readable(call, groups_set(), call.param("id"));
    if (!group) return not_found(call.param("id"), call.request);
    return list_response(call, ListShape{&app_role_assignments_set(), true},
                         assignments_where(call, "principalId", group->id),
                         "groups('" + group->id + "')/appRoleAssignments");
  });
  router.add("POST", "/groups/{id}/appRoleAssignments", [](GraphCall& call) {
    Record* group = find_writable(call, groups_set(), call.param("id"));
    if (!group) return not_found(call.param("id"), call.request);
    SimResponse failure;
    auto body = parse_json_body(call, failure);
    if (!body) return failure;
    if (body->is_object() && body->contains("principalId") && (*body)["principalId"].is_string() &&
        !iequals((*body)["principalId"].get<std::string>(), group->id)) {
      return bad_request("The principalId in the request body must be the group in the request URL.", call.request);
    }
    return create_app_role_assignment(call, *body, "groups('" + group->id + "')/appRoleAssignments");
  });
  router.add("DELETE", "/groups/{id}/appRoleAssignments/{assignment}",
             [](GraphCall& call) { return delete_assignment(call, "principalId"); });
}

void register_application_routes(GraphRouter& router) {
  router.add("GET", "/applications", [](GraphCall& call) {
    return list_response(call, ListShape{&applications_set(), true}, readable_rows(call, applications_set()),
                         "applications");
  });
  router.add("POST", "/applications", create_application);
  router.add("GET", "/applications/{id}", [](GraphCall& call) { return get_entity_of(call, applications_set()); });
  router.add("PATCH", "/applications/{id}", [](GraphCall& call) { return update_entity_of(call, applications_set()); });
  router.add("DELETE", "/applications/{id}", [](GraphCall& call) { return delete_entity_of(call, applications_set()); });
  router.add("GET", "/applications/{id}/federatedIdentityCredentials", list_federated);
  router.add("POST", "/applications/{id}/federatedIdentityCredentials", create_federated);
  router.add("DELETE", "/applications/{id}/federatedIdentityCredentials/{credential}", delete_federated);

  router.add("GET", "/servicePrincipals", [](GraphCall& call) {
    return list_response(call, ListShape{&service_principals_set(), true}, readable_rows(call, service_principals_set()),
                         "servicePrincipals");
  });
  router.add("POST", "/servicePrincipals", create_service_principal);
  router.add("GET", "/servicePrincipals/{id}",
             [](GraphCall& call) { return get_entity_of(call, service_principals_set()); });
  router.add("PATCH", "/servicePrincipals/{id}",
             [](GraphCall& call) { return update_entity_of(call, service_principals_set()); });
  router.add("DELETE", "/servicePrincipals/{id}",
             [](GraphCall& call) { return delete_entity_of(call, service_principals_set()); });
  router.add("GET", "/servicePrincipals/{id}/appRoleAssignedTo", list_app_role_assigned_to);
  router.add("POST", "/servicePrincipals/{id}/appRoleAssignedTo", post_app_role_assigned_to);
  router.add("DELETE", "/servicePrincipals/{id}/appRoleAssignedTo/{assignment}",
             [](GraphCall& call) { return delete_assignment(call, "resourceId"); });
  router.add("GET", "/servicePrincipals/{id}/appRoleAssignments", list_sp_app_role_assignments);
  router.add("POST", "/servicePrincipals/{id}/appRoleAssignments", post_sp_app_role_assignment);
}

}  // namespace idp_sim::graph
