// Both directions of the newer conditional access fields (see policy_mapping_conditions.hpp).
// Graph's flags enumerations (guest types, transfer methods, insider risk) travel as one
// comma-separated string; the config writes them as lists. Absent or null Graph values read as
// the config's "nothing" ([] / false / none) so that a config stating nothing converges.
#include "providers/entra/policy_mapping_conditions.hpp"

#include <utility>

#include "providers/entra/graph_words.hpp"
#include "providers/entra/json_fields.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

using model::strings_at;

using nlohmann::json;

constexpr Words kGuestTypes[] = {{"internal_guest", "internalGuest"},
                                 {"b2b_collaboration_guest", "b2bCollaborationGuest"},
                                 {"b2b_collaboration_member", "b2bCollaborationMember"},
                                 {"b2b_direct_connect_user", "b2bDirectConnectUser"},
                                 {"other_external_user", "otherExternalUser"},
                                 {"service_provider", "serviceProvider"}};
constexpr Words kUserActions[] = {{"register_security_info", "urn:user:registersecurityinfo"},
                                  {"register_device", "urn:user:registerdevice"}};
constexpr Words kTransferMethods[] = {{"device_code_flow", "deviceCodeFlow"},
                                      {"authentication_transfer", "authenticationTransfer"}};
constexpr Words kCloudAppSecurity[] = {{"monitor_only", "monitorOnly"},
                                       {"block_downloads", "blockDownloads"},
                                       {"mcas_configured", "mcasConfigured"}};
constexpr Words kFrequencyAuthentication[] = {{"primary_and_secondary", "primaryAndSecondaryAuthentication"},
                                              {"secondary", "secondaryAuthentication"}};

// "internalGuest,b2bCollaborationGuest" -> ["internal_guest", "b2b_collaboration_guest"]; "none" -> [].
template <size_t N>
json flags_from_graph(const Words (&table)[N], const json& value) {
  json out = json::array();
  if (!value.is_string()) return out;
  for (const std::string& part : util::split(value.get<std::string>(), ',')) {
    std::string word = util::trim(part);
    if (!word.empty() && word != "none") out.push_back(from_graph(table, word));
  }
  return out;
}

template <size_t N>
json flags_to_graph(const Words (&table)[N], const std::vector<std::string>& words) {
  if (words.empty()) return nullptr;
  std::vector<std::string> graph;
  for (const std::string& word : words) graph.push_back(to_graph(table, word));
  return util::join(graph, ",");
}

// For the flags enumerations whose config words equal Graph's (insider risk levels).
json plain_flags(const json& value) {
  static constexpr Words kNone[] = {{"", ""}};
  return flags_from_graph(kNone, value);
}

json filter_from_graph(const json& filter) {
  if (!filter.is_object() || filter.empty()) return nullptr;
  return {{"mode", text(filter, "mode", "include")}, {"rule", text(filter, "rule")}};
}

json filter_to_graph(const json& spec, std::string_view path) {
  const json* filter = model::find_path(spec, path);
  if (!filter || !filter->is_object()) return nullptr;
  return {{"mode", text(*filter, "mode", "include")}, {"rule", text(*filter, "rule")}};
}

json guests_from_graph(const json& users, const char* key) {
  const json& guests = child(users, key);
  json out = {{"types", flags_from_graph(kGuestTypes, guests.is_object() ? guests.value("guestOrExternalUserTypes", json()) : json())}};
  const json& tenants = child(guests, "externalTenants");
  if (!tenants.empty()) {
    if (text(tenants, "membershipKind") == "enumerated") out["external_tenants"] = texts(tenants, "members");
    else out["external_tenants"] = json::array({"all"});
  }
  return out;
}

json guests_to_graph(const json& spec, const std::string& path) {
  std::vector<std::string> types = strings_at(spec, path + ".types");
  if (types.empty()) return nullptr;
  json out = {{"guestOrExternalUserTypes", flags_to_graph(kGuestTypes, types)}};
  std::vector<std::string> tenants = strings_at(spec, path + ".external_tenants");
  if (tenants.empty() || tenants == std::vector<std::string>{"all"})
    out["externalTenants"] = {{"@odata.type", "#microsoft.graph.conditionalAccessAllExternalTenants"},
                              {"membershipKind", "all"}};
  else
    out["externalTenants"] = {{"@odata.type", "#microsoft.graph.conditionalAccessEnumeratedExternalTenants"},
                              {"membershipKind", "enumerated"},
                              {"members", tenants}};
  return out;
}

