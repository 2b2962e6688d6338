// Renders a Tenant as the sandbox provider's tenant file (docs/providers/local.md): the config
// language's field names, references by id (user:<id>, group:<id>, app:<id>, location:<id>).

#include <nlohmann/json.hpp>

#include "bench/tenant/config_writers.hpp"
#include "bench/tenant/output_files.hpp"

namespace bench {

void write_sandbox(const Tenant& tenant, const std::filesystem::path& file) {
  using nlohmann::json;
  json users = json::array();
  for (const auto& user : tenant.users)
    users.push_back({{"id", user.id}, {"email", user.upn}, {"display_name", user.display_name}});

  json groups = json::array();
  for (const auto& group : tenant.groups) {
    json owners = json::array(), members = json::array();
    for (int o : group.owners) owners.push_back(tenant.users[static_cast<std::size_t>(o)].id);
    for (int m : group.members) members.push_back("user:" + tenant.users[static_cast<std::size_t>(m)].id);
    groups.push_back({{"id", group.id},
                      {"name", group.name},
                      {"description", group.description},
                      {"owners", owners},
                      {"members", members}});
  }

  json applications = json::array();
  for (const auto& app : tenant.applications) {
    json sso = app.saml ? json{{"protocol", "saml"},
                               {"saml",
                                {{"entity_id", app.entity_id},
                                 {"acs_urls", json::array({app.acs_url})},
                                 {"name_id_format", "unspecified"}}}}
                        : json{{"protocol", "oidc"}, {"oidc", {{"redirect_uris", json::array({app.redirect_uri})}}}};
    json assignments = json::array();
    for (const auto& assignment : app.assignments) {
      std::string element = "group:" + tenant.groups[static_cast<std::size_t>(assignment.group)].id;
      if (!assignment.role.empty()) element += "|role:" + assignment.role;
      assignments.push_back(element);
    }
    json object = {{"id", app.id}, {"name", app.name}, {"sso", sso}, {"assignments", assignments}};
    if (!app.roles.empty()) object["roles"] = app.roles;
    applications.push_back(object);
  }

  json policies = json::array();
  for (const auto& policy : tenant.policies) {
    json include_users = json::array(), include_apps = json::array();
    if (policy.include_groups.empty()) include_users.push_back("all");
    for (int g : policy.include_groups) include_users.push_back("group:" + tenant.groups[static_cast<std::size_t>(g)].id);
    if (policy.include_apps.empty()) include_apps.push_back("all");
    for (int a : policy.include_apps) include_apps.push_back("app:" + tenant.applications[static_cast<std::size_t>(a)].id);
    json object = {
        {"id", policy.id},
        {"name", policy.name},
        {"state", policy.state},
        {"users",
         {{"include", include_users},
          {"exclude", json::array({"group:" + tenant.groups[static_cast<std::size_t>(policy.exclude_group)].id})}}},
        {"applications", {{"include", include_apps}}},
        {"client_app_types", policy.client_app_types},
        {"grant", {{"operator", "or"}, {"controls", json::array({policy.block ? "block" : "mfa"})}}}};
    if (!policy.exclude_locations.empty()) {
      json excluded = json::array();
      for (int l : policy.exclude_locations) excluded.push_back("location:" + tenant.locations[static_cast<std::size_t>(l)].id);
      object["locations"] = {{"include", json::array({"any"})}, {"exclude", excluded}};
    }
    policies.push_back(object);
  }

  json locations = json::array();
  for (const auto& location : tenant.locations) {
    json object = {{"id", location.id}, {"name", location.name}};
    if (location.countries) {
      object["countries"] = location.values;
      object["include_unknown_countries"] = false;
    } else {
      object["trusted"] = location.trusted;
      object["ip_ranges"] = location.values;
    }
    locations.push_back(object);
  }

  write_json(file, {{"format", "idform-sandbox/1"},
                    {"users", users},
                    {"groups", groups},
                    {"applications", applications},
                    {"conditional_access_policies", policies},
                    {"named_locations", locations}});
}

}  // namespace bench
