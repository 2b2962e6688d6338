// Directory audit entries for app role assignments and conditional access changes, and the
// list endpoint (see the header).
#include "graph/directory_audits.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "core/sim_clock.hpp"
#include "graph/graph_call.hpp"
#include "graph/graph_errors.hpp"

namespace idp_sim::graph {

namespace {

constexpr int kDefaultTop = 100;
constexpr int kMaxTop = 999;

struct AuditSpec {
  const char* route;
  const char* activity;  // "{principal}" is replaced by group / service principal / user
  const char* category;
  const char* service;
  const char* operation;
  const char* target_type;
};

const std::vector<AuditSpec>& audit_specs() {
  static const std::vector<AuditSpec> specs = {
      {"POST /groups/{id}/appRoleAssignments", "Add app role assignment to group", "GroupManagement", "Core Directory", "Assign", "Group"},
      {"DELETE /groups/{id}/appRoleAssignments/{assignment}", "Remove app role assignment from group", "GroupManagement", "Core Directory", "Unassign", "Group"},
      {"POST /servicePrincipals/{id}/appRoleAssignedTo", "{principal}", "ApplicationManagement", "Core Directory", "Assign", "ServicePrincipal"},
      {"DELETE /servicePrincipals/{id}/appRoleAssignedTo/{assignment}", "{principal}", "ApplicationManagement", "Core Directory", "Unassign", "ServicePrincipal"},
      {"POST /servicePrincipals/{id}/appRoleAssignments", "Add app role assignment to service principal", "ApplicationManagement", "Core Directory", "Assign", "ServicePrincipal"},
      {"POST /identity/conditionalAccess/policies", "Add conditional access policy", "Policy", "Conditional Access", "Add", "Policy"},
      {"PATCH /identity/conditionalAccess/policies/{id}", "Update conditional access policy", "Policy", "Conditional Access", "Update", "Policy"},
      {"DELETE /identity/conditionalAccess/policies/{id}", "Delete conditional access policy", "Policy", "Conditional Access", "Delete", "Policy"},
      {"POST /identity/conditionalAccess/namedLocations", "Add named location", "Policy", "Conditional Access", "Add", "Policy"},
      {"PATCH /identity/conditionalAccess/namedLocations/{id}", "Update named location", "Policy", "Conditional Access", "Update", "Policy"},
      {"DELETE /identity/conditionalAccess/namedLocations/{id}", "Delete named location", "Policy", "Conditional Access", "Delete", "Policy"},
  };
  return specs;
}

// "Add app role assignment to group" / "...grant to user" / "...to service principal" by the
// assignment's principalType.
std::string assignment_activity(bool add, const Json& assignment) {
  std::string type = string_field(assignment, "principalType");
  std::string prefix = add ? "Add app role assignment " : "Remove app role assignment ";
  if (type == "User") return prefix + (add ? "grant to user" : "from user");
  if (type == "ServicePrincipal") return prefix + (add ? "to service principal" : "from service principal");
  return prefix + (add ? "to group" : "from group");
}

struct Clause {
  std::string property, op, value;
};

bool parse_filter(const std::string& text, std::vector<Clause>& clauses) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto at = text.find(" and ", start);
    std::string part = trim(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    auto first = part.find(' '), second = part.find(' ', first + 1);
    if (first == std::string::npos || second == std::string::npos) return false;
    Clause clause{part.substr(0, first), part.substr(first + 1, second - first - 1), trim(part.substr(second + 1))};
    if (clause.value.size() >= 2 && clause.value.front() == '\'' && clause.value.back() == '\'')
      clause.value = clause.value.substr(1, clause.value.size() - 2);
    static const std::vector<std::string> kText = {"category", "activityDisplayName", "loggedByService", "operationType"};
    bool date = clause.property == "activityDateTime" &&
                (clause.op == "ge" || clause.op == "le" || clause.op == "gt" || clause.op == "lt");
    bool text_clause = std::find(kText.begin(), kText.end(), clause.property) != kText.end() && clause.op == "eq";
    if (!date && !text_clause) return false;
    clauses.push_back(clause);
    if (at == std::string::npos) break;
    start = at + 5;
  }
  return true;
}

bool matches(const Json& entry, const std::vector<Clause>& clauses) {
  for (const auto& clause : clauses) {
    std::string value = string_field(entry, clause.property);
    if (clause.op == "eq" && !iequals(value, clause.value)) return false;
    // ISO 8601 UTC timestamps compare as text to the second.
    std::string have = value.substr(0, 19), wanted = clause.value.substr(0, 19);
    if (clause.op == "ge" && !(have >= wanted)) return false;
    if (clause.op == "gt" && !(have > wanted)) return false;
    if (clause.op == "le" && !(have <= wanted)) return false;
    if (clause.op == "lt" && !(have < wanted)) return false;
  }
  return true;
}

}  // namespace

