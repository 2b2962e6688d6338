// Maps an idform application to an Okta SAML 2.0 or OpenID Connect app and back.
#include "providers/okta/application_mapping.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "providers/okta/json_fields.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/redact.hpp"

namespace idform::providers::okta {
namespace {

using model::strings_at;

using nlohmann::json;
using Words = std::pair<std::string_view, std::string_view>;  // config word, Okta value

constexpr Words kNameIdFormats[] = {
    {"email", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"},
    {"persistent", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"},
    {"transient", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"},
    {"unspecified", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"},
};
constexpr Words kGrantTypes[] = {{"device_code", "urn:ietf:params:oauth:grant-type:device_code"}};
// Redirect list in the config <-> OIDC application_type.
constexpr Words kRedirectKinds[] = {{"redirect_uris", "web"},
                                    {"spa_redirect_uris", "browser"},
                                    {"public_client_redirect_uris", "native"}};

template <size_t N>
std::string to_okta(const Words (&table)[N], const std::string& word) {
  for (const auto& [config, okta] : table)
    if (config == word) return std::string(okta);
  return word;
}

template <size_t N>
std::string from_okta(const Words (&table)[N], const std::string& value) {
  for (const auto& [config, okta] : table)
    if (okta == value) return std::string(config);
  return value;
}

const json* stated(const json& spec, std::string_view path) {
  const json* value = spec.is_object() ? model::find_path(spec, path) : nullptr;
  return value && !value->is_null() ? value : nullptr;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

json saml_spec(const json& sign_on) {
  json saml = json::object();
  saml["entity_id"] = text(sign_on, "audience");
  std::set<std::string> urls;
  if (std::string primary = text(sign_on, "ssoAcsUrl"); !primary.empty()) urls.insert(primary);
  if (flag(sign_on, "allowMultipleAcsEndpoints"))
    for (const auto& endpoint : items(sign_on, "acsEndpoints"))
      if (std::string url = text(endpoint, "url"); !url.empty()) urls.insert(url);
  saml["acs_urls"] = json(std::vector<std::string>(urls.begin(), urls.end()));
  // Formats the config has no word for (x509SubjectName) stay unmanaged rather than misnamed.
  std::string format = from_okta(kNameIdFormats, text(sign_on, "subjectNameIdFormat"));
  for (const auto& [word, urn] : kNameIdFormats)
    if (word == format) saml["name_id_format"] = format;
  return saml;
}

json oidc_spec(const json& client) {
  json oidc = json::object();
  std::string type = text(client, "application_type", "web");
  for (const auto& [key, kind] : kRedirectKinds)
    oidc[std::string(key)] = kind == type ? json(texts(client, "redirect_uris")) : json::array();
  oidc["post_logout_redirect_uris"] = texts(client, "post_logout_redirect_uris");
  json grants = json::array();
  for (const std::string& grant : texts(client, "grant_types")) grants.push_back(from_okta(kGrantTypes, grant));
  oidc["grant_types"] = std::move(grants);
  std::vector<std::string> responses = texts(client, "response_types");
  oidc["id_token_issuance"] = contains(responses, "id_token");
  oidc["access_token_issuance"] = contains(responses, "token");
  return oidc;
}

json assignments_of(const std::string& app_id, const TenantSnapshot& snapshot, const NameIndex& names) {
  json out = json::array();
  auto found = snapshot.assignments.find(app_id);
  if (found == snapshot.assignments.end()) return out;
  for (const auto& assignment : found->second) {
    std::string element = names.group(text(assignment, "id"));
    if (std::string role = text(child(assignment, "profile"), "role"); !role.empty()) element += "|role:" + role;
    out.push_back(element);
  }
  return out;
}

// The SAML sign-on settings a new custom app needs, with Okta's usual defaults.
json new_sign_on() {
  return {{"idpIssuer", "http://www.okta.com/${org.externalKey}"},
          {"subjectNameIdTemplate", "${user.userName}"},
          {"subjectNameIdFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"},
          {"responseSigned", true},
          {"assertionSigned", true},
          {"signatureAlgorithm", "RSA_SHA256"},
          {"digestAlgorithm", "SHA256"},
          {"honorForceAuthn", true},
          {"authnContextClassRef", "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
          {"requestCompressed", false},
          {"allowMultipleAcsEndpoints", false},
          {"acsEndpoints", json::array()}};
}

void apply_saml(json& sign_on, const json& spec) {
  if (const json* entity = stated(spec, "sso.saml.entity_id")) sign_on["audience"] = *entity;
  if (stated(spec, "sso.saml.acs_urls")) {
    // The spec is normalised (sorted): the first URL is the default ACS.
    std::vector<std::string> urls = strings_at(spec, "sso.saml.acs_urls");
    std::string primary = urls.empty() ? "" : urls.front();
    sign_on["ssoAcsUrl"] = primary;
    sign_on["recipient"] = primary;
    sign_on["destination"] = primary;
    sign_on["allowMultipleAcsEndpoints"] = urls.size() > 1;
    json endpoints = json::array();
    if (urls.size() > 1)
      for (size_t i = 0; i < urls.size(); ++i) endpoints.push_back({{"url", urls[i]}, {"index", i}});
    sign_on["acsEndpoints"] = std::move(endpoints);
  }
  if (const json* format = stated(spec, "sso.saml.name_id_format"))
    sign_on["subjectNameIdFormat"] = okta_name_id_format(format->get<std::string>());
}

// Writes the stated OIDC fields into settings.oauthClient (`client`); `credentials` is the
// app's credentials.oauthClient, whose client authentication follows the application type.
void apply_oidc(json& client, json& credentials, const json& spec) {
  std::string type = text(client, "application_type", "web");
  bool redirects_stated = false;
  std::vector<std::string> redirects;
  for (const auto& [key, kind] : kRedirectKinds) {
    std::string path = "sso.oidc." + std::string(key);
    if (!stated(spec, path)) continue;
    std::vector<std::string> uris = strings_at(spec, path);
    if (!uris.empty()) {
      type = std::string(kind);
      redirects = uris;
      redirects_stated = true;
    } else if (!redirects_stated && kind == type) {
      redirects_stated = true;  // the app's own kind of redirect stated empty
    }
  }
  if (redirects_stated) client["redirect_uris"] = redirects;
  if (text(client, "application_type") != type) {
    client["application_type"] = type;
    bool public_client = type != "web";
    credentials["token_endpoint_auth_method"] = public_client ? "none" : "client_secret_basic";
    if (public_client) credentials["pkce_required"] = true;
  }
  if (stated(spec, "sso.oidc.post_logout_redirect_uris"))
    client["post_logout_redirect_uris"] = strings_at(spec, "sso.oidc.post_logout_redirect_uris");
  std::vector<std::string> grants;
  for (const std::string& grant : texts(client, "grant_types")) grants.push_back(from_okta(kGrantTypes, grant));
  if (stated(spec, "sso.oidc.grant_types")) grants = strings_at(spec, "sso.oidc.grant_types");
  if (grants.empty()) grants = {"authorization_code"};
  json okta_grants = json::array();
  for (const std::string& grant : grants) okta_grants.push_back(to_okta(kGrantTypes, grant));
  client["grant_types"] = std::move(okta_grants);
  // response_types follow from the grants and the two issuance switches.
  std::vector<std::string> responses = texts(client, "response_types");
  auto issuance = [&](const char* path, const std::string& response) {
    if (const json* value = stated(spec, path)) return value->get<bool>();
    return contains(responses, response);
  };
  json types = json::array();
  if (contains(grants, "authorization_code")) types.push_back("code");
  if (issuance("sso.oidc.id_token_issuance", "id_token")) types.push_back("id_token");
  if (issuance("sso.oidc.access_token_issuance", "token")) types.push_back("token");
  client["response_types"] = std::move(types);
}

void apply_description(json& settings, const json& spec) {
  if (const json* description = stated(spec, "description")) {
    std::string text_value = description->get<std::string>();
    settings["notes"]["admin"] = text_value.empty() ? json() : json(text_value);
    if (!settings["notes"].contains("enduser")) settings["notes"]["enduser"] = nullptr;
  }
}

}  // namespace

std::string okta_name_id_format(const std::string& word) { return to_okta(kNameIdFormats, word); }
std::string okta_grant_type(const std::string& word) { return to_okta(kGrantTypes, word); }

bool is_okta_own_app(const json& app) {
  // The Admin Console (saasure), the End-User Dashboard (okta_enduser), the browser plugin...
  std::string name = text(app, "name");
  return name == "saasure" || name.starts_with("okta_");
}

bool is_managed_app(const json& app) {
  std::string mode = text(app, "signOnMode");
  if (mode != "SAML_2_0" && mode != "OPENID_CONNECT") return false;
  if (is_okta_own_app(app)) return false;
  if (mode == "OPENID_CONNECT" && text(child(child(app, "settings"), "oauthClient"), "application_type") == "service")
    return false;  // API service integrations, such as idform's own service app
  return true;
}

model::Resource application_resource(const json& app, const TenantSnapshot& snapshot, const NameIndex& names) {
  model::Resource resource;
  resource.kind = model::Kind::application;
  resource.id = text(app, "id");
  resource.name = text(app, "label");
  resource.read_only = !is_managed_app(app);
  json settings = child(app, "settings");
  // A client secret in a list answer is never kept, but it is a secret all the same.
  if (std::string secret = text(child(child(app, "credentials"), "oauthClient"), "client_secret"); !secret.empty())
    util::register_secret(secret);
  if (resource.read_only) return resource;
  json& spec = resource.spec;
  spec["description"] = text(child(settings, "notes"), "admin");
  if (text(app, "signOnMode") == "SAML_2_0") {
    spec["sso"] = {{"protocol", "saml"}, {"saml", saml_spec(child(settings, "signOn"))}};
  } else {
    spec["sso"] = {{"protocol", "oidc"}, {"oidc", oidc_spec(child(settings, "oauthClient"))}};
  }
  if (snapshot.assignments.contains(resource.id)) spec["assignments"] = assignments_of(resource.id, snapshot, names);
  return resource;
}

Result<json> new_app_body(const std::string& label, const json& spec) {
  const json* protocol = stated(spec, "sso.protocol");
  if (!protocol)
    return fail("provider \"okta\" needs sso.protocol (saml or oidc) to create an application",
                "Okta apps are created for one sign-on mode, which cannot be changed later");
  json body = {{"label", label}, {"settings", json::object()}};
  if (*protocol == "saml") {
    if (strings_at(spec, "sso.saml.acs_urls").empty())
      return fail("provider \"okta\" needs sso.saml.acs_urls to create a SAML application");
    body["signOnMode"] = "SAML_2_0";
    json sign_on = new_sign_on();
    apply_saml(sign_on, spec);
    body["settings"]["signOn"] = std::move(sign_on);
  } else {
    body["name"] = "oidc_client";
    body["signOnMode"] = "OPENID_CONNECT";
    json client = json::object();
    json credentials = json::object();
    apply_oidc(client, credentials, spec);
    body["settings"]["oauthClient"] = std::move(client);
    body["credentials"]["oauthClient"] = std::move(credentials);
  }
  apply_description(body["settings"], spec);
  return body;
}

Result<void> apply_app_fields(json& app, const std::string& label, const json& spec) {
  for (const char* key : {"_links", "_embedded", "id", "status", "created", "lastUpdated"}) app.erase(key);
  if (app.contains("credentials") && app["credentials"].is_object() && app["credentials"].contains("oauthClient") &&
      app["credentials"]["oauthClient"].is_object()) {
    json& credentials = app["credentials"]["oauthClient"];
    if (credentials.contains("client_secret") && credentials["client_secret"].is_string())
      util::register_secret(credentials["client_secret"].get<std::string>());
    credentials.erase("client_secret");  // Okta keeps the secret; a PUT need not (and must not) repeat it
  }
  app["label"] = label;
  if (!app.contains("settings") || !app["settings"].is_object()) app["settings"] = json::object();
  json& settings = app["settings"];
  std::string mode = text(app, "signOnMode");
  if (const json* protocol = stated(spec, "sso.protocol")) {
    std::string wanted = *protocol == "saml" ? "SAML_2_0" : "OPENID_CONNECT";
    if (wanted != mode)
      return fail("an Okta app's sign-on mode cannot change (" + mode + " -> " + wanted + ")",
                  "delete the application (state: absent) and create it again under a new name");
  }
  if (mode == "SAML_2_0") {
    if (!settings.contains("signOn") || !settings["signOn"].is_object()) settings["signOn"] = new_sign_on();
    apply_saml(settings["signOn"], spec);
  } else if (mode == "OPENID_CONNECT") {
    if (!settings.contains("oauthClient") || !settings["oauthClient"].is_object()) settings["oauthClient"] = json::object();
    if (!app["credentials"].is_object()) app["credentials"] = json::object();
    if (!app["credentials"].contains("oauthClient") || !app["credentials"]["oauthClient"].is_object())
      app["credentials"]["oauthClient"] = json::object();
    apply_oidc(settings["oauthClient"], app["credentials"]["oauthClient"], spec);
  }
  apply_description(settings, spec);
  return {};
}

}  // namespace idform::providers::okta
