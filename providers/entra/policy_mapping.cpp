// Maps an idform conditional access policy to Graph's conditionalAccessPolicy and back.
#include "providers/entra/json_fields.hpp"
#include "providers/entra/policy_mapping.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "providers/entra/directory_roles.hpp"
#include "providers/entra/graph_words.hpp"
#include "providers/entra/policy_mapping_conditions.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

using nlohmann::json;

constexpr Words kPlatforms[] = {{"all", "all"},     {"android", "android"}, {"ios", "iOS"},
                                {"windows", "windows"}, {"macos", "macOS"}, {"linux", "linux"},
                                {"windows_phone", "windowsPhone"}};
constexpr Words kClientAppTypes[] = {{"all", "all"},
                                     {"browser", "browser"},
                                     {"mobile_and_desktop", "mobileAppsAndDesktopClients"},
                                     {"exchange_active_sync", "exchangeActiveSync"},
                                     {"eas_supported", "easSupported"},
                                     {"other", "other"}};
constexpr Words kGrantControls[] = {{"mfa", "mfa"},
                                    {"block", "block"},
                                    {"compliant_device", "compliantDevice"},
                                    {"domain_joined_device", "domainJoinedDevice"},
                                    {"approved_app", "approvedApplication"},
                                    {"compliant_app", "compliantApplication"},
                                    {"password_change", "passwordChange"},
                                    {"risk_remediation", "riskRemediation"}};
constexpr Words kStates[] = {{"enabled", "enabled"}, {"disabled", "disabled"},
                             {"report-only", "enabledForReportingButNotEnforced"}};

json user_side(const json& users, const char* side, const NameIndex& names) {
  // side is "include" or "exclude"; Graph spreads one list over Users, Groups, Roles.
  json out = json::array();
  std::string prefix(side);
  for (const auto& id : texts(users, (prefix + "Users").c_str())) {
    if (id == "All") out.push_back("all");
    else if (id == "None") out.push_back("none");
    else if (id == "GuestsOrExternalUsers") out.push_back("guests");
    else out.push_back(names.user(id));
  }
  for (const auto& id : texts(users, (prefix + "Groups").c_str())) out.push_back(names.group(id));
  for (const auto& id : texts(users, (prefix + "Roles").c_str())) {
    auto name = role_display_name(id);
    out.push_back("role:" + (name ? *name : "id:" + id));
  }
  // The guest types condition (include|excludeGuestsOrExternalUsers) is a field of its own.
  return out;
}

json application_side(const json& applications, const char* key, const NameIndex& names) {
  json out = json::array();
  for (const auto& id : texts(applications, key)) {
    if (id == "All") out.push_back("all");
    else if (id == "None") out.push_back("none");
    else if (id == "Office365") out.push_back("office365");
    else if (id == "MicrosoftAdminPortals") out.push_back("microsoft_admin_portals");
    else out.push_back(names.app(id));
  }
  return out;
}

json location_side(const json& locations, const char* key, const NameIndex& names) {
  json out = json::array();
  for (const auto& id : texts(locations, key)) {
    if (id == "All") out.push_back("any");
    else if (id == "AllTrusted") out.push_back("all_trusted");
    else out.push_back(names.location(id));
  }
  return out;
}

json session_of(const json& policy) {
  json session = json::object();
  json controls = child(policy, "sessionControls");
  json frequency = child(controls, "signInFrequency");
  if (flag(frequency, "isEnabled")) {
    if (text(frequency, "frequencyInterval") == "everyTime") {
      session["sign_in_frequency"] = "every_time";
    } else if (frequency.contains("value") && frequency["value"].is_number_integer()) {
      std::string unit = text(frequency, "type") == "days" ? "d" : "h";
      session["sign_in_frequency"] = std::to_string(frequency["value"].get<long long>()) + unit;
    }
  }
  json browser = child(controls, "persistentBrowser");
  if (flag(browser, "isEnabled") && browser.contains("mode") && browser["mode"].is_string())
    session["persistent_browser"] = browser["mode"];
  session["app_enforced_restrictions"] = flag(child(controls, "applicationEnforcedRestrictions"), "isEnabled");
  return session;
}

}  // namespace

