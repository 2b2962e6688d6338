// The Okta capability check: every field Okta cannot express is an error naming it.
#include "providers/okta/capabilities.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "providers/common/settings_schema.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

using model::strings_at;

using nlohmann::json;

// A field Okta has no place for, whenever it is stated (empty lists and false aside).
struct Unsupported {
  model::Kind kind;
  std::string_view path;
  std::string_view why;
};

constexpr Unsupported kUnsupportedFields[] = {
    {model::Kind::group, "owners",
     "idform does not manage Okta group owners (the /groups/{id}/owners API is not supported by this provider yet)"},
    {model::Kind::application, "roles",
     "Okta apps have no app roles; give an assignment a role instead (written to the group assignment's profile)"},
    {model::Kind::application, "sso.saml.sign_on_url",
     "Okta custom SAML apps have no SP-initiated sign-on URL setting; users start at the app's Okta embed link"},
    {model::Kind::application, "sso.saml.logout_url",
     "Okta's single logout needs the service provider's signing certificate, which the config cannot carry"},
    {model::Kind::conditional_access_policy, "client_app_types",
     "Okta app sign-in policies have no client app type condition (only [all] can be expressed)"},
    {model::Kind::conditional_access_policy, "user_risk",
     "Okta expresses user risk in entity risk policies, not in app sign-in policies"},
    {model::Kind::named_location, "trusted", "Okta network zones have no trusted flag"},
    {model::Kind::named_location, "include_unknown_countries",
     "Okta dynamic zones cannot match sign-ins whose country is unknown"},
    {model::Kind::conditional_access_policy, "session.app_enforced_restrictions",
     "Okta has no application-enforced restrictions session control"},
    {model::Kind::conditional_access_policy, "users.include_guests_or_external_users",
     "Okta has no guest or external user types; Okta user types are not Entra guest types"},
    {model::Kind::conditional_access_policy, "users.exclude_guests_or_external_users",
     "Okta has no guest or external user types; Okta user types are not Entra guest types"},
    {model::Kind::conditional_access_policy, "applications.include_user_actions",
     "Okta app sign-in policies apply to app sign-ins, not to user actions such as registering security info"},
    {model::Kind::conditional_access_policy, "applications.include_authentication_contexts",
     "Okta has no authentication contexts"},
    {model::Kind::conditional_access_policy, "applications.filter",
     "Okta app sign-in policies are attached to apps, not chosen by attribute filters"},
    {model::Kind::conditional_access_policy, "client_applications",
     "Okta app sign-in policies govern users, not workload identities (service apps)"},
    {model::Kind::conditional_access_policy, "devices.filter",
     "Okta rules take device assurance policies and registered/managed flags, not Entra device filter rules"},
    {model::Kind::conditional_access_policy, "authentication_flows",
     "Okta app sign-in rules have no authentication flow (device code, transfer) condition"},
    {model::Kind::conditional_access_policy, "insider_risk", "Okta has no insider risk condition"},
    {model::Kind::conditional_access_policy, "service_principal_risk",
     "Okta app sign-in policies have no workload identity risk condition"},
    {model::Kind::conditional_access_policy, "grant.terms_of_use", "Okta app sign-in rules cannot require terms of use"},
    {model::Kind::conditional_access_policy, "grant.custom_authentication_factors",
     "Okta app sign-in rules have no custom controls"},
    {model::Kind::conditional_access_policy, "session.sign_in_frequency_authentication",
     "Okta's reauthenticateIn always asks for the rule's whole assurance"},
    {model::Kind::conditional_access_policy, "session.disable_resilience_defaults",
     "Okta has no resilience defaults setting"},
    {model::Kind::conditional_access_policy, "session.secure_sign_in_session",
     "Okta has no token protection session control"},
};

// Words a reference list may hold that Okta has no counterpart for.
struct Word {
  std::string_view path;
  std::string_view word;  // a keyword, or a reference type followed by ':'
  std::string_view why;
};

