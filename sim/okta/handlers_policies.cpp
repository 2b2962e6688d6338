// /api/v1/policies and their rules (spec operations listPolicies, createPolicy, getPolicy,
// replacePolicy, deletePolicy, activatePolicy, deactivatePolicy, listPolicyApps,
// listPolicyRules, createPolicyRule, getPolicyRule, replacePolicyRule, deletePolicyRule,
// activatePolicyRule, deactivatePolicyRule). idform manages ACCESS_POLICY (app sign-in) and
// OKTA_SIGN_ON (global session) policies; the other types are stored and served generically.
// Policies and rules are listed by priority. A new ACCESS_POLICY gets its system "Catch-all Rule"
// (priority 99, DENY), as Identity Engine creates it; system policies and rules cannot be deleted.
#include <algorithm>
#include <set>

#include "okta/okta_errors.hpp"
#include "okta/okta_flavor.hpp"
#include "okta/okta_json.hpp"

namespace idp_sim::okta {

namespace {

constexpr int kUnpaged = 0;                // no limit given: every policy / rule
constexpr int kPoliciesMaxLimit = 200;
constexpr long long kCatchAllPriority = 99;

const std::set<std::string>& policy_types() {
  static const std::set<std::string> types = {"OKTA_SIGN_ON",   "ACCESS_POLICY",       "MFA_ENROLL",
                                              "PASSWORD",       "IDP_DISCOVERY",       "PROFILE_ENROLLMENT",
                                              "POST_AUTH_SESSION", "ENTITY_RISK",      "DEVICE_SIGNAL_COLLECTION",
                                              "SESSION_VIOLATION_DETECTION", "CLIENT_UPDATE",
                                              "IDENTITY_CLAIM_SOURCING"};
  return types;
}

// The rule type that belongs to a policy type (spec PolicyRuleType).
std::string rule_type_for(const std::string& policy_type) {
  if (policy_type == "OKTA_SIGN_ON") return "SIGN_ON";
  return policy_type;
}

std::string policy_path(const std::string& id) { return "/api/v1/policies/" + id; }

SimResponse policy_not_found(const std::string& id) { return resource_not_found(id, "Policy"); }

Json allow(std::initializer_list<const char*> methods) {
  Json list = Json::array();
  for (const char* method : methods) list.push_back(method);
  return {{"allow", list}};
}

void set_policy_links(OktaCall& call, Json& policy) {
  std::string id = policy.value("id", "");
  Json links = Json::object();
  links["mappings"] = {{"href", call.href(policy_path(id) + "/mappings")}, {"hints", allow({"GET", "POST"})}};
  links["self"] = {{"href", call.href(policy_path(id))}, {"hints", allow({"GET", "PUT", "DELETE"})}};
  links["rules"] = {{"href", call.href(policy_path(id) + "/rules")}, {"hints", allow({"GET", "POST"})}};
  std::string action = policy.value("status", "ACTIVE") == "ACTIVE" ? "deactivate" : "activate";
  links[action] = {{"href", call.href(policy_path(id) + "/lifecycle/" + action)}, {"hints", allow({"POST"})}};
  policy["_links"] = links;
}

void set_rule_links(OktaCall& call, Json& rule, const std::string& policy_id) {
  std::string path = policy_path(policy_id) + "/rules/" + rule.value("id", "");
  Json links = Json::object();
  links["self"] = {{"href", call.href(path)}, {"hints", allow({"GET", "PUT", "DELETE"})}};
  std::string action = rule.value("status", "ACTIVE") == "ACTIVE" ? "deactivate" : "activate";
  links[action] = {{"href", call.href(path + "/lifecycle/" + action)}, {"hints", allow({"POST"})}};
  rule["_links"] = links;
}

long long priority_of(const Record* record) {
  const Json& priority = record->data.contains("priority") ? record->data["priority"] : Json();
  return priority.is_number_integer() ? priority.get<long long>() : 0;
}

void sort_by_priority(std::vector<Record*>& records) {
  std::stable_sort(records.begin(), records.end(),
                   [](const Record* a, const Record* b) { return priority_of(a) < priority_of(b); });
}

std::vector<Record*> policies_of_type(OktaCall& call, const std::string& type) {
  std::vector<Record*> out;
  for (auto* record : readable_records(call, kPolicies)) {
    if (record->data.value("type", "") == type) out.push_back(record);
  }
  sort_by_priority(out);
  return out;
}

std::vector<Record*> rules_of(OktaCall& call, const std::string& policy_id) {
  std::vector<Record*> out;
  for (const auto* link : readable_links(call, kPolicyRuleLinks, policy_id)) {
    if (Record* rule = find_readable(call, kRules, link->child_id)) out.push_back(rule);
  }
  sort_by_priority(out);
  return out;
}

// Lists sorted by priority are paged by position: rows get consecutive sequence numbers.
SimResponse sorted_list(OktaCall& call, const std::vector<Record*>& records, const std::string& scope) {
  std::vector<ListRow> rows;
  std::uint64_t position = 0;
  for (auto* record : records) rows.push_back({++position, record->id, record->data});
  return list_response(call, std::move(rows), {scope, kUnpaged, kPoliciesMaxLimit, true});
}

SimResponse list_policies(OktaCall& call) {
  auto type = call.request.query_value("type");
  if (!type) return okta_error(400, "E0000028", "The request is missing a required parameter.", {"type"});
  if (!policy_types().count(*type)) return field_error("type", "Invalid policy type '" + *type + "'");
  auto status = call.request.query_value("status");
  auto q = call.request.query_value("q");
  std::vector<Record*> selected;
  for (auto* record : policies_of_type(call, *type)) {
    if (status && record->data.value("status", "") != *status) continue;
    if (q && !istarts_with(record->data.value("name", ""), *q)) continue;
    selected.push_back(record);
  }
  return sorted_list(call, selected, std::string(kPolicies) + "/" + *type);
}

// Places `priority` among the policies of a type (or rules of a policy): later ones move down.
void make_room(std::vector<Record*> siblings, long long priority, const std::string& own_id) {
  for (auto* record : siblings) {
    if (record->id == own_id || record->data.value("system", false)) continue;
    if (priority_of(record) >= priority) record->data["priority"] = priority_of(record) + 1;
  }
}

SimResponse create_policy(OktaCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = check_schema(*body, "CreateOrUpdatePolicy", WriteKind::create)) return *error;
  std::string type = (*body)["type"].get<std::string>();
  if (!policy_types().count(type)) return field_error("type", "Invalid policy type '" + type + "'");
  if (type == "IDP_DISCOVERY") return field_error("type", "IDP_DISCOVERY policies cannot be created");
  auto siblings = policies_of_type(call, type);
  long long last = 0;
  for (auto* sibling : siblings) {
    if (!sibling->data.value("system", false)) last = std::max(last, priority_of(sibling));
  }
  long long priority = last + 1;
  if (body->contains("priority") && (*body)["priority"].is_number_integer()) {
    priority = std::clamp<long long>((*body)["priority"].get<long long>(), 1, last + 1);
    make_room(siblings, priority, "");
  }
  std::string id = new_object_id(type == "ACCESS_POLICY" ? "rst" : "00p");
  std::string now = okta_timestamp();
  Json policy = Json::object();
  policy["type"] = type;
  policy["id"] = id;
  policy["status"] = body->value("status", "ACTIVE");
  policy["name"] = (*body)["name"];
  policy["description"] = body->value("description", Json());
  policy["priority"] = priority;
  policy["system"] = false;
  policy["conditions"] = type == "ACCESS_POLICY" ? Json() : body->value("conditions", Json());
  for (const auto& [key, value] : body->items()) {
    if (!policy.contains(key) && key != "_links" && key != "_embedded" && key != "created" && key != "lastUpdated") {
      policy[key] = value;
    }
  }
  policy["created"] = now;
  policy["lastUpdated"] = now;
  set_policy_links(call, policy);
  insert_record(call, kPolicies, id, policy);
  if (type == "ACCESS_POLICY") {
    std::string rule_id = new_object_id("rul");
    Json rule = {{"id", rule_id},
                 {"status", "ACTIVE"},
                 {"name", "Catch-all Rule"},
                 {"priority", kCatchAllPriority},
                 {"created", now},
                 {"lastUpdated", now},
                 {"system", true},
                 {"conditions", nullptr},
                 {"actions",
                  {{"appSignOn",
                    {{"access", "DENY"},
                     {"verificationMethod",
                      {{"factorMode", "1FA"}, {"type", "ASSURANCE"}, {"reauthenticateIn", "PT12H"},
                       {"constraints", Json::array()}}}}}}},
                 {"type", "ACCESS_POLICY"}};
    set_rule_links(call, rule, id);
    insert_record(call, kRules, rule_id, rule);
    add_link(call, kPolicyRuleLinks, id, rule_id, kRules);
  }
  return SimResponse::json(200, policy);
}

SimResponse get_policy(OktaCall& call) {
  Record* record = find_readable(call, kPolicies, call.param("policyId"));
  if (!record) return policy_not_found(call.param("policyId"));
  return SimResponse::json(200, record->data);
}

SimResponse replace_policy(OktaCall& call) {
  Record* record = find_writable(call, kPolicies, call.param("policyId"));
  if (!record) return policy_not_found(call.param("policyId"));
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = check_schema(*body, "CreateOrUpdatePolicy", WriteKind::replace)) return *error;
  if ((*body)["type"] != record->data["type"]) return field_error("type", "The type of a policy cannot be changed");
  Json& policy = record->data;
  for (const char* key : {"name", "description", "conditions", "settings"}) {
    if (body->contains(key)) policy[key] = (*body)[key];
  }
  if (body->contains("priority") && (*body)["priority"].is_number_integer() && !policy.value("system", false)) {
    long long priority = std::max<long long>(1, (*body)["priority"].get<long long>());
    if (priority != priority_of(record)) {
      make_room(policies_of_type(call, policy.value("type", "")), priority, record->id);
      policy["priority"] = priority;
    }
  }
  policy["lastUpdated"] = okta_timestamp();
  return SimResponse::json(200, policy);
}