std::string graph_platform(const std::string& word) { return to_graph(kPlatforms, word); }
std::string graph_client_app_type(const std::string& word) { return to_graph(kClientAppTypes, word); }
std::string graph_grant_control(const std::string& word) { return to_graph(kGrantControls, word); }

model::Resource policy_resource(const json& policy, const NameIndex& names) {
  model::Resource resource;
  resource.kind = model::Kind::conditional_access_policy;
  resource.id = text(policy, "id");
  resource.name = policy.contains("displayName") && policy["displayName"].is_string() ? policy["displayName"].get<std::string>() : "";
  // Microsoft-managed policies are Microsoft's to change (only their exclusions are editable).
  resource.read_only = resource.name.starts_with("Microsoft-managed");
  json& spec = resource.spec;
  spec["state"] = from_graph(kStates, text(policy, "state"));

  json conditions = child(policy, "conditions");
  json users = child(conditions, "users");
  spec["users"] = {{"include", user_side(users, "include", names)}, {"exclude", user_side(users, "exclude", names)}};
  json applications = child(conditions, "applications");
  spec["applications"] = {{"include", application_side(applications, "includeApplications", names)},
                          {"exclude", application_side(applications, "excludeApplications", names)}};
  json locations = child(conditions, "locations");
  spec["locations"] = {{"include", location_side(locations, "includeLocations", names)},
                       {"exclude", location_side(locations, "excludeLocations", names)}};
  json platforms = child(conditions, "platforms");
  spec["platforms"] = {{"include", words_from_graph(kPlatforms, texts(platforms, "includePlatforms"))},
                       {"exclude", words_from_graph(kPlatforms, texts(platforms, "excludePlatforms"))}};
  spec["client_app_types"] = words_from_graph(kClientAppTypes, texts(conditions, "clientAppTypes"));
  spec["sign_in_risk"] = texts(conditions, "signInRiskLevels");
  spec["user_risk"] = texts(conditions, "userRiskLevels");

  json grant = child(policy, "grantControls");
  if (!grant.empty()) {
    spec["grant"]["operator"] = util::to_lower(text(grant, "operator", "OR"));
    spec["grant"]["controls"] = words_from_graph(kGrantControls, texts(grant, "builtInControls"));
  }
  spec["session"] = session_of(policy);
  read_policy_extensions(policy, spec);
  return resource;
}

namespace {

using ListAt = std::function<std::vector<std::string>(std::string_view)>;

// users.include or users.exclude as Graph's three lists: users (and the all/none/guests words),
// groups, and directory role templates.
Result<void> write_policy_users(const std::string& side, const ListAt& list, const IdResolver& ids, json& body) {
  json users = json::array(), groups = json::array(), roles = json::array();
  for (const std::string& element : list("users." + side)) {
    model::Reference ref = model::Reference::parse(element);
    if (element == "all")
      users.push_back("All");
    else if (element == "none")
      users.push_back("None");
    else if (element == "guests")
      users.push_back("GuestsOrExternalUsers");
    else if (ref.type == "group")
      groups.push_back(IDFORM_TRY(ids.id_of(element)));
    else if (ref.type == "user")
      users.push_back(IDFORM_TRY(ids.id_of(element)));
    else if (ref.type == "role") {
      auto role = ref.value.starts_with("id:") ? std::optional(ref.value.substr(3)) : role_template_id(ref.value);
      if (!role) return fail("unknown directory role \"" + ref.value + "\"");
      roles.push_back(*role);
    }
  }
  json& target = body["conditions"]["users"];
  target[side + "Users"] = users;
  target[side + "Groups"] = groups;
  target[side + "Roles"] = roles;
  return {};
}

// One side (include or exclude) of the users, applications, locations and platforms conditions.
Result<void> write_policy_side(const std::string& side, const TouchedPredicate& touched, const ListAt& list,
                               const IdResolver& ids, json& body) {
  if (touched("users." + side)) IDFORM_TRY(write_policy_users(side, list, ids, body));
  if (touched("applications." + side)) {
    json apps = json::array();
    for (const std::string& element : list("applications." + side)) {
      if (element == "all")
        apps.push_back("All");
      else if (element == "none")
        apps.push_back("None");
      else if (element == "office365")
        apps.push_back("Office365");
      else if (element == "microsoft_admin_portals")
        apps.push_back("MicrosoftAdminPortals");
      else
        apps.push_back(IDFORM_TRY(ids.id_of(element)));
    }
    body["conditions"]["applications"][side + "Applications"] = apps;
  }
  if (touched("locations." + side)) {
    json locations = json::array();
    for (const std::string& element : list("locations." + side)) {
      if (element == "any")
        locations.push_back("All");
      else if (element == "all_trusted")
        locations.push_back("AllTrusted");
      else
        locations.push_back(IDFORM_TRY(ids.id_of(element)));
    }
    body["conditions"]["locations"][side + "Locations"] = locations;
  }
  if (touched("platforms." + side)) {
    json platforms = json::array();
    for (const std::string& word : list("platforms." + side)) platforms.push_back(to_graph(kPlatforms, word));
    body["conditions"]["platforms"][side + "Platforms"] = platforms;
  }
  return {};
}

// session.sign_in_frequency ("every_time", "8h", "30d") as Graph's signInFrequency control.
Result<json> policy_sign_in_frequency(const json& spec) {
  const json* value = model::find_path(spec, "session.sign_in_frequency");
  std::string text = value && value->is_string() ? value->get<std::string>() : "";
  json frequency = {{"isEnabled", true}, {"authenticationType", frequency_authentication_type(spec)}};
  if (text == "every_time") {
    frequency["frequencyInterval"] = "everyTime";
    frequency["value"] = nullptr;
    frequency["type"] = nullptr;
  } else if (text.size() >= 2 && (text.back() == 'h' || text.back() == 'd')) {
    frequency["frequencyInterval"] = "timeBased";
    frequency["value"] = std::stoll(text.substr(0, text.size() - 1));
    frequency["type"] = text.back() == 'd' ? "days" : "hours";
  } else {
    return fail("session.sign_in_frequency \"" + text + "\" cannot be expressed in Entra (hours or days only)");
  }
  return frequency;
}

}  // namespace