constexpr Word kUnsupportedWords[] = {
    {"users.include", "none", "an Okta rule always applies to someone; disable the policy instead"},
    {"users.include", "guests", "Okta has no guest users condition"},
    {"users.exclude", "guests", "Okta has no guest users condition"},
    {"users.exclude", "all", "an Okta rule cannot exclude everyone; disable the policy instead"},
    {"users.include", "role:", "Okta app sign-in policies cannot target admin roles, only users and groups"},
    {"users.exclude", "role:", "Okta app sign-in policies cannot target admin roles, only users and groups"},
    {"applications.include", "all",
     "an Okta app sign-in policy is attached to individual apps (each app has exactly one); list them as app:NAME"},
    {"applications.include", "none", "an Okta app sign-in policy applies to the apps it is attached to"},
    {"applications.include", "office365", "Okta has no Office 365 app group; list the app as app:NAME"},
    {"applications.include", "app:microsoft:", "Microsoft first-party applications are Entra's; Okta has none"},
    {"applications.include", "app:appid:", "an application id from outside the tenant is an Entra form; in Okta, name the app (app:NAME or app:okta:NAME)"},
    {"locations.include", "all_trusted", "Okta network zones have no trusted flag"},
    {"locations.exclude", "all_trusted", "Okta network zones have no trusted flag"},
    {"locations.exclude", "any", "an Okta rule cannot exclude every location; disable the policy instead"},
    {"platforms.include", "windows_phone", "Okta has no Windows Phone platform"},
    {"platforms.exclude", "windows_phone", "Okta has no Windows Phone platform"},
    {"platforms.exclude", "all", "an Okta rule cannot exclude every platform; disable the policy instead"},
    {"sign_in_risk", "none", "Okta's risk condition matches low, medium or high (or any)"},
};

SourceLocation location_of(const model::Resource& resource, const std::string& key) {
  auto found = resource.locations.find(key);
  if (found != resource.locations.end()) return found->second;
  // An element's own line, else its field's, else the parent's ("users.include" -> "users").
  if (auto bracket = key.find('['); bracket != std::string::npos) return location_of(resource, key.substr(0, bracket));
  auto dot = key.rfind('.');
  if (dot != std::string::npos) return location_of(resource, key.substr(0, dot));
  return resource.where;
}

Error problem(const model::Resource& resource, const std::string& key, const std::string& what, std::string_view why) {
  return Error{what + ": provider \"okta\" cannot express this", std::string(why), resource.address(),
               location_of(resource, key)};
}

bool meaningful(const json& value) {
  if (value.is_null()) return false;
  if (value.is_array()) return !value.empty();
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_object()) return std::any_of(value.begin(), value.end(), [](const json& member) { return meaningful(member); });
  return true;
}

void check_group(const model::Resource& resource, Diagnostics& out) {
  for (const std::string& member : strings_at(resource.spec, "members"))
    if (member.starts_with("group:"))
      out.push_back(problem(resource, "members[" + member + "]", "members: " + member,
                            "Okta groups cannot contain groups; list the users, or use an Okta group rule"));
}

void check_application(const model::Resource& resource, Diagnostics& out) {
  for (const std::string& assignment : strings_at(resource.spec, "assignments"))
    if (assignment.starts_with("user:"))
      out.push_back(problem(resource, "assignments[" + assignment + "]", "assignments: " + assignment,
                            "provider \"okta\" manages group assignments (/apps/{id}/groups) only; assign a group"));
  std::vector<std::string> kinds;
  for (const char* key : {"redirect_uris", "spa_redirect_uris", "public_client_redirect_uris"})
    if (!strings_at(resource.spec, std::string("sso.oidc.") + key).empty()) kinds.push_back(key);
  if (kinds.size() > 1)
    out.push_back(problem(resource, "sso.oidc." + kinds[1], "sso.oidc." + kinds[1],
                          "an Okta OIDC app has one application type (web, browser or native): give it only one of "
                          "redirect_uris, spa_redirect_uris and public_client_redirect_uris"));
}

