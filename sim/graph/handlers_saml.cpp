// SAML single sign-on set-up through Graph (GRAPH-DC concepts/application-saml-sso-configure-api.md,
// applicationtemplate-instantiate.md, serviceprincipal-addtokensigningcertificate.md,
// claimsmappingpolicy-post-claimsmappingpolicies.md, serviceprincipal-post-claimsmappingpolicies.md):
// instantiate an application template (application + service principal in one call), add a token
// signing certificate, and create/assign a claims mapping policy.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/crypto.hpp"
#include "core/sim_clock.hpp"
#include "graph/graph_errors.hpp"
#include "graph/graph_flavor.hpp"

namespace idp_sim::graph {

namespace {

constexpr const char* kClaimsPolicies = "claimsMappingPolicies";

Json default_sso_role(const std::string& id, const std::string& name) {
  return {{"allowedMemberTypes", {"User"}}, {"displayName", name}, {"id", id}, {"isEnabled", true},
          {"description", name},           {"value", nullptr},    {"origin", "Application"}};
}

// What an application template's application and service principal share.
struct TemplateInstance {
  std::string template_id;
  std::string name;
  std::string app_id;
  Json roles;  // the two default SAML roles
  Json scope;  // user_impersonation
  Json info;
};

TemplateInstance template_instance(const std::string& template_id, const std::string& name) {
  TemplateInstance out{template_id, name, new_object_id(), Json(), Json(), Json()};
  out.roles = Json::array({default_sso_role("8774f594-1d59-4279-b9d9-59ef09a23530", "User"),
                           default_sso_role("e7f1a7f3-9eda-48e0-9963-bd67bf531afd", "msiam_access")});
  out.scope = {
      {"adminConsentDescription", "Allow the application to access " + name + " on behalf of the signed-in user."},
      {"adminConsentDisplayName", "Access " + name},
      {"id", new_object_id()},
      {"isEnabled", true},
      {"type", "User"},
      {"userConsentDescription", "Allow the application to access " + name + " on your behalf."},
      {"userConsentDisplayName", "Access " + name},
      {"value", "user_impersonation"}};
  out.info = {{"logoUrl", nullptr},
              {"marketingUrl", nullptr},
              {"privacyStatementUrl", nullptr},
              {"supportUrl", nullptr},
              {"termsOfServiceUrl", nullptr}};
  return out;
}

Json template_application(const TemplateInstance& instance) {
  return {{"id", new_object_id()},
          {"appId", instance.app_id},
          {"applicationTemplateId", instance.template_id},
          {"createdDateTime", now_timestamp()},
          {"deletedDateTime", nullptr},
          {"displayName", instance.name},
          {"groupMembershipClaims", nullptr},
          {"identifierUris", Json::array()},
          {"isFallbackPublicClient", false},
          {"signInAudience", "AzureADMyOrg"},
          {"tags", Json::array()},
          {"tokenEncryptionKeyId", nullptr},
          {"defaultRedirectUri", nullptr},
          {"optionalClaims", nullptr},
          {"addIns", Json::array()},
          {"api",
           {{"acceptMappedClaims", nullptr},
            {"knownClientApplications", Json::array()},
            {"requestedAccessTokenVersion", nullptr},
            {"oauth2PermissionScopes", Json::array({instance.scope})},
            {"preAuthorizedApplications", Json::array()}}},
          {"appRoles", instance.roles},
          {"info", instance.info},
          {"keyCredentials", Json::array()},
          {"parentalControlSettings", {{"countriesBlockedForMinors", Json::array()}, {"legalAgeGroupRule", "Allow"}}},
          {"passwordCredentials", Json::array()},
          {"publicClient", {{"redirectUris", Json::array()}}},
          {"requiredResourceAccess", Json::array()},
          {"web", {{"homePageUrl", nullptr}, {"redirectUris", Json::array()}}}};
}

Json template_service_principal(const TemplateInstance& instance, const std::string& tenant_id) {
  return {{"id", new_object_id()},
          {"deletedDateTime", nullptr},
          {"accountEnabled", true},
          {"appId", instance.app_id},
          {"applicationTemplateId", instance.template_id},
          {"appDisplayName", instance.name},
          {"alternativeNames", Json::array()},
          {"appOwnerOrganizationId", tenant_id},
          {"displayName", instance.name},
          {"appRoleAssignmentRequired", true},
          {"loginUrl", nullptr},
          {"logoutUrl", nullptr},
          {"homepage", nullptr},
          {"notificationEmailAddresses", Json::array()},
          {"preferredSingleSignOnMode", nullptr},
          {"preferredTokenSigningKeyThumbprint", nullptr},
          {"replyUrls", Json::array()},
          {"servicePrincipalNames", Json::array({instance.app_id})},
          {"servicePrincipalType", "Application"},
          {"tags", Json::array({"WindowsAzureActiveDirectoryIntegratedApp"})},
          {"tokenEncryptionKeyId", nullptr},
          {"samlSingleSignOnSettings", nullptr},
          {"addIns", Json::array()},
          {"appRoles", instance.roles},
          {"info", instance.info},
          {"keyCredentials", Json::array()},
          {"oauth2PermissionScopes", Json::array({instance.scope})},
          {"passwordCredentials", Json::array()}};
}

SimResponse instantiate(GraphCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (!body->is_object() || !body->contains("displayName") || !(*body)["displayName"].is_string()) {
    return bad_request("A value is required for property 'displayName' of resource 'ApplicationServicePrincipal'.",
                       call.request);
  }
  TemplateInstance instance = template_instance(call.param("template"), (*body)["displayName"].get<std::string>());
  Json application = template_application(instance);
  Json service_principal = template_service_principal(instance, call.settings.tenant_id);
  Record& app_record = insert_object(call, applications_set(), application);
  Record& sp_record = insert_object(call, service_principals_set(), service_principal);
  Json out = {{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.applicationServicePrincipal"},
              {"application", app_record.data},
              {"servicePrincipal", sp_record.data}};
  return graph_json(201, out, call.request);
}

// A self-signed RSA certificate for `subject`, valid until `not_after_unix`; returns base64 DER.
std::string self_signed_certificate(const std::string& subject, long long not_after_unix) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate), std::max<long long>(60, not_after_unix - SimClock::unix_seconds()));
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  std::string cn = subject.rfind("CN=", 0) == 0 ? subject.substr(3) : subject;
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, key, EVP_sha256());
  unsigned char* der = nullptr;
  int length = i2d_X509(certificate, &der);
  std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  X509_free(certificate);
  EVP_PKEY_free(key);
  return bytes;
}