std::vector<Record*> apps_using(OktaCall& call, const std::string& policy_id) {
  std::vector<Record*> out;
  for (auto* app : readable_records(call, kApps)) {
    if (linked_id(app->data, "accessPolicy") == policy_id) out.push_back(app);
  }
  return out;
}

SimResponse delete_policy(OktaCall& call) {
  Record* record = find_writable(call, kPolicies, call.param("policyId"));
  if (!record) return policy_not_found(call.param("policyId"));
  if (record->data.value("system", false)) {
    return okta_error(403, "E0000006", "You do not have permission to perform the requested action",
                      {"A system policy cannot be deleted"});
  }
  if (!apps_using(call, record->id).empty()) {
    return field_error("policyId", "The policy is assigned to one or more apps; assign them another policy first");
  }
  std::string id = record->id;
  for (const auto& rule : linked_children(call, kPolicyRuleLinks, id)) {
    delete_record(call, kRules, rule);
    remove_link(call, kPolicyRuleLinks, id, rule);
  }
  delete_record(call, kPolicies, id);
  return SimResponse::empty(204);
}

SimResponse set_policy_status(OktaCall& call, const std::string& status) {
  Record* record = find_writable(call, kPolicies, call.param("policyId"));
  if (!record) return policy_not_found(call.param("policyId"));
  if (record->data.value("status", "") != status) {
    record->data["status"] = status;
    record->data["lastUpdated"] = okta_timestamp();
    if (record->data.contains("_links")) set_policy_links(call, record->data);
  }
  return SimResponse::empty(204);
}

