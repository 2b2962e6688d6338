// The whatif evaluator's behavioural spec: a corpus of sign-in cases, each naming the documented
// evaluation rule it exercises (docs/whatif.md lists the vendor pages). Every base case is run in
// six neutral variants (an IP no named location covers or none, application attributes no filter
// reads or none), which must not change its outcome: 95 base cases, 570 checked cases.

#include <catch2/catch.hpp>

#include <functional>

#include "reconciler/whatif/evaluator.hpp"
#include "reconciler/whatif/report.hpp"

using namespace idform::whatif;
using idform::model::Kind;
using idform::model::Resource;
using nlohmann::json;

namespace {

Resource make(Kind kind, const std::string& name, json spec) {
  Resource resource;
  resource.kind = kind;
  resource.name = name;
  resource.spec = std::move(spec);
  return resource;
}

Resource policy(const std::string& name, json spec) {
  if (!spec.contains("state")) spec["state"] = "enabled";
  return make(Kind::conditional_access_policy, name, std::move(spec));
}

// The directory every case shares: nested groups, a trusted office and a country list.
std::vector<Resource> world() {
  return {
      make(Kind::group, "admins", {{"members", {"user:alice@acme.example", "user:carol@acme.example"}}}),
      make(Kind::group, "break-glass", {{"members", {"user:bg@acme.example", "user:carol@acme.example"}}}),
      make(Kind::group, "sales", {{"members", {"user:bob@acme.example", "group:emea-sales"}}}),
      make(Kind::group, "emea-sales", {{"members", {"user:erin@acme.example"}}}),
      make(Kind::named_location, "hq", {{"trusted", true}, {"ip_ranges", {"203.0.113.0/24"}}}),
      make(Kind::named_location, "embargoed", {{"countries", {"KP", "IR"}}}),
      make(Kind::application, "Salesforce", json::object()),
      make(Kind::application, "GitHub", json::object()),
  };
}

const json kAll = {{"include", {"all"}}};
json users(json include, json exclude = json::array()) { return {{"include", include}, {"exclude", exclude}}; }
json grant(json controls, std::string op = "or") { return {{"operator", op}, {"controls", controls}}; }

struct Case {
  const char* rule;  // the documented evaluation rule this case exercises
  std::vector<Resource> policies;
  std::function<void(Scenario&)> edit;
  std::string expected;
  Semantics semantics = Semantics::entra;
  std::string report_only = "";  // what the report-only policies would do ("" = none applies)
};

using Edit = std::function<void(Scenario&)>;
Edit user(const std::string& email) { return [email](Scenario& s) { s.user = email; }; }
Edit with(Edit a, Edit b) { return [a, b](Scenario& s) { a(s); b(s); }; }
const Edit kAlice = user("alice@acme.example");

const std::string kPhish = "authentication_strength:Phishing-resistant MFA";
const std::string kTerms = "3f1a3e5e-0d5e-4b1e-9a6b-1c2d3e4f5a6b";

std::vector<Case> corpus() {
  const Resource mfa_all = policy("P mfa all", {{"users", users({"all"})}, {"applications", kAll}, {"grant", grant({"mfa"})}});
  std::vector<Case> cases = {
      // Users and groups (learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups)
      {"a policy for all users applies to a member", {mfa_all}, kAlice, "require mfa"},
      {"exclusions take precedence over inclusions", {policy("P", {{"users", users({"all"}, {"group:break-glass"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       user("bg@acme.example"), "allow (no policy applies)"},
      {"a user outside the exclusion is still included", {policy("P", {{"users", users({"all"}, {"group:break-glass"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       kAlice, "require mfa"},
      {"a user both included (admins) and excluded (break-glass) is excluded", {policy("P", {{"users", users({"group:admins"}, {"group:break-glass"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       user("carol@acme.example"), "allow (no policy applies)"},
      {"members of nested groups are members of the including group", {policy("P", {{"users", users({"group:sales"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       user("erin@acme.example"), "block"},
      {"direct members of the included group are included", {policy("P", {{"users", users({"group:sales"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       user("bob@acme.example"), "block"},
      {"users in no included group are not included", {policy("P", {{"users", users({"group:sales"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       kAlice, "allow (no policy applies)"},
      {"a directory role includes its holders", {policy("P", {{"users", users({"role:Global Administrator"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.roles = {"Global Administrator"}; }), "require mfa"},
      {"a directory role does not include users without it", {policy("P", {{"users", users({"role:Global Administrator"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       kAlice, "allow (no policy applies)"},
      {"an excluded role wins over an included group", {policy("P", {{"users", users({"group:admins"}, {"role:Global Administrator"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.roles = {"Global Administrator"}; }), "allow (no policy applies)"},
      {"include none applies to nobody", {policy("P", {{"users", users({"none"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       kAlice, "allow (no policy applies)"},
      {"a user included by address is included", {policy("P", {{"users", users({"user:bob@acme.example"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       user("bob@acme.example"), "require mfa"},
      {"a user excluded by address is excluded from all users", {policy("P", {{"users", users({"all"}, {"user:bob@acme.example"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       user("bob@acme.example"), "allow (no policy applies)"},
      {"an exclusion by group beats an inclusion by address", {policy("P", {{"users", users({"user:alice@acme.example"}, {"group:admins"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       kAlice, "allow (no policy applies)"},
      {"group membership stated in the scenario counts", {policy("P", {{"users", users({"group:sales"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       [](Scenario& s) { s.groups = {"emea-sales"}; }, "block"},
      // Guests and external users (concept-conditional-access-users-groups, "Guest or external users")
      {"the guests keyword includes every guest type", {policy("P", {{"users", users({"guests"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       [](Scenario& s) { s.guest_type = "b2b_collaboration_guest"; }, "require mfa"},
      {"the guests keyword does not include members", {policy("P", {{"users", users({"guests"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       kAlice, "allow (no policy applies)"},
      {"a listed guest type is included", {policy("P", {{"users", {{"include", json::array()}, {"include_guests_or_external_users", {{"types", {"b2b_collaboration_guest"}}}}}}, {"applications", kAll}, {"grant", grant({"block"})}})},
       [](Scenario& s) { s.guest_type = "b2b_collaboration_guest"; }, "block"},
      {"an unlisted guest type is not included", {policy("P", {{"users", {{"include", json::array()}, {"include_guests_or_external_users", {{"types", {"b2b_collaboration_guest"}}}}}}, {"applications", kAll}, {"grant", grant({"block"})}})},
       [](Scenario& s) { s.guest_type = "internal_guest"; }, "allow (no policy applies)"},
      {"guests from a listed external tenant are included", {policy("P", {{"users", {{"include", json::array()}, {"include_guests_or_external_users", {{"types", {"b2b_direct_connect_user"}}, {"external_tenants", {"11111111-2222-3333-4444-555555555555"}}}}}}, {"applications", kAll}, {"grant", grant({"block"})}})},
       [](Scenario& s) { s.guest_type = "b2b_direct_connect_user"; s.guest_tenant = "11111111-2222-3333-4444-555555555555"; }, "block"},
      {"guests from another tenant are not included", {policy("P", {{"users", {{"include", json::array()}, {"include_guests_or_external_users", {{"types", {"b2b_direct_connect_user"}}, {"external_tenants", {"11111111-2222-3333-4444-555555555555"}}}}}}, {"applications", kAll}, {"grant", grant({"block"})}})},
       [](Scenario& s) { s.guest_type = "b2b_direct_connect_user"; s.guest_tenant = "99999999-2222-3333-4444-555555555555"; }, "allow (no policy applies)"},
      {"an excluded guest type is excluded from all users", {policy("P", {{"users", {{"include", {"all"}}, {"exclude_guests_or_external_users", {{"types", {"internal_guest"}}}}}}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       [](Scenario& s) { s.guest_type = "internal_guest"; }, "allow (no policy applies)"},
      {"other guest types stay included when one type is excluded", {policy("P", {{"users", {{"include", {"all"}}, {"exclude_guests_or_external_users", {{"types", {"internal_guest"}}}}}}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       [](Scenario& s) { s.guest_type = "service_provider"; }, "require mfa"},
      // Target resources (concept-conditional-access-cloud-apps)
      {"a policy for one app applies to that app", {policy("P", {{"users", users({"all"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application = "Salesforce"; }), "require mfa"},
      {"a policy for one app does not apply to another", {policy("P", {{"users", users({"all"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application = "GitHub"; }), "allow (no policy applies)"},
      {"an excluded app is excluded from all apps", {policy("P", {{"users", users({"all"})}, {"applications", {{"include", {"all"}}, {"exclude", {"app:GitHub"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application = "GitHub"; }), "allow (no policy applies)"},
      {"apps outside the exclusion stay included", {policy("P", {{"users", users({"all"})}, {"applications", {{"include", {"all"}}, {"exclude", {"app:GitHub"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application = "Salesforce"; }), "require mfa"},
      {"the Office 365 suite is targeted as one", {policy("P", {{"users", users({"all"})}, {"applications", {{"include", {"office365"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application = "office365"; }), "require mfa"},
      {"the Office 365 suite does not include other apps", {policy("P", {{"users", users({"all"})}, {"applications", {{"include", {"office365"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application = "Salesforce"; }), "allow (no policy applies)"},
      {"a user action policy applies to that action", {policy("P", {{"users", users({"all"})}, {"applications", {{"include_user_actions", {"register_security_info"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.user_action = "register_security_info"; }), "require mfa"},
      {"a user action policy does not apply to another action", {policy("P", {{"users", users({"all"})}, {"applications", {{"include_user_actions", {"register_security_info"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.user_action = "register_device"; }), "allow (no policy applies)"},
      {"a user action policy does not apply to app sign-ins", {policy("P", {{"users", users({"all"})}, {"applications", {{"include_user_actions", {"register_security_info"}}}}, {"grant", grant({"mfa"})}})},
       kAlice, "allow (no policy applies)"},
      {"an all-apps policy does not apply to user actions", {mfa_all}, with(kAlice, [](Scenario& s) { s.user_action = "register_device"; }), "allow (no policy applies)"},
      {"an authentication context policy applies when the app asks for that context", {policy("P", {{"users", users({"all"})}, {"applications", {{"include_authentication_contexts", {"c1"}}}}, {"grant", {{"authentication_strength", kPhish}}}})},
       with(kAlice, [](Scenario& s) { s.authentication_context = "c1"; }), "require " + kPhish},
      {"an authentication context policy does not apply to another context", {policy("P", {{"users", users({"all"})}, {"applications", {{"include_authentication_contexts", {"c1"}}}}, {"grant", {{"authentication_strength", kPhish}}}})},
       with(kAlice, [](Scenario& s) { s.authentication_context = "c2"; }), "allow (no policy applies)"},
      {"an authentication context policy does not apply without the context", {policy("P", {{"users", users({"all"})}, {"applications", {{"include_authentication_contexts", {"c1"}}}}, {"grant", {{"authentication_strength", kPhish}}}})},
       kAlice, "allow (no policy applies)"},
      {"an application filter in include mode selects the apps it matches", {policy("P", {{"users", users({"all"})}, {"applications", {{"filter", {{"mode", "include"}, {"rule", "CustomSecurityAttribute.Dept_Name -eq \"Finance\""}}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application_attributes["CustomSecurityAttribute.Dept_Name"] = "Finance"; }), "require mfa"},
      {"an application filter in include mode leaves other apps out", {policy("P", {{"users", users({"all"})}, {"applications", {{"filter", {{"mode", "include"}, {"rule", "CustomSecurityAttribute.Dept_Name -eq \"Finance\""}}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application_attributes["CustomSecurityAttribute.Dept_Name"] = "Sales"; }), "allow (no policy applies)"},
      {"an application filter in exclude mode removes the apps it matches", {policy("P", {{"users", users({"all"})}, {"applications", {{"include", {"all"}}, {"filter", {{"mode", "exclude"}, {"rule", "CustomSecurityAttribute.Dept_Name -eq \"Finance\""}}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application_attributes["CustomSecurityAttribute.Dept_Name"] = "Finance"; }), "allow (no policy applies)"},
      // Device platforms (concept-conditional-access-conditions, "Device platforms")
      {"an included platform is matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"platforms", {{"include", {"ios", "android"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.platform = "ios"; }), "require mfa"},
      {"a platform not included is not matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"platforms", {{"include", {"ios", "android"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.platform = "windows"; }), "allow (no policy applies)"},
      {"an unknown platform is not matched by a list of platforms", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"platforms", {{"include", {"ios", "android"}}}}, {"grant", grant({"mfa"})}})},
       kAlice, "allow (no policy applies)"},
      {"an excluded platform is excluded from all platforms", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"platforms", {{"include", {"all"}}, {"exclude", {"ios"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.platform = "ios"; }), "allow (no policy applies)"},
      {"all platforms includes an unknown platform", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"platforms", {{"include", {"all"}}, {"exclude", {"ios"}}}}, {"grant", grant({"mfa"})}})},
       kAlice, "require mfa"},
      {"other platforms stay included when one is excluded", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"platforms", {{"include", {"all"}}, {"exclude", {"ios"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.platform = "linux"; }), "require mfa"},
      // Locations (location-condition)
      {"a trusted location excluded by all_trusted is excluded", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"locations", {{"include", {"any"}}, {"exclude", {"all_trusted"}}}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.ip = "203.0.113.9"; }), "allow (no policy applies)"},
      {"any location includes sign-ins from outside every named location", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"locations", {{"include", {"any"}}, {"exclude", {"all_trusted"}}}}, {"grant", grant({"block"})}})},
       kAlice, "block"},
      {"a named country location matches its countries", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"locations", {{"include", {"location:embargoed"}}}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.country = "KP"; }), "block"},
      {"a named country location does not match other countries", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"locations", {{"include", {"location:embargoed"}}}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.country = "US"; }), "allow (no policy applies)"},
      {"all_trusted includes a trusted IP location", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"locations", {{"include", {"all_trusted"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.ip = "203.0.113.200"; }), "require mfa"},
      {"a location named in the scenario counts as that location", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"locations", {{"include", {"location:hq"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.location = "hq"; }), "require mfa"},
      // Client apps (concept-conditional-access-conditions, "Client apps")
      {"legacy authentication clients are matched by their types", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"client_app_types", {"exchange_active_sync", "other"}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.client_app = "other"; }), "block"},
      {"Exchange ActiveSync is a client type of its own", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"client_app_types", {"exchange_active_sync", "other"}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.client_app = "exchange_active_sync"; }), "block"},
      {"a browser is not a legacy client", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"client_app_types", {"exchange_active_sync", "other"}}, {"grant", grant({"block"})}})},
       kAlice, "allow (no policy applies)"},
      {"client app type all matches every client", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"client_app_types", {"all"}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.client_app = "mobile_and_desktop"; }), "require mfa"},
      // Risk (concept-conditional-access-conditions, "Sign-in risk", "User risk", "Insider risk")
      {"a sign-in risk level in the list is matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"sign_in_risk", {"high"}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.sign_in_risk = "high"; }), "require mfa"},
      {"a sign-in risk level not in the list is not matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"sign_in_risk", {"high"}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.sign_in_risk = "medium"; }), "allow (no policy applies)"},
      {"no sign-in risk is not a listed level", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"sign_in_risk", {"high"}}, {"grant", grant({"mfa"})}})},
       kAlice, "allow (no policy applies)"},
      {"user risk with mfa and password change combined by and", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"user_risk", {"high"}}, {"grant", grant({"mfa", "password_change"}, "and")}})},
       with(kAlice, [](Scenario& s) { s.user_risk = "high"; }), "require mfa and password_change"},
      {"a lower user risk is not matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"user_risk", {"high"}}, {"grant", grant({"mfa", "password_change"}, "and")}})},
       with(kAlice, [](Scenario& s) { s.user_risk = "low"; }), "allow (no policy applies)"},
      {"an insider risk level in the list is matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"insider_risk", {"elevated"}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.insider_risk = "elevated"; }), "block"},
      {"an insider risk level not in the list is not matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"insider_risk", {"elevated"}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.insider_risk = "minor"; }), "allow (no policy applies)"},
      // Authentication flows (concept-authentication-flows)
      {"a listed authentication flow is matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"authentication_flows", {"device_code_flow"}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.authentication_flow = "device_code_flow"; }), "block"},
      {"a sign-in without that flow is not matched", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"authentication_flows", {"device_code_flow"}}, {"grant", grant({"block"})}})},
       kAlice, "allow (no policy applies)"},
      // Filter for devices (concept-condition-filters-for-devices)
      {"a device filter in include mode selects matching devices", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"devices", {{"filter", {{"mode", "include"}, {"rule", "device.isCompliant -eq True"}}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.device["device.isCompliant"] = "True"; }), "require mfa"},
      {"an unregistered device has null properties and is not selected by include mode", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"devices", {{"filter", {{"mode", "include"}, {"rule", "device.isCompliant -eq True"}}}}}, {"grant", grant({"mfa"})}})},
       kAlice, "allow (no policy applies)"},
      {"a device filter in exclude mode removes matching devices", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"devices", {{"filter", {{"mode", "exclude"}, {"rule", "device.trustType -eq \"ServerAD\" -or device.isCompliant -eq True"}}}}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.device["device.trustType"] = "ServerAD"; }), "allow (no policy applies)"},
      {"an unregistered device is not removed by exclude mode", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"devices", {{"filter", {{"mode", "exclude"}, {"rule", "device.trustType -eq \"ServerAD\" -or device.isCompliant -eq True"}}}}}, {"grant", grant({"block"})}})},
       kAlice, "block"},
      // Workload identities (workload-identity, conditional access for workload identities)
      {"a workload identity policy applies to a risky service principal", {policy("P", {{"users", users({"none"})}, {"applications", kAll}, {"client_applications", {{"include", {"all"}}}}, {"service_principal_risk", {"high"}}, {"grant", grant({"block"})}})},
       [](Scenario& s) { s.service_principal = "id:sp-1"; s.service_principal_risk = "high"; }, "block"},
      {"a workload identity policy's risk condition leaves other levels out", {policy("P", {{"users", users({"none"})}, {"applications", kAll}, {"client_applications", {{"include", {"all"}}}}, {"service_principal_risk", {"high"}}, {"grant", grant({"block"})}})},
       [](Scenario& s) { s.service_principal = "id:sp-1"; s.service_principal_risk = "low"; }, "allow (no policy applies)"},
      {"a workload identity policy does not apply to users", {policy("P", {{"users", users({"none"})}, {"applications", kAll}, {"client_applications", {{"include", {"all"}}}}, {"grant", grant({"block"})}})},
       kAlice, "allow (no policy applies)"},
      {"an excluded service principal is excluded", {policy("P", {{"users", users({"none"})}, {"applications", kAll}, {"client_applications", {{"include", {"all"}}, {"exclude", {"id:sp-1"}}}}, {"grant", grant({"block"})}})},
       [](Scenario& s) { s.service_principal = "id:sp-1"; }, "allow (no policy applies)"},
      {"a user policy does not apply to workload identities", {mfa_all}, [](Scenario& s) { s.service_principal = "id:sp-1"; }, "allow (no policy applies)"},
      // Combining policies (concept-conditional-access-policies, "How are policies applied")
      {"a block in any applying policy blocks", {mfa_all, policy("P block admins", {{"users", users({"group:admins"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       kAlice, "block"},
      {"every applying policy's controls are required", {mfa_all, policy("P device", {{"users", users({"group:admins"})}, {"applications", kAll}, {"grant", grant({"compliant_device"})}})},
       kAlice, "require compliant_device and mfa"},
      {"a policy's own controls combine by its operator (or)", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"grant", grant({"mfa", "compliant_device"})}})},
       kAlice, "require compliant_device or mfa"},
      {"an or-policy and another policy are both required", {policy("P1", {{"users", users({"all"})}, {"applications", kAll}, {"grant", grant({"mfa", "compliant_device"})}}), policy("P2", {{"users", users({"all"})}, {"applications", kAll}, {"grant", grant({"approved_app"})}})},
       kAlice, "require approved_app and (compliant_device or mfa)"},
      {"an authentication strength is a control under the policy's operator", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"grant", {{"operator", "and"}, {"controls", {"compliant_device"}}, {"authentication_strength", kPhish}}}})},
       kAlice, "require " + kPhish + " and compliant_device"},
      {"terms of use are a control", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"grant", {{"terms_of_use", {kTerms}}}}})},
       kAlice, "require terms_of_use:" + kTerms},
      {"the same controls from two policies are required once", {mfa_all, policy("P mfa again", {{"users", users({"group:admins"})}, {"applications", kAll}, {"grant", grant({"mfa"})}})},
       kAlice, "require mfa"},
      {"a policy with only session controls allows with those controls", {policy("P", {{"users", users({"all"})}, {"applications", kAll}, {"session", {{"sign_in_frequency", "8h"}}}})},
       kAlice, "allow; session: sign in every 8h"},
      {"the shortest sign-in frequency wins", {policy("P1", {{"users", users({"all"})}, {"applications", kAll}, {"session", {{"sign_in_frequency", "1d"}}}}), policy("P2", {{"users", users({"all"})}, {"applications", kAll}, {"session", {{"sign_in_frequency", "8h"}}}})},
       kAlice, "allow; session: sign in every 8h"},
      {"every time is stricter than any period", {policy("P1", {{"users", users({"all"})}, {"applications", kAll}, {"session", {{"sign_in_frequency", "every_time"}}}}), policy("P2", {{"users", users({"all"})}, {"applications", kAll}, {"session", {{"sign_in_frequency", "1h"}}}})},
       kAlice, "allow; session: sign in every time"},
      {"never persisting the browser wins over always", {policy("P1", {{"users", users({"all"})}, {"applications", kAll}, {"session", {{"persistent_browser", "always"}}}}), policy("P2", {{"users", users({"all"})}, {"applications", kAll}, {"session", {{"persistent_browser", "never"}}}})},
       kAlice, "allow; session: persistent browser never"},
      {"the strictest app control mode wins, with grants kept", {policy("P1", {{"users", users({"all"})}, {"applications", kAll}, {"grant", grant({"mfa"})}, {"session", {{"sign_in_frequency", "4h"}, {"cloud_app_security", "monitor_only"}}}}), policy("P2", {{"users", users({"all"})}, {"applications", kAll}, {"session", {{"cloud_app_security", "block_downloads"}, {"secure_sign_in_session", true}}}})},
       kAlice, "require mfa; session: sign in every 4h, app control block_downloads, token protection"},
      {"without any policy a sign-in is allowed", {}, kAlice, "allow (no policy applies)"},
      // Policy state (concept-conditional-access-report-only)
      {"report-only policies do not change the outcome and are reported apart", {policy("P", {{"state", "report-only"}, {"users", users({"all"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       kAlice, "allow (no policy applies)", Semantics::entra, "block"},
      {"report-only next to an enforced policy", {mfa_all, policy("P ro", {{"state", "report-only"}, {"users", users({"all"})}, {"applications", kAll}, {"grant", grant({"compliant_device"})}})},
       kAlice, "require mfa", Semantics::entra, "require compliant_device"},
      {"disabled policies are not evaluated", {policy("P", {{"state", "disabled"}, {"users", users({"all"})}, {"applications", kAll}, {"grant", grant({"block"})}})},
       kAlice, "allow (no policy applies)"},
      // Okta app sign-in policies (developer.okta.com/docs/concepts/policies: rules by priority, first match)
      {"okta: the app's policy rule that matches decides", {policy("A admins", {{"users", users({"group:admins"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.application = "Salesforce"; }), "block", Semantics::okta},
      {"okta: when no rule matches the Catch-all Rule decides", {policy("A admins", {{"users", users({"group:admins"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"block"})}})},
       with(user("bob@acme.example"), [](Scenario& s) { s.application = "Salesforce"; }), "no rule matches: the Catch-all Rule decides", Semantics::okta},
      {"okta: a policy attached to another app does not apply", {policy("A admins", {{"users", users({"group:admins"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.application = "GitHub"; }), "no rule matches: the Catch-all Rule decides", Semantics::okta},
      {"okta: the first matching rule decides alone (no combining)", {policy("A admins", {{"users", users({"group:admins"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"mfa"})}}), policy("B everyone", {{"users", users({"all"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"block"})}})},
       with(kAlice, [](Scenario& s) { s.application = "Salesforce"; }), "require mfa", Semantics::okta},
      {"okta: a later rule decides when earlier ones do not match", {policy("A admins", {{"users", users({"group:admins"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"mfa"})}}), policy("B everyone", {{"users", users({"all"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"grant", grant({"block"})}})},
       with(user("bob@acme.example"), [](Scenario& s) { s.application = "Salesforce"; }), "block", Semantics::okta},
      {"okta: network zone exclusions apply as in Entra", {policy("A", {{"users", users({"all"})}, {"applications", {{"include", {"app:Salesforce"}}}}, {"locations", {{"include", {"any"}}, {"exclude", {"location:hq"}}}}, {"grant", grant({"mfa"})}})},
       with(kAlice, [](Scenario& s) { s.application = "Salesforce"; s.ip = "203.0.113.4"; }), "no rule matches: the Catch-all Rule decides", Semantics::okta},
  };
  return cases;
}

// Dimensions no case's policies read, each of which must leave every outcome as it is.
std::vector<std::pair<std::string, Edit>> neutral_variants() {
  std::vector<std::pair<std::string, Edit>> out;
  for (const char* ip : {"", "198.51.100.77", "192.0.2.200"})
    for (bool attributes : {false, true})
      out.emplace_back(std::string("ip=") + ip + (attributes ? " +attributes" : ""), [ip, attributes](Scenario& s) {
        if (*ip && s.ip.empty()) s.ip = ip;
        if (attributes) s.application_attributes["CustomSecurityAttribute.Unrelated_Flag"] = "yes";
      });
  return out;
}

}  // namespace

TEST_CASE("whatif corpus: every documented evaluation rule gives its outcome", "[whatif]") {
  size_t checked = 0;
  for (const Case& c : corpus()) {
    idform::model::DesiredState desired;
    desired.resources = world();
    for (const Resource& p : c.policies) desired.resources.push_back(p);
    PolicySet set = compile(desired);
    for (const auto& [variant, neutral] : neutral_variants()) {
      Scenario scenario;
      scenario.name = c.rule;
      scenario.application = "Salesforce";
      scenario.platform = "windows";
      c.edit(scenario);
      neutral(scenario);
      INFO("rule: " << c.rule << " [" << variant << "]");
      Evaluation evaluation = evaluate(set, resolve(set, scenario), c.semantics);
      CHECK(evaluation.enforced.text() == c.expected);
      CHECK((evaluation.report_only.any_policy ? evaluation.report_only.text() : "") == c.report_only);
      // The fast path (bench, matrix) agrees with the full evaluation.
      CHECK(outcome_of(set, resolve(set, scenario), c.semantics).text() == c.expected);
      ++checked;
    }
  }
  CHECK(checked >= 200);
}

TEST_CASE("whatif explains why a policy applies or not", "[whatif]") {
  idform::model::DesiredState desired;
  desired.resources = world();
  desired.resources.push_back(policy("P", {{"users", users({"group:admins"}, {"group:break-glass"})}, {"applications", kAll}, {"grant", grant({"mfa"})}}));
  PolicySet set = compile(desired);
  Scenario alice;
  alice.user = "alice@acme.example";
  SignIn in = resolve(set, alice);
  CHECK(explain(set, set.policies[0], in, match(set.policies[0], in)) == "users: group:admins; applications: all");
  Scenario carol;
  carol.user = "carol@acme.example";
  in = resolve(set, carol);
  CHECK(explain(set, set.policies[0], in, match(set.policies[0], in)) == "users.exclude: group:break-glass");
  Scenario bob;
  bob.user = "bob@acme.example";
  in = resolve(set, bob);
  CHECK(explain(set, set.policies[0], in, match(set.policies[0], in)) == "users.include does not match");
}

TEST_CASE("whatif filter rules parse Entra's syntax and refuse what they cannot read", "[whatif]") {
  auto rule = FilterRule::parse("device.trustType -in [\"AzureAD\", \"ServerAD\"] -and (device.model -startsWith \"Surface\" -or device.isCompliant -eq True)");
  REQUIRE(rule);
  CHECK(rule->matches({{"device.trustType", "serverad"}, {"device.model", "Surface Pro 9"}}));
  CHECK(rule->matches({{"device.trustType", "AzureAD"}, {"device.isCompliant", "True"}}));
  CHECK_FALSE(rule->matches({{"device.trustType", "Workplace"}, {"device.isCompliant", "True"}}));
  CHECK_FALSE(rule->matches({}));
  auto negated = FilterRule::parse("device.displayName -notContains \"kiosk\"");
  REQUIRE(negated);
  CHECK(negated->matches({}));  // null: the negated operators hold
  CHECK_FALSE(negated->matches({{"device.displayName", "Lobby-KIOSK-1"}}));
  CHECK_FALSE(FilterRule::parse("device.isCompliant -equals True"));
  CHECK_FALSE(FilterRule::parse("(device.isCompliant -eq True"));
  CHECK_FALSE(FilterRule::parse("device.model -eq \"unterminated"));
}
