// idp-sim, Okta flavor: the behaviour of each resource idform manages, as the spec and Okta's
// documentation describe it: groups and memberships (read-only group types), apps (lifecycle,
// delete only when INACTIVE), group assignments, access and sign-on policies with rules and their
// attachment to apps, network zones; request validation and Okta's error bodies.
#include <catch2/catch.hpp>

#include "okta_sim_harness.hpp"

using namespace idform::testing::okta_sim;

namespace {

const char* kResourcesToken = "00resource-token";

Json example(const std::string& name) { return Json::parse(read_text(vendor_examples_dir() + "/" + name)); }

struct Env {
  OktaSim sim{{"--seed", vendor_examples_dir(), "--api-token", kResourcesToken, "--throttle", "off"}};
  OktaClient okta{sim, std::string("SSWS ") + kResourcesToken};
};

std::vector<std::string> causes_of(const OktaResponse& response) {
  std::vector<std::string> out;
  Json body = response.json();
  for (const auto& cause : body["errorCauses"]) out.push_back(cause["errorSummary"].get<std::string>());
  return out;
}

bool has_cause(const OktaResponse& response, const std::string& text) {
  for (const auto& cause : causes_of(response)) {
    if (cause == text) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("okta sim groups: create, read, replace, delete and members", "[sim][okta]") {
  Env env;
  auto& okta = env.okta;
  auto created = okta.post("/api/v1/groups", {{"profile", {{"name", "payments-admins"}, {"description", "Payouts"}}}});
  REQUIRE(created.status == 200);  // Okta answers 200, not 201
  Json group = created.json();
  std::string id = group["id"];
  CHECK(id.rfind("00g", 0) == 0);
  CHECK(id.size() == 20);
  CHECK(group["type"] == "OKTA_GROUP");
  CHECK(group["objectClass"] == Json::array({"okta:user_group"}));
  CHECK(group["_links"]["users"]["href"] == env.sim.url("/api/v1/groups/" + id + "/users"));
  CHECK(okta.get("/api/v1/groups/" + id).json() == group);

  auto duplicate = okta.post("/api/v1/groups", {{"profile", {{"name", "payments-admins"}}}});
  CHECK(duplicate.status == 400);
  CHECK(duplicate.json()["errorCode"] == "E0000001");
  CHECK(has_cause(duplicate, "name: An object with this field already exists in the current organization"));

  auto replaced = okta.put("/api/v1/groups/" + id, {{"profile", {{"name", "payments-approvers"}}}});
  REQUIRE(replaced.status == 200);
  CHECK(replaced.json()["profile"] == Json{{"name", "payments-approvers"}});  // no partial update

  const std::string user = "00u118oQYT4TBTemp0g4";  // from group-members-list.json
  CHECK(okta.put_empty("/api/v1/groups/" + id + "/users/" + user).status == 204);
  CHECK(okta.put_empty("/api/v1/groups/" + id + "/users/" + user).status == 204);  // idempotent
  auto members = okta.get("/api/v1/groups/" + id + "/users").json();
  REQUIRE(members.size() == 1);
  CHECK(members[0]["profile"]["login"] == "alice.smith@example.com");
  CHECK(okta.put_empty("/api/v1/groups/" + id + "/users/00unobody").json()["errorCode"] == "E0000007");
  CHECK(okta.del("/api/v1/groups/" + id + "/users/" + user).status == 204);
  CHECK(okta.get("/api/v1/groups/" + id + "/users").json().empty());

  CHECK(okta.del("/api/v1/groups/" + id).status == 204);
  auto gone = okta.get("/api/v1/groups/" + id);
  CHECK(gone.status == 404);
  CHECK(gone.json()["errorSummary"] == "Not found: Resource not found: " + id + " (UserGroup)");
}

TEST_CASE("okta sim keeps APP_GROUP and BUILT_IN groups read-only", "[sim][okta]") {
  TempDir seed;
  Json everyone = {{"id", "00geveryone000000001"}, {"objectClass", Json::array({"okta:user_group"})},
                   {"type", "BUILT_IN"}, {"profile", {{"name", "Everyone"}}}};
  write_text(seed.path() / "groups/everyone.json", everyone.dump());
  std::filesystem::copy(vendor_examples_dir() + "/group-list.json", seed.path() / "group-list.json");
  std::filesystem::copy(vendor_examples_dir() + "/group-members-list.json", seed.path() / "group-members-list.json");
  OktaSim sim({"--seed", seed.path().string(), "--api-token", kResourcesToken});
  OktaClient okta(sim, std::string("SSWS ") + kResourcesToken);
  const std::string app_group = "00garwpuyxHaWOkdV0g4";  // "Engineering users", imported from AD
  for (const std::string& group : {app_group, std::string("00geveryone000000001")}) {
    INFO(group);
    auto put = okta.put("/api/v1/groups/" + group, {{"profile", {{"name", "renamed"}}}});
    CHECK(put.status == 403);
    CHECK(put.json()["errorCode"] == "E0000006");
    CHECK(okta.put_empty("/api/v1/groups/" + group + "/users/00u118oQYT4TBTemp0g4").status == 403);
    CHECK(okta.del("/api/v1/groups/" + group + "/users/00u118oQYT4TBTemp0g4").status == 403);
  }
  CHECK(okta.del("/api/v1/groups/00geveryone000000001").status == 403);
  CHECK(okta.del("/api/v1/groups/" + app_group).status == 204);  // the spec allows deleting APP_GROUPs
}

TEST_CASE("okta sim validates request bodies against Okta's OpenAPI schemas", "[sim][okta]") {
  Env env;
  auto& okta = env.okta;
  SECTION("required properties") {
    auto response = okta.post("/api/v1/apps", {{"signOnMode", "SAML_2_0"}});
    CHECK(response.status == 400);
    CHECK(response.json()["errorCode"] == "E0000001");
    CHECK(response.json()["errorSummary"] == "Api validation failed: label");
    CHECK(has_cause(response, "label: The field cannot be left blank"));
    auto oidc = okta.post("/api/v1/apps", {{"label", "x"}, {"signOnMode", "OPENID_CONNECT"}});
    CHECK(has_cause(oidc, "name: The field cannot be left blank"));
    CHECK(has_cause(oidc, "settings: The field cannot be left blank"));
    CHECK(has_cause(oidc, "credentials: The field cannot be left blank"));
    CHECK(okta.post("/api/v1/groups", {{"profile", {{"description", "no name"}}}}).json()["errorCode"] == "E0000001");
  }
  SECTION("read-only properties on create") {
    Json body = example("app-saml-create-request.json");
    body["id"] = "0oachosen";
    auto response = okta.post("/api/v1/apps", body);
    CHECK(response.status == 400);
    CHECK(has_cause(response, "id: The property is read-only and cannot be set"));
    auto zone = okta.post("/api/v1/zones", {{"type", "IP"}, {"name", "z"}, {"created", "2024-01-01T00:00:00.000Z"},
                                            {"gateways", Json::array({{{"type", "CIDR"}, {"value", "10.0.0.0/8"}}})}});
    CHECK(has_cause(zone, "created: The property is read-only and cannot be set"));
  }
  SECTION("unknown properties") {
    Json body = example("app-saml-create-request.json");
    body["settings"]["signOn"]["ssoAcsURL"] = "https://typo.example";
    auto response = okta.post("/api/v1/apps", body);
    CHECK(response.status == 400);
    CHECK(has_cause(response, "settings.signOn.ssoAcsURL: Property is not defined in the schema"));
    auto rule_policy = okta.post("/api/v1/policies", {{"type", "ACCESS_POLICY"}, {"name", "p"}, {"colour", "red"}});
    CHECK(has_cause(rule_policy, "colour: Property is not defined in the schema"));
  }
  SECTION("wrong types and values") {
    Json body = example("app-saml-create-request.json");
    body["settings"]["signOn"]["responseSigned"] = "yes";
    body["visibility"]["hide"] = "no";
    auto response = okta.post("/api/v1/apps", body);
    CHECK(has_cause(response, "settings.signOn.responseSigned: The value must be a boolean"));
    CHECK(has_cause(response, "visibility.hide: The value must be an object"));
    auto zone = okta.post("/api/v1/zones", {{"type", "IP"}, {"name", "z"}, {"usage", "SOMETIMES"},
                                            {"gateways", Json::array({{{"type", "CIDR"}, {"value", "10.0.0.0/8"}}})}});
    CHECK(zone.status == 400);
    CHECK(zone.json()["errorSummary"] == "Api validation failed: usage");
  }
  SECTION("malformed JSON and wrong media type") {
    auto malformed = okta.send("POST", "/api/v1/groups", "{\"profile\": ");
    CHECK(malformed.status == 400);
    CHECK(malformed.json()["errorCode"] == "E0000003");
    auto form = http("POST", env.sim.url("/api/v1/groups"), "profile=x",
                     {{"Authorization", "SSWS " + std::string(kResourcesToken)},
                      {"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(form.status == 400);
    CHECK(form.json()["errorCode"] == "E0000021");
  }
  SECTION("unknown paths and methods") {
    CHECK(okta.get("/api/v1/nothing-here").json()["errorCode"] == "E0000008");
    auto method = okta.send("PATCH", "/api/v1/groups", "{}");
    CHECK(method.status == 405);
    CHECK(method.json()["errorCode"] == "E0000022");
  }
}

TEST_CASE("okta sim apps: documented creates, replace, lifecycle and delete only when INACTIVE", "[sim][okta]") {
  Env env;
  auto& okta = env.okta;
  auto saml = okta.post("/api/v1/apps", example("app-saml-create-request.json"));
  REQUIRE(saml.status == 200);
  Json app = saml.json();
  std::string id = app["id"];
  CHECK(id.rfind("0oa", 0) == 0);
  CHECK(app["status"] == "ACTIVE");
  CHECK(app["signOnMode"] == "SAML_2_0");
  CHECK(app["name"].get<std::string>().find("examplecustomsaml20app") != std::string::npos);
  CHECK(app["settings"]["signOn"]["ssoAcsUrl"] == "http://testorgone.okta");
  CHECK(app["_links"]["deactivate"]["href"] == env.sim.url("/api/v1/apps/" + id + "/lifecycle/deactivate"));
  CHECK(okta.get("/api/v1/apps/" + id).json() == app);

  auto oidc = okta.post("/api/v1/apps", example("app-oidc-create-request.json"));
  REQUIRE(oidc.status == 200);
  CHECK(oidc.json()["credentials"]["oauthClient"]["client_id"] == oidc.json()["id"]);
  CHECK(oidc.json()["credentials"]["oauthClient"]["token_endpoint_auth_method"] == "client_secret_post");
  CHECK(oidc.json()["settings"]["oauthClient"]["redirect_uris"].size() == 2);
  CHECK(okta.post("/api/v1/apps", example("app-bookmark-create-request.json")).status == 200);

  auto replaced = okta.put("/api/v1/apps/" + id, example("app-saml-replace-request.json"));
  REQUIRE(replaced.status == 200);
  CHECK(replaced.json()["id"] == id);
  CHECK(replaced.json()["credentials"]["signing"]["kid"] == app["credentials"]["signing"]["kid"]);
  Json echoed = replaced.json();  // a client may PUT back what it read
  CHECK(okta.put("/api/v1/apps/" + id, echoed).status == 200);

  auto refused = okta.del("/api/v1/apps/" + id);
  CHECK(refused.status == 403);
  CHECK(refused.json()["errorCode"] == "E0000056");
  CHECK(refused.json()["errorSummary"] == "Delete application forbidden.");
  auto deactivated = okta.post_empty("/api/v1/apps/" + id + "/lifecycle/deactivate");
  CHECK(deactivated.status == 200);
  CHECK(deactivated.json() == Json::object());
  CHECK(okta.get("/api/v1/apps/" + id).json()["status"] == "INACTIVE");
  CHECK(okta.del("/api/v1/apps/" + id).status == 204);
  auto gone = okta.get("/api/v1/apps/" + id);
  CHECK(gone.status == 404);
  CHECK(gone.json()["errorSummary"] == "Not found: Resource not found: " + id + " (AppInstance)");

  auto inactive = okta.post("/api/v1/apps?activate=false", example("app-bookmark-create-request.json"));
  CHECK(inactive.json()["status"] == "INACTIVE");
  CHECK(okta.post_empty("/api/v1/apps/" + inactive.json()["id"].get<std::string>() + "/lifecycle/activate").status ==
        200);
}

TEST_CASE("okta sim gives new apps the org's default app sign-in policy", "[sim][okta]") {
  TempDir seed;
  Json default_policy = {{"type", "ACCESS_POLICY"}, {"id", "rstdefault0000000001"}, {"status", "ACTIVE"},
                         {"name", "Default Policy"}, {"priority", 1}, {"system", true}, {"conditions", nullptr}};
  write_text(seed.path() / "policies.json", Json::array({default_policy}).dump());
  OktaSim sim({"--seed", seed.path().string(), "--api-token", kResourcesToken});
  OktaClient okta(sim, std::string("SSWS ") + kResourcesToken);
  auto app = okta.post("/api/v1/apps", example("app-oidc-create-request.json"));
  REQUIRE(app.status == 200);
  CHECK(app.json()["_links"]["accessPolicy"]["href"] == sim.url("/api/v1/policies/rstdefault0000000001"));
  CHECK(okta.del("/api/v1/policies/rstdefault0000000001").status == 403);  // a system policy
}

TEST_CASE("okta sim app group assignments", "[sim][okta]") {
  Env env;
  auto& okta = env.okta;
  std::string app = okta.post("/api/v1/apps", example("app-saml-create-request.json")).json()["id"];
  std::string first = okta.post("/api/v1/groups", {{"profile", {{"name", "sales"}}}}).json()["id"];
  std::string second = okta.post("/api/v1/groups", {{"profile", {{"name", "support"}}}}).json()["id"];
  auto assigned = okta.put("/api/v1/apps/" + app + "/groups/" + first, example("app-group-assignment-put-request.json"));
  REQUIRE(assigned.status == 200);
  CHECK(assigned.json()["id"] == first);  // the id in the request body is read-only and ignored
  CHECK(assigned.json()["priority"] == 0);
  CHECK(assigned.json()["profile"]["department"] == "Accounting");
  auto next = okta.put_empty("/api/v1/apps/" + app + "/groups/" + second);
  CHECK(next.json()["priority"] == 1);
  auto list = okta.get("/api/v1/apps/" + app + "/groups?expand=group");
  REQUIRE(list.json().size() == 2);
  CHECK(list.json()[0]["_embedded"]["group"]["profile"]["name"] == "sales");
  CHECK(okta.get("/api/v1/apps/" + app + "/groups?q=sup").json().size() == 1);
  CHECK(okta.get("/api/v1/apps/" + app + "/groups/" + second).json()["priority"] == 1);
  CHECK(okta.put_empty("/api/v1/apps/" + app + "/groups/00gmissing").status == 404);
  CHECK(okta.del("/api/v1/apps/" + app + "/groups/" + first).status == 204);
  CHECK(okta.get("/api/v1/apps/" + app + "/groups/" + first).status == 404);
  CHECK(okta.get("/api/v1/apps/" + app + "/groups").json().size() == 1);
}

TEST_CASE("okta sim policies, rules and attaching an access policy to an app", "[sim][okta]") {
  Env env;
  auto& okta = env.okta;
  CHECK(okta.get("/api/v1/policies").json()["errorCode"] == "E0000028");  // type is required
  auto created = okta.post("/api/v1/policies", {{"type", "ACCESS_POLICY"}, {"name", "Payments"},
                                                {"description", "MFA for payments"}});
  REQUIRE(created.status == 200);
  Json policy = created.json();
  std::string id = policy["id"];
  CHECK(policy["status"] == "ACTIVE");
  CHECK(policy["conditions"].is_null());
  CHECK(policy["system"] == false);

  auto rules = okta.get("/api/v1/policies/" + id + "/rules").json();
  REQUIRE(rules.size() == 1);
  CHECK(rules[0]["name"] == "Catch-all Rule");
  CHECK(rules[0]["system"] == true);
  CHECK(okta.del("/api/v1/policies/" + id + "/rules/" + rules[0]["id"].get<std::string>()).status == 403);

  auto rule = okta.post("/api/v1/policies/" + id + "/rules", example("policy-rule-access-create-request.json"));
  REQUIRE(rule.status == 200);
  std::string rule_id = rule.json()["id"];
  CHECK(rule.json()["priority"] == 1);
  CHECK(rule.json()["actions"]["appSignOn"]["verificationMethod"]["factorMode"] == "2FA");
  rules = okta.get("/api/v1/policies/" + id + "/rules").json();
  REQUIRE(rules.size() == 2);
  CHECK(rules[0]["id"] == rule_id);  // listed by priority, the catch-all last
  Json changed = rule.json();
  changed["name"] = "Rule renamed";
  CHECK(okta.put("/api/v1/policies/" + id + "/rules/" + rule_id, changed).json()["name"] == "Rule renamed");
  CHECK(okta.post_empty("/api/v1/policies/" + id + "/rules/" + rule_id + "/lifecycle/deactivate").status == 204);
  CHECK(okta.get("/api/v1/policies/" + id + "/rules/" + rule_id).json()["status"] == "INACTIVE");
  auto wrong_type = okta.post("/api/v1/policies/" + id + "/rules", {{"type", "SIGN_ON"}, {"name", "x"}});
  CHECK(wrong_type.status == 400);

  std::string app = okta.post("/api/v1/apps", example("app-oidc-create-request.json")).json()["id"];
  CHECK(okta.put_empty("/api/v1/apps/" + app + "/policies/" + id).status == 204);
  CHECK(okta.get("/api/v1/apps/" + app).json()["_links"]["accessPolicy"]["href"] ==
        env.sim.url("/api/v1/policies/" + id));
  auto mapped = okta.get("/api/v1/policies/" + id + "/app").json();
  REQUIRE(mapped.size() == 1);
  CHECK(mapped[0]["id"] == app);
  CHECK(okta.del("/api/v1/policies/" + id).status == 400);  // still assigned to the app

  auto sign_on = okta.post("/api/v1/policies",
                           {{"type", "OKTA_SIGN_ON"}, {"name", "Contractors"},
                            {"conditions", {{"people", {{"groups", {{"include", Json::array({"00g1emaKYZTWRYYRRTSK"})}}}}}}}});
  REQUIRE(sign_on.status == 200);
  std::string sign_on_id = sign_on.json()["id"];
  CHECK(okta.put_empty("/api/v1/apps/" + app + "/policies/" + sign_on_id).status == 400);
  auto session_rule = okta.post("/api/v1/policies/" + sign_on_id + "/rules?activate=false",
                                {{"name", "Session"}, {"actions", {{"signon", {{"access", "ALLOW"}, {"requireFactor", false},
                                  {"session", {{"maxSessionIdleMinutes", 120}, {"maxSessionLifetimeMinutes", 0},
                                               {"usePersistentCookie", false}}}}}}}});
  REQUIRE(session_rule.status == 200);
  CHECK(session_rule.json()["type"] == "SIGN_ON");
  CHECK(session_rule.json()["status"] == "INACTIVE");
  auto listed = okta.get("/api/v1/policies?type=OKTA_SIGN_ON").json();
  bool found = false;
  for (const auto& item : listed) found = found || item["id"] == sign_on_id;
  CHECK(found);
  CHECK(okta.post_empty("/api/v1/policies/" + sign_on_id + "/lifecycle/deactivate").status == 204);
  CHECK(okta.get("/api/v1/policies?type=OKTA_SIGN_ON&status=INACTIVE").json().size() == 1);
  CHECK(okta.del("/api/v1/policies/" + sign_on_id).status == 204);
  CHECK(okta.get("/api/v1/policies/" + sign_on_id).status == 404);
}

TEST_CASE("okta sim network zones", "[sim][okta]") {
  OktaSim sim({"--api-token", kResourcesToken});  // the examples' zone names are free here
  OktaClient okta(sim, std::string("SSWS ") + kResourcesToken);
  auto ip = okta.post("/api/v1/zones", example("zone-create-ip-request.json"));
  REQUIRE(ip.status == 200);
  Json zone = ip.json();
  std::string id = zone["id"];
  CHECK(id.rfind("nzo", 0) == 0);
  CHECK(zone["status"] == "ACTIVE");
  CHECK(zone["usage"] == "POLICY");
  CHECK(zone["system"] == false);
  CHECK(zone["gateways"] == example("zone-create-ip-request.json")["gateways"]);
  CHECK(okta.post("/api/v1/zones", example("zone-create-blocklist-request.json")).status == 200);
  auto dynamic = okta.post("/api/v1/zones", {{"type", "DYNAMIC"}, {"name", "Embargoed"},
                                             {"locations", Json::array({{{"country", "KP"}}, {{"country", "IR"}}})}});
  REQUIRE(dynamic.status == 200);
  CHECK(dynamic.json()["locations"][0]["country"] == "KP");

  auto replaced = okta.put("/api/v1/zones/" + id, example("zone-replace-request.json"));
  REQUIRE(replaced.status == 200);
  CHECK(replaced.json()["id"] == id);
  CHECK(replaced.json()["name"] == "UpdatedNetZone");
  CHECK(replaced.json()["gateways"].size() == 4);
  CHECK(okta.put("/api/v1/zones/" + id, {{"type", "DYNAMIC"}, {"name", "x"}, {"proxyType", "Tor"}}).status == 400);
  CHECK(okta.post("/api/v1/zones", {{"type", "IP"}, {"name", "empty"}}).json()["errorCode"] == "E0000001");
  CHECK(okta.post("/api/v1/zones", {{"type", "IP"}, {"name", "bad"},
                                    {"gateways", Json::array({{{"type", "CIDR"}, {"value", "10.0.0.1"}}})}})
            .status == 400);

  auto active = okta.del("/api/v1/zones/" + id);
  CHECK(active.status == 403);
  auto deactivated = okta.post_empty("/api/v1/zones/" + id + "/lifecycle/deactivate");
  CHECK(deactivated.status == 200);
  CHECK(deactivated.json()["status"] == "INACTIVE");

  // A zone used by a policy rule cannot be deleted.
  std::string policy = okta.post("/api/v1/policies", {{"type", "ACCESS_POLICY"}, {"name", "zoned"}}).json()["id"];
  Json rule = {{"type", "ACCESS_POLICY"}, {"name", "only from the office"},
               {"conditions", {{"network", {{"connection", "ZONE"}, {"include", Json::array({id})}}}}},
               {"actions", {{"appSignOn", {{"access", "ALLOW"}}}}}};
  std::string rule_id = okta.post("/api/v1/policies/" + policy + "/rules", rule).json()["id"];
  CHECK(okta.del("/api/v1/zones/" + id).status == 403);
  CHECK(okta.del("/api/v1/policies/" + policy + "/rules/" + rule_id).status == 204);
  CHECK(okta.del("/api/v1/zones/" + id).status == 204);
  auto gone = okta.get("/api/v1/zones/" + id);
  CHECK(gone.status == 404);
  CHECK(gone.json()["errorSummary"] == "Not found: Resource not found: " + id + " (NetworkZone)");
}