SimResponse list_policy_apps(OktaCall& call) {
  Record* record = find_readable(call, kPolicies, call.param("policyId"));
  if (!record) return policy_not_found(call.param("policyId"));
  Json apps = Json::array();
  for (auto* app : apps_using(call, record->id)) apps.push_back(app->data);
  return SimResponse::json(200, apps);
}

// ---- rules ----

Record* policy_for_rules(OktaCall& call, bool for_write, SimResponse& failure) {
  Record* policy = for_write ? find_writable(call, kPolicies, call.param("policyId"))
                             : find_readable(call, kPolicies, call.param("policyId"));
  if (!policy) failure = policy_not_found(call.param("policyId"));
  return policy;
}

Record* rule_in(OktaCall& call, const Record& policy, bool for_write, SimResponse& failure) {
  std::string rule_id = call.param("ruleId");
  Record* rule = for_write ? find_writable(call, kRules, rule_id) : find_readable(call, kRules, rule_id);
  if (!rule || !call.data.relation(kPolicyRuleLinks).find(policy.id, rule_id)) {
    failure = resource_not_found(rule_id, "PolicyRule");
    return nullptr;
  }
  return rule;
}

SimResponse list_rules(OktaCall& call) {
  SimResponse failure;
  Record* policy = policy_for_rules(call, false, failure);
  if (!policy) return failure;
  return sorted_list(call, rules_of(call, policy->id), std::string(kPolicyRuleLinks) + "/" + policy->id);
}

