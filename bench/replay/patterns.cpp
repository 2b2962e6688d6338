// The per-resource read patterns of the two Terraform providers, as their Read functions issue
// them during `terraform plan` (refresh). One task per resource instance in a Terraform state
// that manages the same tenant. Sources (quoted in docs/performance.md):
//  azuread  group_resource.go groupResourceRead: GET /groups/{id}, ListOwners, ListMembers
//           (hamilton msgraph/groups.go: $select=id, default page size, nextLink followed);
//           application_resource.go applicationResourceRead: GET /applications/{id} + owners;
//           service_principal_resource.go servicePrincipalResourceRead: GET /servicePrincipals/{id}
//           + owners; app_role_assignment_resource.go appRoleAssignmentResourceRead:
//           GET /servicePrincipals/{id}/appRoleAssignedTo/{assignmentId};
//           conditional_access_policy_resource.go and named_location_resource.go: one GET each.
//  okta     resource_okta_group.go resourceGroupRead: GET /api/v1/groups/{id};
//           resource_okta_group_memberships.go: ListGroupUsers limit 200 (utils.DefaultPaginationLimit),
//           pages followed; app resources: GET /api/v1/apps/{id}; okta_app_group_assignments:
//           GET /api/v1/apps/{id}/groups (limit 200); okta_app_signon_policy: GET /api/v1/policies/{id};
//           okta_app_signon_policy_rule: GET /api/v1/policies/{id}/rules/{ruleId};
//           okta_network_zone: GET /api/v1/zones/{id}.

#include <curl/curl.h>

#include <stdexcept>

#include "bench/replay/replay.hpp"