void DirectoryAudits::record_write(const std::string& route, const PathParams& params, const SimResponse& response,
                                   const Caller& caller, const Json& before) {
  if (response.status < 200 || response.status >= 300) return;
  for (const auto& spec : audit_specs()) {
    if (route != spec.route) continue;
    Json body = response.body.empty() ? Json() : Json::parse(response.body, nullptr, false);
    Json object = body.is_object() ? body : before.is_object() ? before : Json::object();
    std::string activity = spec.activity;
    bool add = std::string(spec.operation) != "Unassign";
    if (activity == "{principal}") activity = assignment_activity(add, object);
    Json target = Json::object();
    auto id_param = params.find("id");
    target["id"] = string_field(object, "id").empty() && id_param != params.end() ? id_param->second
                                                                                    : string_field(object, "id");
    target["displayName"] = object.is_object() && object.contains("displayName") ? object["displayName"] : Json();
    target["type"] = spec.target_type;
    target["userPrincipalName"] = nullptr;
    target["groupType"] = nullptr;
    target["modifiedProperties"] = Json::array();
    if (std::string(spec.target_type) != "Policy") {
      // For assignments the targets are the principal and the resource.
      target["id"] = string_field(object, "principalId");
      target["displayName"] = object.value("principalDisplayName", Json());
      target["type"] = string_field(object, "principalType");
    }
    Json targets = Json::array({target});
    if (std::string(spec.target_type) != "Policy") {
      targets.push_back({{"id", string_field(object, "resourceId")}, {"displayName", object.value("resourceDisplayName", Json())},
                         {"type", "ServicePrincipal"}, {"userPrincipalName", nullptr}, {"groupType", nullptr},
                         {"modifiedProperties", Json::array({{{"displayName", "AppRole.Id"},
                                                              {"oldValue", add ? Json() : Json(string_field(object, "appRoleId"))},
                                                              {"newValue", add ? Json(string_field(object, "appRoleId")) : Json()}}})}});
    }
    Json entry = {{"id", "Directory_" + new_uuid()},
                  {"category", spec.category},
                  {"correlationId", new_uuid()},
                  {"result", "success"},
                  {"resultReason", ""},
                  {"activityDisplayName", activity},
                  {"activityDateTime", SimClock::utc_timestamp_precise()},
                  {"loggedByService", spec.service},
                  {"operationType", spec.operation},
                  {"initiatedBy", {{"user", nullptr},
                                   {"app", {{"appId", caller.app_id}, {"displayName", nullptr},
                                            {"servicePrincipalId", nullptr}, {"servicePrincipalName", nullptr}}}}},
                  {"targetResources", targets},
                  {"additionalDetails", Json::array()}};
    m_entries.push_back(std::move(entry));
    return;
  }
}

SimResponse DirectoryAudits::list(GraphCall& call) const {
  int top = kDefaultTop;
  if (auto value = call.request.query_value("$top")) {
    char* end = nullptr;
    long parsed = std::strtol(value->c_str(), &end, 10);
    if (value->empty() || *end != '\0' || parsed < 1 || parsed > kMaxTop) {
      return graph_error(400, "BadRequest", "Invalid page size specified: '" + *value + "'.", call.request);
    }
    top = static_cast<int>(parsed);
  }
  std::vector<Clause> clauses;
  if (auto value = call.request.query_value("$filter"); value && !parse_filter(*value, clauses)) {
    return graph_error(400, "BadRequest", "Invalid filter clause", call.request);
  }
  std::size_t skip = 0;
  if (auto value = call.request.query_value("$skiptoken")) skip = std::strtoull(value->c_str(), nullptr, 10);
  std::vector<const Json*> matching;
  for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it)
    if (matches(*it, clauses)) matching.push_back(&*it);
  Json values = Json::array();
  for (std::size_t i = skip; i < matching.size() && values.size() < static_cast<std::size_t>(top); ++i)
    values.push_back(*matching[i]);
  Json body = Json::object();
  body["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits";
  if (skip + values.size() < matching.size()) {
    QueryParams next;
    for (const auto& [key, value] : call.request.query)
      if (key != "$skiptoken") next.emplace_back(key, value);
    next.emplace_back("$skiptoken", std::to_string(skip + values.size()));
    body["@odata.nextLink"] = call.request.base_url + call.request.path + "?" + build_query_string(next);
  }
  body["value"] = std::move(values);
  return graph_json(200, body, call.request);
}

}  // namespace idp_sim::graph