SimResponse create_rule(OktaCall& call) {
  SimResponse failure;
  Record* policy = policy_for_rules(call, true, failure);
  if (!policy) return failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  std::string expected = rule_type_for(policy->data.value("type", ""));
  if (!body->contains("type")) (*body)["type"] = expected;
  if (auto error = check_schema(*body, "PolicyRule", WriteKind::create)) return *error;
  if ((*body)["type"] != expected) {
    return field_error("type", "Rules of a " + policy->data.value("type", "") + " policy have type " + expected);
  }
  if (!body->contains("name") || !(*body)["name"].is_string()) {
    return field_error("name", "The field cannot be left blank");
  }
  auto siblings = rules_of(call, policy->id);
  long long last = 0;
  for (auto* sibling : siblings) {
    if (!sibling->data.value("system", false)) last = std::max(last, priority_of(sibling));
  }
  long long priority = last + 1;
  if (body->contains("priority") && (*body)["priority"].is_number_integer()) {
    priority = std::clamp<long long>((*body)["priority"].get<long long>(), 1, last + 1);
    make_room(siblings, priority, "");
  }
  std::string activate = call.query("activate");
  std::string id = new_object_id(expected == "ACCESS_POLICY" ? "rul" : "0pr");
  std::string now = okta_timestamp();
  Json rule = Json::object();
  rule["id"] = id;
  rule["status"] = activate == "false" ? "INACTIVE" : "ACTIVE";
  rule["name"] = (*body)["name"];
  rule["priority"] = priority;
  rule["created"] = now;
  rule["lastUpdated"] = now;
  rule["system"] = false;
  rule["conditions"] = body->value("conditions", Json());
  rule["actions"] = body->value("actions", Json::object());
  for (const auto& [key, value] : body->items()) {
    if (!rule.contains(key) && key != "_links" && key != "id") rule[key] = value;
  }
  rule["type"] = expected;
  set_rule_links(call, rule, policy->id);
  insert_record(call, kRules, id, rule);
  add_link(call, kPolicyRuleLinks, policy->id, id, kRules);
  return SimResponse::json(200, rule);
}

SimResponse get_rule(OktaCall& call) {
  SimResponse failure;
  Record* policy = policy_for_rules(call, false, failure);
  if (!policy) return failure;
  Record* rule = rule_in(call, *policy, false, failure);
  if (!rule) return failure;
  return SimResponse::json(200, rule->data);
}

