// /api/v1/apps: create (SAML 2.0, OpenID Connect and the other custom sign-on modes), get, list
// with q / filter / expand, replace, lifecycle activate / deactivate, delete (only INACTIVE apps:
// E0000056 otherwise), and assigning an app sign-in (ACCESS_POLICY) policy with
// PUT /api/v1/apps/{appId}/policies/{policyId}, which shows in the app's _links.accessPolicy
// (spec operations createApplication, getApplication, listApplications, replaceApplication,
// activateApplication, deactivateApplication, deleteApplication, assignApplicationPolicy).
#include "okta/okta_errors.hpp"
#include "okta/okta_flavor.hpp"
#include "okta/okta_json.hpp"
#include "okta/scim_filter.hpp"

namespace idp_sim::okta {

namespace {

constexpr int kAppsDefaultLimit = 20;  // older Apps API reference: default 20; spec: maximum 200
constexpr int kAppsMaxLimit = 200;

SimResponse app_not_found(const std::string& id) { return resource_not_found(id, "AppInstance"); }

std::string app_path(const std::string& id) { return "/api/v1/apps/" + id; }

// The default app sign-in policy (system ACCESS_POLICY) that Identity Engine gives new apps.
std::string default_access_policy(OktaCall& call) {
  for (auto* record : readable_records(call, kPolicies)) {
    if (record->data.value("type", "") == "ACCESS_POLICY" && record->data.value("system", false)) return record->id;
  }
  return {};
}

void set_lifecycle_links(OktaCall& call, Json& app) {
  std::string id = app.value("id", "");
  Json& links = app["_links"];
  links.erase("activate");
  links.erase("deactivate");
  std::string action = app.value("status", "ACTIVE") == "ACTIVE" ? "deactivate" : "activate";
  links[action] = {{"href", call.href(app_path(id) + "/lifecycle/" + action)}};
}

Json app_links(OktaCall& call, const std::string& id, const std::string& name, const std::string& mode) {
  Json links = Json::object();
  links["uploadLogo"] = {{"href", call.href(app_path(id) + "/logo")}, {"hints", {{"allow", Json::array({"POST"})}}}};
  links["appLinks"] = Json::array({{{"name", name + "_link"},
                                    {"href", call.href("/home/" + name + "/" + id + "/aln" + random_token(17))},
                                    {"type", "text/html"}}});
  links["groups"] = {{"href", call.href(app_path(id) + "/groups")}};
  links["logo"] = Json::array(
      {{{"name", "medium"}, {"href", call.href("/assets/img/logos/default.png")}, {"type", "image/png"}}});
  links["users"] = {{"href", call.href(app_path(id) + "/users")}};
  if (mode == "SAML_2_0") {
    links["metadata"] = {{"href", call.href(app_path(id) + "/sso/saml/metadata")}, {"type", "application/xml"}};
  }
  if (std::string policy = default_access_policy(call); !policy.empty()) {
    links["accessPolicy"] = {{"href", call.href("/api/v1/policies/" + policy)}};
  }
  return links;
}

Json default_settings() {
  return {{"app", Json::object()},
          {"notifications",
           {{"vpn", {{"network", {{"connection", "DISABLED"}}}, {"message", nullptr}, {"helpUrl", nullptr}}}}},
          {"manualProvisioning", false},
          {"implicitAssignment", false},
          {"notes", {{"admin", nullptr}, {"enduser", nullptr}}}};
}

// settings.oauthClient defaults Okta fills in for an OIDC client (app-oidc-get.json).
void complete_oauth_settings(Json& settings) {
  if (!settings.contains("oauthClient") || !settings["oauthClient"].is_object()) return;
  Json& client = settings["oauthClient"];
  if (!client.contains("issuer_mode")) client["issuer_mode"] = "DYNAMIC";
  if (!client.contains("idp_initiated_login")) {
    client["idp_initiated_login"] = {{"mode", "DISABLED"}, {"default_scope", Json::array()}};
  }
  if (!client.contains("wildcard_redirect")) client["wildcard_redirect"] = "DISABLED";
  if (!client.contains("dpop_bound_access_tokens")) client["dpop_bound_access_tokens"] = false;
}

Json oauth_credentials(const std::string& id, const Json& settings, const Json& requested) {
  Json client = object_at(requested, "oauthClient");
  std::string method = client.value("token_endpoint_auth_method", "client_secret_basic");
  std::string type = object_at(settings, "oauthClient").value("application_type", "web");
  Json out = {{"autoKeyRotation", true}, {"client_id", id}};
  if (method.rfind("client_secret", 0) == 0) out["client_secret"] = random_token(64);
  out["token_endpoint_auth_method"] = method;
  out["pkce_required"] = type == "native" || type == "browser";
  overlay(out, client);
  return out;
}

std::string unique_saml_name(OktaCall& call, const std::string& label) {
  std::string base = "idpsim_" + slug(label);
  for (int n = 1;; ++n) {
    std::string name = base + "_" + std::to_string(n);
    bool taken = false;
    for (auto* record : call.data.collection(kApps).ordered_mutable()) {
      if (record->data.value("name", "") == name) taken = true;
    }
    if (!taken) return name;
  }
}

SimResponse create_app(OktaCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = check_schema(*body, "Application", WriteKind::create)) return *error;
  std::string mode = (*body)["signOnMode"].get<std::string>();
  if (mode == "SAML_1_1") return field_error("signOnMode", "SAML_1_1 is not supported for custom apps");
  std::string activate = call.query("activate");
  bool active = activate.empty() || activate == "true";
  std::string id = new_object_id("0oa");
  std::string name = body->value("name", "");
  if (mode == "SAML_2_0" && name.empty()) name = unique_saml_name(call, body->value("label", "app"));
  if (name.empty()) return field_error("name", "The field cannot be left blank");
  std::string now = okta_timestamp();