Result<json> policy_properties(const json& spec, const std::vector<std::string>& paths, const IdResolver& ids) {
  TouchedPredicate touched = [&](std::string_view prefix) {
    return std::any_of(paths.begin(), paths.end(), [&](const std::string& path) {
      return path == prefix || path.starts_with(std::string(prefix) + ".");
    });
  };
  ListAt list = [&](std::string_view path) {
    const json* value = model::find_path(spec, path);
    return value && value->is_array() ? value->get<std::vector<std::string>>() : std::vector<std::string>{};
  };
  json body = json::object();
  if (touched("state")) body["state"] = to_graph(kStates, text(spec, "state", "enabled"));
  for (const char* side : {"include", "exclude"}) IDFORM_TRY(write_policy_side(side, touched, list, ids, body));
  if (touched("client_app_types")) {
    json types = json::array();
    for (const std::string& word : list("client_app_types")) types.push_back(to_graph(kClientAppTypes, word));
    body["conditions"]["clientAppTypes"] = types;
  }
  if (touched("sign_in_risk")) body["conditions"]["signInRiskLevels"] = list("sign_in_risk");
  if (touched("user_risk")) body["conditions"]["userRiskLevels"] = list("user_risk");
  if (touched("grant.operator") || touched("grant.controls")) {
    json controls = json::array();
    for (const std::string& word : list("grant.controls")) controls.push_back(to_graph(kGrantControls, word));
    const json* op = model::find_path(spec, "grant.operator");
    body["grantControls"] = {{"operator", op && op->is_string() ? util::to_upper(op->get<std::string>()) : "OR"},
                             {"builtInControls", controls}};
  }
  if (touched("session.sign_in_frequency") || touched("session.sign_in_frequency_authentication"))
    body["sessionControls"]["signInFrequency"] = IDFORM_TRY(policy_sign_in_frequency(spec));
  if (touched("session.persistent_browser"))
    if (const json* mode = model::find_path(spec, "session.persistent_browser"))
      body["sessionControls"]["persistentBrowser"] = {{"isEnabled", true}, {"mode", *mode}};
  if (touched("session.app_enforced_restrictions"))
    if (const json* enabled = model::find_path(spec, "session.app_enforced_restrictions"))
      body["sessionControls"]["applicationEnforcedRestrictions"] = {{"isEnabled", *enabled}};
  IDFORM_TRY(write_policy_extensions(spec, touched, body));
  return body;
}

}  // namespace idform::providers::entra