json service_principals_from_graph(const json& applications, const char* key) {
  json out = json::array();
  for (const std::string& id : texts(applications, key))
    out.push_back(id == "ServicePrincipalsInMyTenant" ? std::string("all") : id == "None" ? std::string("none") : "id:" + id);
  return out;
}

json service_principals_to_graph(const std::vector<std::string>& words) {
  json out = json::array();
  for (const std::string& word : words)
    out.push_back(word == "all" ? std::string("ServicePrincipalsInMyTenant")
                  : word == "none" ? std::string("None")
                  : word.starts_with("id:") ? word.substr(3) : word);
  return out;
}

void read_conditions(const json& conditions, json& spec) {
  const json& users = child(conditions, "users");
  spec["users"]["include_guests_or_external_users"] = guests_from_graph(users, "includeGuestsOrExternalUsers");
  spec["users"]["exclude_guests_or_external_users"] = guests_from_graph(users, "excludeGuestsOrExternalUsers");
  const json& applications = child(conditions, "applications");
  spec["applications"]["include_user_actions"] = words_from_graph(kUserActions, texts(applications, "includeUserActions"));
  spec["applications"]["include_authentication_contexts"] = texts(applications, "includeAuthenticationContextClassReferences");
  if (json filter = filter_from_graph(child(applications, "applicationFilter")); !filter.is_null())
    spec["applications"]["filter"] = filter;
  const json& clients = child(conditions, "clientApplications");
  spec["client_applications"] = {{"include", service_principals_from_graph(clients, "includeServicePrincipals")},
                                 {"exclude", service_principals_from_graph(clients, "excludeServicePrincipals")}};
  if (json filter = filter_from_graph(child(clients, "servicePrincipalFilter")); !filter.is_null())
    spec["client_applications"]["filter"] = filter;
  if (json filter = filter_from_graph(child(child(conditions, "devices"), "deviceFilter")); !filter.is_null())
    spec["devices"]["filter"] = filter;
  spec["authentication_flows"] =
      flags_from_graph(kTransferMethods, child(conditions, "authenticationFlows").value("transferMethods", json()));
  spec["insider_risk"] = plain_flags(conditions.is_object() ? conditions.value("insiderRiskLevels", json()) : json());
  spec["service_principal_risk"] = texts(conditions, "servicePrincipalRiskLevels");
}

void read_controls(const json& policy, json& spec) {
  const json& grant = child(policy, "grantControls");
  if (!grant.empty()) {
    const json& strength = child(grant, "authenticationStrength");
    if (std::string id = text(strength, "id"); !id.empty())
      spec["grant"]["authentication_strength"] = authentication_strength_reference(id);
    spec["grant"]["terms_of_use"] = texts(grant, "termsOfUse");
    spec["grant"]["custom_authentication_factors"] = texts(grant, "customAuthenticationFactors");
  }
  const json& session = child(policy, "sessionControls");
  json& out = spec["session"];
  const json& frequency = child(session, "signInFrequency");
  if (flag(frequency, "isEnabled"))
    out["sign_in_frequency_authentication"] =
        from_graph(kFrequencyAuthentication, text(frequency, "authenticationType", "primaryAndSecondaryAuthentication"));
  const json& cloud = child(session, "cloudAppSecurity");
  out["cloud_app_security"] = flag(cloud, "isEnabled") ? from_graph(kCloudAppSecurity, text(cloud, "cloudAppSecurityType", "mcasConfigured")) : "none";
  out["disable_resilience_defaults"] = flag(session, "disableResilienceDefaults");
  out["secure_sign_in_session"] = flag(child(session, "secureSignInSession"), "isEnabled");
}