long long parse_unix_time(const std::string& iso) {
  std::tm tm{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return SimClock::unix_seconds() + 3 * 365 * 24 * 3600LL;
  return static_cast<long long>(timegm(&tm));
}

SimResponse add_token_signing_certificate(GraphCall& call) {
  Record* sp = find_writable(call, service_principals_set(), call.param("id"));
  if (!sp) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  std::string name = body->value("displayName", "CN=" + sp->data.value("displayName", "idp-sim"));
  std::string end = body->value("endDateTime", "");
  long long not_after = end.empty() ? SimClock::unix_seconds() + 3 * 365 * 24 * 3600LL : parse_unix_time(end);
  std::string der = self_signed_certificate(name, not_after);
  std::string thumbprint = hex_upper(sha1(der));
  std::string start = SimClock::utc_timestamp_precise();
  std::string end_text = end.empty() ? now_timestamp() : end;
  std::string custom_key = base64_encode(sha1(der));
  Json certificate = {{"customKeyIdentifier", custom_key},
                      {"displayName", name},
                      {"endDateTime", end_text},
                      {"key", base64_encode(der)},
                      {"keyId", new_object_id()},
                      {"startDateTime", start},
                      {"thumbprint", thumbprint},
                      {"type", "AsymmetricX509Cert"},
                      {"usage", "Verify"}};
  Json& credentials = sp->data["keyCredentials"];
  if (!credentials.is_array()) credentials = Json::array();
  for (const char* usage : {"Sign", "Verify"}) {
    credentials.push_back({{"customKeyIdentifier", custom_key},
                           {"displayName", name},
                           {"endDateTime", end_text},
                           {"key", nullptr},
                           {"keyId", new_object_id()},
                           {"startDateTime", start},
                           {"type", std::string(usage) == "Sign" ? "X509CertAndPassword" : "AsymmetricX509Cert"},
                           {"usage", usage}});
  }
  Json out = {{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.selfSignedCertificate"}};
  for (const auto& [key, value] : certificate.items()) out[key] = value;
  return graph_json(200, out, call.request);
}

SimResponse create_claims_policy(GraphCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (!body->is_object() || !body->contains("definition") || !(*body)["definition"].is_array() ||
      !body->contains("displayName") || !(*body)["displayName"].is_string()) {
    return bad_request("A value is required for property 'definition' and 'displayName' of resource 'ClaimsMappingPolicy'.",
                       call.request);
  }
  for (const auto& definition : (*body)["definition"]) {
    if (!definition.is_string()) return bad_request("Invalid value specified for property 'definition'.", call.request);
    try {
      Json parsed = Json::parse(definition.get<std::string>());
      if (!parsed.is_object()) throw std::runtime_error("not an object");
    } catch (const std::exception&) {
      return bad_request("Invalid value specified for property 'definition' of resource 'ClaimsMappingPolicy'.",
                         call.request);
    }
  }
  Json policy = {{"id", new_object_id()},
                 {"deletedDateTime", nullptr},
                 {"definition", (*body)["definition"]},
                 {"displayName", (*body)["displayName"]},
                 {"isOrganizationDefault", body->value("isOrganizationDefault", false)}};
  Record& record = call.data.collection(kClaimsPolicies).insert(policy["id"], policy, call.data.take_sequence(),
                                                                call.now + call.visibility.delay);
  Json out = {{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#policies/claimsMappingPolicies/$entity"}};
  for (const auto& [key, value] : record.data.items()) out[key] = value;
  return graph_json(201, out, call.request);
}

SimResponse list_claims_policies(GraphCall& call) {
  Json values = Json::array();
  for (const auto* record : call.data.collection(kClaimsPolicies).ordered()) {
    if (call.visibility.readable(*record, call.now)) values.push_back(record->data);
  }
  return graph_json(200,
                    Json{{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#policies/claimsMappingPolicies"},
                         {"value", values}},
                    call.request);
}

SimResponse delete_claims_policy(GraphCall& call) {
  auto& policies = call.data.collection(kClaimsPolicies);
  Record* record = policies.find(call.param("id"));
  if (!record || !call.visibility.writable(*record, call.now)) return not_found(call.param("id"), call.request);
  std::string id = record->id;
  policies.erase(id);
  call.data.relation("servicePrincipals.claimsMappingPolicies").erase_child_everywhere(id);
  return graph_no_content(call.request);
}

SimResponse assign_claims_policy(GraphCall& call) {
  Record* sp = find_writable(call, service_principals_set(), call.param("id"));
  if (!sp) return not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  std::string url = body->is_object() ? body->value("@odata.id", "") : "";
  auto at = url.find("/claimsMappingPolicies/");
  if (at == std::string::npos) return bad_request("Invalid object identifier '" + url + "'.", call.request);
  std::string policy_id = url.substr(at + 23);
  Record* policy = call.data.collection(kClaimsPolicies).find(policy_id);
  if (!policy || !call.visibility.writable(*policy, call.now)) return not_found(policy_id, call.request);
  // A service principal can have only one claims mapping policy.
  if (!readable_links(call, "servicePrincipals.claimsMappingPolicies", sp->id).empty()) {
    return graph_error(409, "Request_BadRequest",
                       "A conflicting object with one or more of the specified property values is present in the "
                       "directory.",
                       call.request);
  }
  add_link(call, "servicePrincipals.claimsMappingPolicies", sp->id, policy->id, kClaimsPolicies);
  return graph_no_content(call.request);
}

SimResponse list_sp_claims_policies(GraphCall& call) {
  Record* sp = find_readable(call, service_principals_set(), call.param("id"));
  if (!sp) return not_found(call.param("id"), call.request);
  Json values = Json::array();
  for (const auto* link : readable_links(call, "servicePrincipals.claimsMappingPolicies", sp->id)) {
    if (const Record* policy = call.data.collection(kClaimsPolicies).find(link->child_id)) values.push_back(policy->data);
  }
  return graph_json(200,
                    Json{{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#policies/claimsMappingPolicies"},
                         {"value", values}},
                    call.request);
}

SimResponse unassign_claims_policy(GraphCall& call) {
  Record* sp = find_writable(call, service_principals_set(), call.param("id"));
  if (!sp) return not_found(call.param("id"), call.request);
  Link* link = call.data.relation("servicePrincipals.claimsMappingPolicies").find(sp->id, call.param("policy"));
  if (!link || link->deleted_at) return not_found(call.param("policy"), call.request);
  remove_link(call, "servicePrincipals.claimsMappingPolicies", sp->id, call.param("policy"));
  return graph_no_content(call.request);
}

}  // namespace

void register_saml_routes(GraphRouter& router) {
  router.add("POST", "/applicationTemplates/{template}/instantiate", instantiate);
  router.add("POST", "/servicePrincipals/{id}/addTokenSigningCertificate", add_token_signing_certificate);
  router.add("GET", "/policies/claimsMappingPolicies", list_claims_policies);
  router.add("POST", "/policies/claimsMappingPolicies", create_claims_policy);
  router.add("DELETE", "/policies/claimsMappingPolicies/{id}", delete_claims_policy);
  router.add("GET", "/servicePrincipals/{id}/claimsMappingPolicies", list_sp_claims_policies);
  router.add("POST", "/servicePrincipals/{id}/claimsMappingPolicies/$ref", assign_claims_policy);
  router.add("DELETE", "/servicePrincipals/{id}/claimsMappingPolicies/{policy}/$ref", unassign_claims_policy);
}

}  // namespace idp_sim::graph
