// Conditional access policies become Okta app sign-in policies (ACCESS_POLICY). A new policy is
// created with its rule ("Managed by idform", priority 1), its Catch-all Rule set to allow with
// one factor — so that, as with a conditional access policy, sign-ins the rule does not match
// are not affected — and is then attached to its apps with PUT /api/v1/apps/{app}/policies/{id}.
// An app leaves the policy by being attached to the org's default policy, and only if it still
// uses this one (another policy may have claimed it in the same apply). A policy is deleted
// after its apps went back to the default policy, which Okta requires.
//
// Until the last step attaches it, a new policy affects no sign-in, so an apply stopped midway
// leaves nothing enforced; the next read does not see that unfinished policy
// (policy_mapping.hpp, unfinished_policy), plans a create, and the create adopts and finishes it.

#include "providers/okta/json_fields.hpp"
#include "providers/okta/policy_mapping.hpp"
#include "providers/okta/writers.hpp"
#include "reconciler/model/spec_path.hpp"

namespace idform::providers::okta {
namespace {

using model::strings_at;

using nlohmann::json;

constexpr const char* kPolicies = "/api/v1/policies";

std::string policy_path(const std::string& id) { return std::string(kPolicies) + "/" + id; }

std::vector<std::string> app_references(const std::vector<std::string>& elements) {
  std::vector<std::string> out;
  for (const std::string& element : elements)
    if (element.starts_with("app:")) out.push_back(element);
  return out;
}

Result<std::string> default_policy(OktaClient& okta) {
  auto policies = IDFORM_TRY(okta.list(std::string(kPolicies) + "?type=ACCESS_POLICY"));
  for (const auto& policy : policies)
    if (flag(policy, "system")) return text(policy, "id");
  return fail("the org has no default app sign-in policy (system ACCESS_POLICY) to give detached apps");
}

Result<void> attach(OktaClient& okta, const std::vector<std::string>& app_ids, const std::string& policy_id) {
  for (const std::string& app : app_ids) IDFORM_TRY(write(okta, "PUT", "/api/v1/apps/" + app + "/policies/" + policy_id));
  return {};
}

// Gives the apps that still use `policy_id` the default policy.
Result<void> detach(OktaClient& okta, const std::vector<std::string>& app_ids, const std::string& policy_id) {
  std::string fallback;
  for (const std::string& app : app_ids) {
    auto current = IDFORM_TRY(okta.call("GET", "/api/v1/apps/" + app));
    if (current.status == 404) continue;
    if (!current.ok()) return fail(response_error("GET", "/api/v1/apps/" + app, current));
    if (linked_id(current.body, "accessPolicy") != policy_id) continue;
    if (fallback.empty()) fallback = IDFORM_TRY(default_policy(okta));
    IDFORM_TRY(write(okta, "PUT", "/api/v1/apps/" + app + "/policies/" + fallback));
  }
  return {};
}

Result<std::vector<json>> rules_of(OktaClient& okta, const std::string& policy_id) {
  return okta.list(policy_path(policy_id) + "/rules");
}

Result<void> create_rule(OktaClient& okta, const std::string& policy_id, const json& spec, const IdResolver& ids) {
  json rule = {{"name", kRuleName}, {"priority", 1}, {"type", "ACCESS_POLICY"}};
  IDFORM_TRY(apply_rule_fields(rule, spec, ids));
  const std::string path = policy_path(policy_id) + "/rules";
  auto find_existing = [&]() -> Result<json> {
    for (const auto& existing : IDFORM_TRY(rules_of(okta, policy_id)))
      if (text(existing, "name") == kRuleName) return existing;
    return json();
  };
  json created = IDFORM_TRY(create_object(okta, path, rule, find_existing));
  // The rule holds the policy's conditions: the plan right after the apply must see it, as it
  // sees every created object.
  if (std::string id = text(created, "id"); !id.empty()) IDFORM_TRY(wait_until_visible(okta, path + "/" + id));
  return {};
}

// A new policy's Catch-all Rule allows everyone the rule does not match, with one factor.
Result<void> open_catch_all(OktaClient& okta, const std::string& policy_id, const std::vector<json>& rules) {
  for (json rule : rules) {
    if (!flag(rule, "system")) continue;
    std::string id = text(rule, "id");
    for (const char* key : {"_links", "id", "created", "lastUpdated", "status"}) rule.erase(key);
    json& sign_on = rule["actions"]["appSignOn"];
    json verification = child(sign_on, "verificationMethod");
    verification["type"] = "ASSURANCE";
    verification["factorMode"] = "1FA";
    sign_on["access"] = "ALLOW";
    sign_on["verificationMethod"] = verification;
    IDFORM_TRY(write(okta, "PUT", policy_path(policy_id) + "/rules/" + id, rule));
  }
  return {};
}

Result<void> set_state(OktaClient& okta, const std::string& policy_id, const json& spec) {
  const json* state = model::find_path(spec, "state");
  if (!state || !state->is_string()) return {};
  std::string action = *state == "disabled" ? "deactivate" : "activate";
  IDFORM_TRY(write(okta, "POST", policy_path(policy_id) + "/lifecycle/" + action));
  return {};
}

Result<std::string> create_policy(OktaClient& okta, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  const json& spec = change.desired;
  const json* state = model::find_path(spec, "state");
  json body = {{"type", "ACCESS_POLICY"},
               {"name", change.name},
               {"status", state && *state == "disabled" ? "INACTIVE" : "ACTIVE"}};
  auto find_existing = [&]() -> Result<json> {
    auto found = IDFORM_TRY(okta.list(std::string(kPolicies) + "?type=ACCESS_POLICY&q=" + http::url_encode(change.name)));
    for (const auto& policy : found)
      if (text(policy, "name") == change.name && !flag(policy, "system")) return policy;
    return json();
  };
  // An earlier apply may have been stopped after creating this policy (unfinished_policy): that
  // policy is finished rather than a second one made. Every step below is safe to repeat.
  json created = IDFORM_TRY(find_existing());
  if (!created.is_null() && own_rule_count(IDFORM_TRY(rules_of(okta, text(created, "id")))) > 0) created = json();
  if (created.is_null()) created = IDFORM_TRY(create_object(okta, kPolicies, body, find_existing));
  std::string id = text(created, "id");
  if (id.empty()) return fail("POST /api/v1/policies answered without an id");
  IDFORM_TRY(wait_until_visible(okta, policy_path(id)));
  if (text(created, "status") != body["status"].get<std::string>()) IDFORM_TRY(set_state(okta, id, spec));
  IDFORM_TRY(open_catch_all(okta, id, IDFORM_TRY(rules_of(okta, id))));
  IDFORM_TRY(create_rule(okta, id, spec, ids));
  IDFORM_TRY(attach(okta, IDFORM_TRY(resolve_all(ids, app_references(strings_at(spec, "applications.include")))), id));
  return id;
}

Result<std::string> update_policy(OktaClient& okta, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  const std::string path = policy_path(change.id);
  if (attribute(change, "name")) {
    OktaResponse current = IDFORM_TRY(write(okta, "GET", path));
    json policy = current.body;
    for (const char* key : {"_links", "_embedded", "id", "created", "lastUpdated", "status", "system", "priority"})
      policy.erase(key);
    policy["name"] = change.name;
    IDFORM_TRY(write(okta, "PUT", path, policy));
  }
  if (attribute(change, "state")) IDFORM_TRY(set_state(okta, change.id, change.desired));
  bool rule_changed = false;
  for (const plan::AttributeChange& changed : change.attributes)
    if (changed.path != "name" && changed.path != "state" && !changed.path.starts_with("applications."))
      rule_changed = true;
  if (rule_changed) {
    std::vector<json> rules = IDFORM_TRY(rules_of(okta, change.id));
    if (const json* found = primary_rule(rules)) {
      json rule = *found;
      std::string rule_id = text(rule, "id");
      IDFORM_TRY(apply_rule_fields(rule, change.desired, ids));
      IDFORM_TRY(write(okta, "PUT", path + "/rules/" + rule_id, rule));
    } else {
      // The policy had only its Catch-all Rule, which read as the policy's conditions; those
      // move to a rule of its own, and the Catch-all opens as on every policy idform makes.
      IDFORM_TRY(open_catch_all(okta, change.id, rules));
      IDFORM_TRY(create_rule(okta, change.id, change.desired, ids));
    }
  }
  if (const auto* apps = attribute(change, "applications.include")) {
    IDFORM_TRY(attach(okta, IDFORM_TRY(resolve_all(ids, app_references(apps->added))), change.id));
    IDFORM_TRY(detach(okta, IDFORM_TRY(resolve_all(ids, app_references(apps->removed))), change.id));
  }
  return change.id;
}

Result<std::string> delete_policy(OktaClient& okta, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  std::vector<std::string> apps;
  for (const std::string& reference : app_references(strings_at(change.live, "applications.include")))
    if (auto id = ids.id_of(reference)) apps.push_back(*id);
  IDFORM_TRY(detach(okta, apps, change.id));
  IDFORM_TRY(write(okta, "DELETE", policy_path(change.id), nullptr, {404}));
  return change.id;
}

}  // namespace

Result<std::string> apply_policy(OktaClient& okta, const provider::ApplyRequest& request) {
  IdResolver ids(request.ids);
  switch (request.change.action) {
    case plan::Action::create: return create_policy(okta, request, ids);
    case plan::Action::update: return update_policy(okta, request, ids);
    case plan::Action::delete_: return delete_policy(okta, request, ids);
    case plan::Action::no_op: return request.change.id;
  }
  return request.change.id;
}

}  // namespace idform::providers::okta