  Json app = Json::object();
  app["id"] = id;
  app["status"] = active ? "ACTIVE" : "INACTIVE";
  app["lastUpdated"] = now;
  app["created"] = now;
  Json accessibility = {{"selfService", false}, {"errorRedirectUrl", nullptr}, {"loginRedirectUrl", nullptr}};
  overlay(accessibility, object_at(*body, "accessibility"));
  app["accessibility"] = accessibility;
  app["_links"] = app_links(call, id, name, mode);
  Json visibility = {{"autoLaunch", false},
                     {"autoSubmitToolbar", false},
                     {"hide", {{"iOS", false}, {"web", false}}},
                     {"appLinks", {{name + "_link", true}}}};
  overlay(visibility, object_at(*body, "visibility"));
  app["visibility"] = visibility;
  app["name"] = name;
  app["orn"] = "orn:okta:idp:" + call.settings.org_id + ":apps:" + name + ":" + id;
  app["label"] = (*body)["label"];
  app["features"] = Json::array();
  app["signOnMode"] = mode;
  Json settings = default_settings();
  overlay(settings, object_at(*body, "settings"));
  if (mode == "OPENID_CONNECT") complete_oauth_settings(settings);
  Json credentials = {{"userNameTemplate", {{"template", "${source.login}"}, {"type", "BUILT_IN"}}},
                      {"signing", {{"kid", random_token(43)}}}};
  Json requested_credentials = object_at(*body, "credentials");
  if (mode == "OPENID_CONNECT") {
    credentials["oauthClient"] = oauth_credentials(id, settings, requested_credentials);
    requested_credentials.erase("oauthClient");
  }
  overlay(credentials, requested_credentials);
  app["credentials"] = credentials;
  app["settings"] = settings;
  for (const char* optional : {"profile", "licensing", "universalLogout", "expressConfiguration"}) {
    if (body->contains(optional)) app[optional] = (*body)[optional];
  }
  set_lifecycle_links(call, app);
  insert_record(call, kApps, id, app);
  return SimResponse::json(200, app);
}

SimResponse get_app(OktaCall& call) {
  Record* record = find_readable(call, kApps, call.param("appId"));
  if (!record) return app_not_found(call.param("appId"));
  return SimResponse::json(200, record->data);
}

SimResponse replace_app(OktaCall& call) {
  Record* record = find_writable(call, kApps, call.param("appId"));
  if (!record) return app_not_found(call.param("appId"));
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = check_schema(*body, "Application", WriteKind::replace)) return *error;
  const Json& current = record->data;
  if ((*body)["signOnMode"] != current.value("signOnMode", Json())) {
    return field_error("signOnMode", "The sign-on mode of an app cannot be changed");
  }
  // PUT replaces the app; "id, name, status, created, and lastUpdated ... in the PUT request body
  // are ignored" (spec replaceApplication), and so are the other read-only properties.
  Json app = Json::object();
  for (const auto& [key, value] : current.items()) {
    if (key == "id" || key == "status" || key == "lastUpdated" || key == "created" || key == "_links" ||
        key == "name" || key == "orn" || key == "features" || key == "_embedded") {
      app[key] = value;
    } else if (body->contains(key)) {
      app[key] = (*body)[key];
    }
  }
  for (const auto& [key, value] : body->items()) {
    if (!app.contains(key) && key != "id" && key != "status" && key != "lastUpdated" && key != "created" &&
        key != "_links" && key != "name" && key != "orn" && key != "features" && key != "_embedded") {
      app[key] = value;
    }
  }
  // Credentials the server generated (signing key, client id and secret) survive unless replaced.
  Json credentials = object_at(current, "credentials");
  overlay(credentials, object_at(*body, "credentials"));
  if (!credentials.empty()) app["credentials"] = credentials;
  app["lastUpdated"] = okta_timestamp();
  record->data = app;
  return SimResponse::json(200, app);
}

SimResponse set_status(OktaCall& call, const std::string& status) {
  Record* record = find_writable(call, kApps, call.param("appId"));
  if (!record) return app_not_found(call.param("appId"));
  if (record->data.value("status", "") != status) {
    record->data["status"] = status;
    record->data["lastUpdated"] = okta_timestamp();
    if (record->data.contains("_links") && record->data["_links"].is_object()) set_lifecycle_links(call, record->data);
  }
  return SimResponse::json(200, Json::object());
}