SimResponse replace_rule(OktaCall& call) {
  SimResponse failure;
  Record* policy = policy_for_rules(call, true, failure);
  if (!policy) return failure;
  Record* rule = rule_in(call, *policy, true, failure);
  if (!rule) return failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (!body->contains("type")) (*body)["type"] = rule->data.value("type", "");
  if (auto error = check_schema(*body, "PolicyRule", WriteKind::replace)) return *error;
  if ((*body)["type"] != rule->data["type"]) return field_error("type", "The type of a rule cannot be changed");
  Json& data = rule->data;
  for (const char* key : {"name", "conditions", "actions"}) {
    if (body->contains(key)) data[key] = (*body)[key];
  }
  if (body->contains("priority") && (*body)["priority"].is_number_integer() && !data.value("system", false)) {
    long long priority = std::max<long long>(1, (*body)["priority"].get<long long>());
    if (priority != priority_of(rule)) {
      make_room(rules_of(call, policy->id), priority, rule->id);
      data["priority"] = priority;
    }
  }
  data["lastUpdated"] = okta_timestamp();
  return SimResponse::json(200, data);
}

SimResponse delete_rule(OktaCall& call) {
  SimResponse failure;
  Record* policy = policy_for_rules(call, true, failure);
  if (!policy) return failure;
  Record* rule = rule_in(call, *policy, true, failure);
  if (!rule) return failure;
  if (rule->data.value("system", false)) {
    return okta_error(403, "E0000006", "You do not have permission to perform the requested action",
                      {"A system rule (for example the Catch-all Rule) cannot be deleted"});
  }
  std::string id = rule->id;
  remove_link(call, kPolicyRuleLinks, policy->id, id);
  delete_record(call, kRules, id);
  return SimResponse::empty(204);
}

SimResponse set_rule_status(OktaCall& call, const std::string& status) {
  SimResponse failure;
  Record* policy = policy_for_rules(call, true, failure);
  if (!policy) return failure;
  Record* rule = rule_in(call, *policy, true, failure);
  if (!rule) return failure;
  if (rule->data.value("status", "") != status) {
    rule->data["status"] = status;
    rule->data["lastUpdated"] = okta_timestamp();
    if (rule->data.contains("_links")) set_rule_links(call, rule->data, policy->id);
  }
  return SimResponse::empty(204);
}

}  // namespace

void register_policy_routes(OktaRouter& router) {
  router.add("GET", "/api/v1/policies", {"policies", list_policies});
  router.add("POST", "/api/v1/policies", {"policies", create_policy});
  router.add("GET", "/api/v1/policies/{policyId}", {"policies", get_policy});
  router.add("PUT", "/api/v1/policies/{policyId}", {"policies", replace_policy});
  router.add("DELETE", "/api/v1/policies/{policyId}", {"policies", delete_policy});
  router.add("POST", "/api/v1/policies/{policyId}/lifecycle/activate",
             {"policies", [](OktaCall& call) { return set_policy_status(call, "ACTIVE"); }});
  router.add("POST", "/api/v1/policies/{policyId}/lifecycle/deactivate",
             {"policies", [](OktaCall& call) { return set_policy_status(call, "INACTIVE"); }});
  router.add("GET", "/api/v1/policies/{policyId}/app", {"policies", list_policy_apps});
  router.add("GET", "/api/v1/policies/{policyId}/rules", {"policies", list_rules});
  router.add("POST", "/api/v1/policies/{policyId}/rules", {"policies", create_rule});
  router.add("GET", "/api/v1/policies/{policyId}/rules/{ruleId}", {"policies", get_rule});
  router.add("PUT", "/api/v1/policies/{policyId}/rules/{ruleId}", {"policies", replace_rule});
  router.add("DELETE", "/api/v1/policies/{policyId}/rules/{ruleId}", {"policies", delete_rule});
  router.add("POST", "/api/v1/policies/{policyId}/rules/{ruleId}/lifecycle/activate",
             {"policies", [](OktaCall& call) { return set_rule_status(call, "ACTIVE"); }});
  router.add("POST", "/api/v1/policies/{policyId}/rules/{ruleId}/lifecycle/deactivate",
             {"policies", [](OktaCall& call) { return set_rule_status(call, "INACTIVE"); }});
}

}  // namespace idp_sim::okta