namespace bench::replay {
namespace {

using nlohmann::json;

std::string url_encode(const std::string& text) {
  std::string out;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A GET of one object (no paging).
void get_one(Client& client, const std::string& step, const std::string& path) {
  if (!client.skipped(step)) client.get(step, path);
}

void get_list(Client& client, const std::string& step, const std::string& path) {
  if (!client.skipped(step)) get_all_pages(client, step, path);
}

}  // namespace

Pattern azuread_pattern(const json& state, ClientSettings& settings, const std::string& tenant_id,
                        const std::string& client_id, const std::string& client_secret) {
  Pattern pattern;
  pattern.prepare = [&settings, tenant_id, client_id, client_secret](Client& client) {
    std::string form = "client_id=" + url_encode(client_id) + "&client_secret=" + url_encode(client_secret) +
                       "&scope=" + url_encode("https://graph.microsoft.com/.default") + "&grant_type=client_credentials";
    Response response = client.post_form("POST /{tenant}/oauth2/v2.0/token", "/" + tenant_id + "/oauth2/v2.0/token", form);
    auto body = json::parse(response.body, nullptr, false);
    if (response.status != 200 || !body.is_object() || !body.contains("access_token"))
      throw std::runtime_error("token request failed: HTTP " + std::to_string(response.status) + " " + response.body);
    settings.headers["Authorization"] = "Bearer " + body["access_token"].get<std::string>();
  };
  const std::string v = "/v1.0";
  for (const auto& id : state.at("groups")) {
    std::string group = id.get<std::string>();
    pattern.tasks.push_back([v, group](Client& client) {
      get_one(client, "GET /groups/{id}", v + "/groups/" + group);
      get_list(client, "GET /groups/{id}/owners?$select=id", v + "/groups/" + group + "/owners?$select=id");
      get_list(client, "GET /groups/{id}/members?$select=id", v + "/groups/" + group + "/members?$select=id");
    });
  }
  for (const auto& app : state.at("applications")) {
    std::string id = app.at("id"), principal = app.at("service_principal");
    pattern.tasks.push_back([v, id](Client& client) {
      get_one(client, "GET /applications/{id}", v + "/applications/" + id);
      get_list(client, "GET /applications/{id}/owners", v + "/applications/" + id + "/owners");
    });
    pattern.tasks.push_back([v, principal](Client& client) {
      get_one(client, "GET /servicePrincipals/{id}", v + "/servicePrincipals/" + principal);
      get_list(client, "GET /servicePrincipals/{id}/owners", v + "/servicePrincipals/" + principal + "/owners");
    });
  }
  for (const auto& assignment : state.at("assignments")) {
    std::string principal = assignment.at("service_principal"), id = assignment.at("id");
    pattern.tasks.push_back([v, principal, id](Client& client) {
      const std::string direct = "GET /servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}";
      if (!client.skipped(direct)) {
        client.get(direct, v + "/servicePrincipals/" + principal + "/appRoleAssignedTo/" + id);
        if (!client.skipped(direct)) return;
      }
      // Same count and cost class, for a simulator that serves only the list: one filtered list per assignment.
      client.get("GET /servicePrincipals/{id}/appRoleAssignedTo?$filter=id eq (stand-in)",
                 v + "/servicePrincipals/" + principal + "/appRoleAssignedTo?$filter=" + url_encode("id eq '" + id + "'"));
    });
  }
  for (const auto& id : state.at("policies")) {
    std::string policy = id.get<std::string>();
    pattern.tasks.push_back([v, policy](Client& client) {
      get_one(client, "GET /identity/conditionalAccess/policies/{id}", v + "/identity/conditionalAccess/policies/" + policy);
    });
  }
  for (const auto& id : state.at("locations")) {
    std::string location = id.get<std::string>();
    pattern.tasks.push_back([v, location](Client& client) {
      get_one(client, "GET /identity/conditionalAccess/namedLocations/{id}",
              v + "/identity/conditionalAccess/namedLocations/" + location);
    });
  }
  pattern.notes.push_back(
      "One task per Terraform resource: azuread_group (members and owners in the group resource), "
      "azuread_application, azuread_service_principal, azuread_app_role_assignment, "
      "azuread_conditional_access_policy, azuread_named_location.");
  return pattern;
}

Pattern okta_pattern(const json& state, ClientSettings& settings, const std::string& api_token) {
  Pattern pattern;
  settings.headers["Authorization"] = "SSWS " + api_token;
  for (const auto& id : state.at("groups")) {
    std::string group = id.get<std::string>();
    pattern.tasks.push_back([group](Client& client) { get_one(client, "GET /api/v1/groups/{id}", "/api/v1/groups/" + group); });
    pattern.tasks.push_back([group](Client& client) {
      get_list(client, "GET /api/v1/groups/{id}/users?limit=200", "/api/v1/groups/" + group + "/users?limit=200");
    });
  }
  for (const auto& app : state.at("applications")) {
    std::string id = app.at("id");
    pattern.tasks.push_back([id](Client& client) { get_one(client, "GET /api/v1/apps/{id}", "/api/v1/apps/" + id); });
    pattern.tasks.push_back([id](Client& client) {
      get_list(client, "GET /api/v1/apps/{id}/groups?limit=200", "/api/v1/apps/" + id + "/groups?limit=200");
    });
  }
  for (const auto& policy : state.at("policies")) {
    std::string id = policy.at("id");
    pattern.tasks.push_back([id](Client& client) { get_one(client, "GET /api/v1/policies/{id}", "/api/v1/policies/" + id); });
    for (const auto& rule : policy.at("rules")) {
      std::string rule_id = rule.get<std::string>();
      pattern.tasks.push_back([id, rule_id](Client& client) {
        get_one(client, "GET /api/v1/policies/{id}/rules/{ruleId}", "/api/v1/policies/" + id + "/rules/" + rule_id);
      });
    }
  }
  for (const auto& id : state.at("zones")) {
    std::string zone = id.get<std::string>();
    pattern.tasks.push_back([zone](Client& client) { get_one(client, "GET /api/v1/zones/{id}", "/api/v1/zones/" + zone); });
  }
  pattern.notes.push_back(
      "One task per Terraform resource: okta_group, okta_group_memberships, okta_app_saml / okta_app_oauth, "
      "okta_app_group_assignments, okta_app_signon_policy, okta_app_signon_policy_rule, okta_network_zone.");
  return pattern;
}

}  // namespace bench::replay