void write_conditions(const json& spec, const TouchedPredicate& touched, json& body) {
  json& conditions = body["conditions"];
  for (const char* side : {"include", "exclude"}) {
    std::string path = std::string("users.") + side + "_guests_or_external_users";
    if (touched(path)) conditions["users"][std::string(side) + "GuestsOrExternalUsers"] = guests_to_graph(spec, path);
  }
  if (touched("applications.include_user_actions")) {
    json actions = json::array();
    for (const std::string& word : strings_at(spec, "applications.include_user_actions")) actions.push_back(to_graph(kUserActions, word));
    conditions["applications"]["includeUserActions"] = actions;
  }
  if (touched("applications.include_authentication_contexts"))
    conditions["applications"]["includeAuthenticationContextClassReferences"] =
        strings_at(spec, "applications.include_authentication_contexts");
  if (touched("applications.filter"))
    conditions["applications"]["applicationFilter"] = filter_to_graph(spec, "applications.filter");
  if (touched("client_applications.include"))
    conditions["clientApplications"]["includeServicePrincipals"] =
        service_principals_to_graph(strings_at(spec, "client_applications.include"));
  if (touched("client_applications.exclude"))
    conditions["clientApplications"]["excludeServicePrincipals"] =
        service_principals_to_graph(strings_at(spec, "client_applications.exclude"));
  if (touched("client_applications.filter"))
    conditions["clientApplications"]["servicePrincipalFilter"] = filter_to_graph(spec, "client_applications.filter");
  if (touched("devices.filter")) conditions["devices"]["deviceFilter"] = filter_to_graph(spec, "devices.filter");
  if (touched("authentication_flows")) {
    json methods = flags_to_graph(kTransferMethods, strings_at(spec, "authentication_flows"));
    conditions["authenticationFlows"] = methods.is_null() ? json() : json{{"transferMethods", methods}};
  }
  if (touched("insider_risk")) {
    static constexpr Words kSame[] = {{"", ""}};
    conditions["insiderRiskLevels"] = flags_to_graph(kSame, strings_at(spec, "insider_risk"));
  }
  if (touched("service_principal_risk")) conditions["servicePrincipalRiskLevels"] = strings_at(spec, "service_principal_risk");
  if (conditions.empty()) body.erase("conditions");
}

Result<void> write_controls(const json& spec, const TouchedPredicate& touched, json& body) {
  if (touched("grant.authentication_strength")) {
    const json* reference = model::find_path(spec, "grant.authentication_strength");
    if (!reference || !reference->is_string()) {
      body["grantControls"]["authenticationStrength"] = nullptr;
    } else {
      auto id = authentication_strength_id(reference->get<std::string>());
      if (!id) return fail("unknown authentication strength \"" + reference->get<std::string>() + "\"");
      body["grantControls"]["authenticationStrength"] = {{"id", *id}};
    }
  }
  if (touched("grant.terms_of_use")) body["grantControls"]["termsOfUse"] = strings_at(spec, "grant.terms_of_use");
  if (touched("grant.custom_authentication_factors"))
    body["grantControls"]["customAuthenticationFactors"] = strings_at(spec, "grant.custom_authentication_factors");
  if (touched("session.cloud_app_security")) {
    const json* word = model::find_path(spec, "session.cloud_app_security");
    std::string value = word && word->is_string() ? word->get<std::string>() : "none";
    body["sessionControls"]["cloudAppSecurity"] =
        value == "none" ? json() : json{{"isEnabled", true}, {"cloudAppSecurityType", to_graph(kCloudAppSecurity, value)}};
  }
  if (touched("session.disable_resilience_defaults"))
    if (const json* value = model::find_path(spec, "session.disable_resilience_defaults"))
      body["sessionControls"]["disableResilienceDefaults"] = *value;
  if (touched("session.secure_sign_in_session"))
    if (const json* value = model::find_path(spec, "session.secure_sign_in_session"))
      body["sessionControls"]["secureSignInSession"] = value->get<bool>() ? json{{"isEnabled", true}} : json();
  return {};
}

}  // namespace

std::optional<std::string> authentication_strength_id(const std::string& reference) {
  constexpr std::string_view kPrefix = "authentication_strength:";
  if (!reference.starts_with(kPrefix)) return std::nullopt;
  std::string name = reference.substr(kPrefix.size());
  if (name.starts_with("id:")) return name.substr(3);
  for (const BuiltInStrength& strength : kBuiltInStrengths)
    if (util::iequals(strength.name, name)) return std::string(strength.id);
  return std::nullopt;
}

std::string authentication_strength_reference(const std::string& id) {
  for (const BuiltInStrength& strength : kBuiltInStrengths)
    if (strength.id == id) return "authentication_strength:" + std::string(strength.name);
  return "authentication_strength:id:" + id;
}

void read_policy_extensions(const json& policy, json& spec) {
  read_conditions(child(policy, "conditions"), spec);
  read_controls(policy, spec);
}

Result<void> write_policy_extensions(const json& spec, const TouchedPredicate& touched, json& body) {
  write_conditions(spec, touched, body);
  return write_controls(spec, touched, body);
}

std::string frequency_authentication_type(const json& spec) {
  const json* word = model::find_path(spec, "session.sign_in_frequency_authentication");
  return to_graph(kFrequencyAuthentication, word && word->is_string() ? word->get<std::string>() : "primary_and_secondary");
}

}  // namespace idform::providers::entra