SimResponse delete_app(OktaCall& call) {
  Record* record = find_writable(call, kApps, call.param("appId"));
  if (!record) return app_not_found(call.param("appId"));
  if (record->data.value("status", "ACTIVE") != "INACTIVE") {
    return okta_error(403, "E0000056", "Delete application forbidden.",
                      {"The app must be deactivated (POST .../lifecycle/deactivate) before it can be deleted"});
  }
  std::string id = record->id;
  for (const auto& group : linked_children(call, kAppGroupLinks, id)) {
    delete_record(call, kAppGroups, id + "/" + group);
    remove_link(call, kAppGroupLinks, id, group);
  }
  delete_record(call, kApps, id);
  return SimResponse::empty(204);
}

// Filter view of an app: adds the derived attributes Okta's `filter` accepts (group.id, user.id,
// settings.slo.enabled) to a copy of the app.
Json filter_view(OktaCall& call, const Record& app, bool with_assignments) {
  Json view = app.data;
  if (with_assignments) {
    Json groups = Json::array();
    Json users = Json::array();
    for (const auto* link : readable_links(call, kAppGroupLinks, app.id)) {
      groups.push_back(link->child_id);
      for (const auto* member : readable_links(call, kGroupMembers, link->child_id)) users.push_back(member->child_id);
    }
    view["group"] = {{"id", groups}};
    view["user"] = {{"id", users}};
  }
  auto slo = value_at_path(app.data, "settings.signOn.slo");
  if (slo && slo->is_object()) view["settings"]["slo"] = *slo;
  return view;
}

FilterRules app_filter_rules() {
  return {{"id", "status", "name", "credentials.signing.kid", "settings.slo.enabled", "group.id", "user.id"},
          {"eq"},
          true};
}

SimResponse list_apps(OktaCall& call) {
  auto filter = call.request.query_value("filter");
  auto q = call.request.query_value("q");
  std::optional<FilterExpression> expression;
  bool with_assignments = false;
  if (filter) {
    std::string error;
    expression = FilterExpression::parse(*filter, app_filter_rules(), error);
    if (!expression) return invalid_search(error);
    with_assignments = filter->find("group.id") != std::string::npos || filter->find("user.id") != std::string::npos;
  }
  std::string expand = call.query("expand");
  std::string expand_user = expand.rfind("user/", 0) == 0 ? expand.substr(5) : std::string();
  std::vector<ListRow> rows;
  for (auto* record : readable_records(call, kApps)) {
    if (expression && !expression->matches(filter_view(call, *record, with_assignments))) continue;
    if (q && !istarts_with(record->data.value("name", ""), *q) && !istarts_with(record->data.value("label", ""), *q)) {
      continue;
    }
    Json app = record->data;
    if (!expand_user.empty()) {
      app["_embedded"]["user"] = {{"id", expand_user},
                                  {"scope", "GROUP"},
                                  {"status", "ACTIVE"},
                                  {"_links",
                                   {{"app", {{"href", call.href(app_path(record->id))}}},
                                    {"user", {{"href", call.href("/api/v1/users/" + expand_user)}}}}}};
    }
    rows.push_back({record->sequence, record->id, std::move(app)});
  }
  return list_response(call, std::move(rows), {kApps, kAppsDefaultLimit, kAppsMaxLimit, true});
}

SimResponse assign_policy(OktaCall& call) {
  Record* app = find_writable(call, kApps, call.param("appId"));
  if (!app) return app_not_found(call.param("appId"));
  Record* policy = find_writable(call, kPolicies, call.param("policyId"));
  if (!policy) return resource_not_found(call.param("policyId"), "Policy");
  if (policy->data.value("type", "") != "ACCESS_POLICY") {
    return field_error("policyId", "Only an app sign-in policy (type ACCESS_POLICY) can be assigned to an app");
  }
  if (!app->data.contains("_links") || !app->data["_links"].is_object()) app->data["_links"] = Json::object();
  app->data["_links"]["accessPolicy"] = {{"href", call.href("/api/v1/policies/" + policy->id)}};
  return SimResponse::empty(204);
}

}  // namespace

void register_app_routes(OktaRouter& router) {
  router.add("GET", "/api/v1/apps", {"apps", list_apps});
  router.add("POST", "/api/v1/apps", {"apps", create_app});
  router.add("GET", "/api/v1/apps/{appId}", {"apps", get_app});
  router.add("PUT", "/api/v1/apps/{appId}", {"apps", replace_app});
  router.add("DELETE", "/api/v1/apps/{appId}", {"apps", delete_app});
  router.add("POST", "/api/v1/apps/{appId}/lifecycle/activate",
             {"apps", [](OktaCall& call) { return set_status(call, "ACTIVE"); }});
  router.add("POST", "/api/v1/apps/{appId}/lifecycle/deactivate",
             {"apps", [](OktaCall& call) { return set_status(call, "INACTIVE"); }});
  router.add("PUT", "/api/v1/apps/{appId}/policies/{policyId}", {"apps", assign_policy});
  register_app_group_routes(router);
}

}  // namespace idp_sim::okta