void check_policy(const model::Resource& resource, Diagnostics& out) {
  const json& spec = resource.spec;
  if (const json* state = model::find_path(spec, "state"); state && *state == "report-only")
    out.push_back(problem(resource, "state", "state: report-only", "Okta app sign-in policies cannot run in report-only mode"));
  for (const Word& word : kUnsupportedWords) {
    for (const std::string& element : strings_at(spec, word.path)) {
      bool hit = word.word.back() == ':' ? element.starts_with(word.word) : element == word.word;
      if (hit)
        out.push_back(problem(resource, std::string(word.path) + "[" + element + "]",
                              std::string(word.path) + ": " + element, word.why));
    }
  }
  std::vector<std::string> include = strings_at(spec, "users.include");
  if (include.size() > 1 && std::find(include.begin(), include.end(), "all") != include.end())
    out.push_back(problem(resource, "users.include", "users.include: all",
                          "in Okta, all cannot be combined with other users or groups (it would narrow to them)"));
  if (!strings_at(spec, "applications.exclude").empty())
    out.push_back(problem(resource, "applications.exclude", "applications.exclude",
                          "an Okta app sign-in policy applies to exactly the apps it is attached to"));
  std::vector<std::string> locations = strings_at(spec, "locations.include");
  if (locations.size() > 1 && std::find(locations.begin(), locations.end(), "any") != locations.end())
    out.push_back(problem(resource, "locations.include", "locations.include: any",
                          "in Okta, any cannot be combined with zones (it would narrow to them)"));
  if (std::vector<std::string> risk = strings_at(spec, "sign_in_risk"); risk.size() > 1)
    out.push_back(problem(resource, "sign_in_risk", "sign_in_risk: [" + util::join(risk, ", ") + "]",
                          "an Okta rule matches one risk level (low, medium or high)"));
  std::vector<std::string> controls = strings_at(spec, "grant.controls");
  for (const std::string& control : controls)
    if (control != "mfa" && control != "block")
      out.push_back(problem(resource, "grant.controls[" + control + "]", "grant.controls: " + control,
                            "Okta app sign-in rules can require two factors (mfa) or deny access (block); device "
                            "and app conditions are not grant controls there"));
  if (const json* op = model::find_path(spec, "grant.operator"); op && *op == "and")
    out.push_back(problem(resource, "grant.operator", "grant.operator: and",
                          "an Okta rule states one requirement, so operator is always or"));
  bool block = std::find(controls.begin(), controls.end(), "block") != controls.end();
  if (block && model::find_path(spec, "session.sign_in_frequency"))
    out.push_back(problem(resource, "session.sign_in_frequency", "session.sign_in_frequency",
                          "an Okta rule that denies access has no re-authentication frequency"));
  if (const json* strength = model::find_path(spec, "grant.authentication_strength");
      strength && *strength != "authentication_strength:Phishing-resistant MFA")
    out.push_back(problem(resource, "grant.authentication_strength", "grant.authentication_strength: " + strength->get<std::string>(),
                          "Okta expresses only the phishing-resistant strength (a possession constraint); "
                          "use grant.controls: [mfa] for two factors"));
  if (const json* cloud = model::find_path(spec, "session.cloud_app_security"); cloud && *cloud != "none")
    out.push_back(problem(resource, "session.cloud_app_security", "session.cloud_app_security",
                          "Okta has no Conditional Access App Control (Defender for Cloud Apps) session control"));
  if (const json* browser = model::find_path(spec, "session.persistent_browser"); browser && *browser == "always")
    out.push_back(problem(resource, "session.persistent_browser", "session.persistent_browser: always",
                          "Okta can only offer \"keep me signed in\" to the user, not force a persistent session"));
}

// Each Okta app has one sign-in policy: two policies claiming the same app cannot both be true.
void check_one_policy_per_app(const model::DesiredState& desired, Diagnostics& out) {
  std::map<std::string, std::vector<const model::Resource*>> claims;
  for (const model::Resource& resource : desired.resources) {
    if (resource.kind != model::Kind::conditional_access_policy || resource.lifecycle == model::Lifecycle::absent) continue;
    std::set<std::string> apps;
    for (const std::string& element : strings_at(resource.spec, "applications.include"))
      if (element.starts_with("app:")) apps.insert(element);
    for (const std::string& app : apps) claims[app].push_back(&resource);
  }
  for (const auto& [app, policies] : claims) {
    if (policies.size() < 2) continue;
    std::vector<std::string> names;
    for (const model::Resource* policy : policies) names.push_back("\"" + policy->name + "\"");
    for (size_t i = 1; i < policies.size(); ++i)
      out.push_back(problem(*policies[i], "applications.include[" + app + "]", "applications.include: " + app,
                            "an Okta app has exactly one sign-in policy, and " + app + " is claimed by " +
                                std::to_string(policies.size()) + " policies (" + [&] {
                                  std::string joined;
                                  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
                                  return joined;
                                }() + ")"));
  }
}

}  // namespace

Diagnostics check_expressible(const model::DesiredState& desired) {
  Diagnostics out;
  for (const model::Resource& resource : desired.resources) {
    if (resource.lifecycle == model::Lifecycle::absent) continue;
    for (const Unsupported& field : kUnsupportedFields) {
      if (field.kind != resource.kind) continue;
      const json* value = model::find_path(resource.spec, field.path);
      if (!value || !meaningful(*value)) continue;
      if (field.path == "client_app_types" && strings_at(resource.spec, field.path) == std::vector<std::string>{"all"})
        continue;
      out.push_back(problem(resource, std::string(field.path), std::string(field.path), field.why));
    }
    switch (resource.kind) {
      case model::Kind::group: check_group(resource, out); break;
      case model::Kind::application: check_application(resource, out); break;
      case model::Kind::conditional_access_policy: check_policy(resource, out); break;
      case model::Kind::named_location: break;
    }
  }
  check_one_policy_per_app(desired, out);
  return out;
}

nlohmann::json settings_schema() { return providers::settings_schema("okta"); }

}  // namespace idform::providers::okta
