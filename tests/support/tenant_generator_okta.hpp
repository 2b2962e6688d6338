#pragma once
// A nasty but legal Okta org per seed, as idp-sim (Okta flavor) seed files
// (tenant_generator.hpp says what "nasty" covers). The org basics every org has (the Everyone
// group, the default policy, the API token) are the testbed's.

#include "support/tenant_generator.hpp"

namespace idform::testing::generator {

namespace okta_detail {

using nlohmann::json;

inline json user(const std::string& id, const std::string& login) {
  return {{"id", id}, {"status", "ACTIVE"}, {"created", "2024-01-02T10:00:00.000Z"},
          {"type", {{"id", "oty0default0type0001"}}},
          {"profile", {{"login", login}, {"email", login}, {"firstName", "Ü"}, {"lastName", "Ñ"}}}};
}

inline json group(const std::string& id, const std::string& name, const json& description) {
  return {{"id", id}, {"created", "2024-03-01T10:00:00.000Z"}, {"lastUpdated", "2024-03-01T10:00:00.000Z"},
          {"objectClass", {"okta:user_group"}}, {"type", "OKTA_GROUP"},
          {"profile", {{"name", name}, {"description", description}}}};
}

inline std::string okta_id(Rng& rng, const std::string& prefix) {
  static const char* kChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out = prefix;
  while (out.size() < 20) out += kChars[rng.between(0, 61)];
  return out;
}

}  // namespace okta_detail

struct OktaTenant {
  int groups = 0, apps = 0, policies = 0, zones = 0;
};

// `users` are the org's users (the testbed writes them); `everyone` is the Everyone group's id
// and `admin_console` the id given to the Admin Console app ("saasure") written here.
inline OktaTenant write_okta_tenant(const std::filesystem::path& seed, std::uint32_t number,
                                    const std::vector<std::string>& users, const std::string& everyone) {
  using namespace okta_detail;
  Rng rng(number);
  OktaTenant made;
  made.groups = rng.between(2, 10);
  std::vector<std::string> names = names_for(rng, made.groups, false, "group");
  std::vector<std::string> group_ids;
  json groups = json::array();
  for (int i = 0; i < made.groups; ++i) {
    group_ids.push_back(okta_id(rng, "00g"));
    json description = rng.chance(0.3) ? json("") : rng.chance(0.5) ? json(nullptr) : json("Ünïcode description");
    groups.push_back(group(group_ids.back(), names[static_cast<std::size_t>(i)], description));
  }
  write_seed_json(seed, "groups.json", groups);
  for (const std::string& id : group_ids) {
    json members = json::array();
    std::set<std::string> chosen;
    for (int u = 0; u < rng.between(0, 3) && !users.empty(); ++u) chosen.insert(rng.pick(users));
    for (std::size_t u = 0; u < users.size(); ++u)
      if (chosen.contains(users[u])) members.push_back(user(users[u], "user" + std::to_string(u + 1) + "@acme.example"));
    write_seed_json(seed, "groups/" + id + "/users.json", members);
  }

  // Apps: SAML with entity ids and ACS URLs Okta accepts and we would not write, OIDC, and
  // Okta's own Admin Console, which policies may be attached to.
  made.apps = rng.between(1, 4);
  std::vector<std::string> labels = names_for(rng, made.apps, false, "app");
  std::vector<std::string> entity_ids = {"asdqwe123", "", "https://sp.example/metadata", "urn:example:sp", "sp entity"};
  std::vector<std::string> acs = {"http://sp.example/acs", "https://sp.example/acs", "http://localhost:8080/acs"};
  json apps = json::array();
  std::vector<std::string> app_ids;
  for (int i = 0; i < made.apps; ++i) {
    app_ids.push_back(okta_id(rng, "0oa"));
    json app = {{"id", app_ids.back()}, {"label", labels[static_cast<std::size_t>(i)]}, {"status", "ACTIVE"},
                {"created", "2024-04-01T10:00:00.000Z"}};
    if (rng.chance(0.6)) {
      std::string url = rng.pick(acs);
      app["name"] = "app" + std::to_string(i);
      app["signOnMode"] = "SAML_2_0";
      app["settings"] = {{"signOn", {{"ssoAcsUrl", url}, {"audience", rng.pick(entity_ids)}, {"recipient", url},
                                     {"destination", url}, {"subjectNameIdFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"},
                                     {"subjectNameIdTemplate", "${user.userName}"}, {"responseSigned", true},
                                     {"assertionSigned", true}, {"signatureAlgorithm", "RSA_SHA256"},
                                     {"digestAlgorithm", "SHA256"}}},
                         {"notes", {{"admin", rng.chance(0.5) ? json("") : json(nullptr)}, {"enduser", nullptr}}}};
    } else {
      app["name"] = "oidc_client";
      app["signOnMode"] = "OPENID_CONNECT";
      app["settings"] = {{"oauthClient", {{"application_type", "web"},
                                          {"redirect_uris", {"https://app" + std::to_string(i) + ".example/callback"}},
                                          {"response_types", {"code"}},
                                          {"grant_types", {"authorization_code"}}}}};
      app["credentials"] = {{"oauthClient", {{"client_id", app_ids.back()}, {"token_endpoint_auth_method", "client_secret_basic"}}}};
    }
    apps.push_back(app);
    json assignments = json::array();
    std::set<std::string> assigned;
    for (int a = 0; a < rng.between(0, 2) && !group_ids.empty(); ++a) assigned.insert(rng.pick(group_ids));
    int priority = 0;
    for (const std::string& id : assigned) assignments.push_back({{"id", id}, {"priority", priority++}, {"profile", json::object()}});
    write_seed_json(seed, "apps/" + app_ids.back() + "/groups.json", assignments);
  }
  json console = {{"id", "0oaadminconsole00001"}, {"name", "saasure"}, {"label", "Okta Admin Console"},
                  {"status", "ACTIVE"}, {"signOnMode", "OPENID_CONNECT"},
                  {"settings", {{"oauthClient", {{"application_type", "web"}, {"redirect_uris", json::array()}}}}}};

  // Network zones.
  made.zones = rng.between(0, 2);
  std::vector<std::string> zone_names = names_for(rng, made.zones, false, "zone");
  std::vector<std::string> zone_ids;
  json zones = json::array();
  for (int i = 0; i < made.zones; ++i) {
    zone_ids.push_back(okta_id(rng, "nzo"));
    zones.push_back({{"type", "IP"}, {"id", zone_ids.back()}, {"name", zone_names[static_cast<std::size_t>(i)]},
                     {"status", "ACTIVE"}, {"usage", "POLICY"}, {"system", false},
                     {"gateways", {{{"type", "CIDR"}, {"value", "198.51.100.0/24"}}}}, {"proxies", nullptr}});
  }
  write_seed_json(seed, "zones.json", zones);

  // Access policies with one rule each, attached to apps and sometimes to the Admin Console.
  made.policies = rng.between(0, 2);
  std::vector<std::string> policy_names = names_for(rng, made.policies, false, "CA");
  for (int i = 0; i < made.policies; ++i) {
    std::string id = okta_id(rng, "rst");
    write_seed_json(seed, "policies/generated-" + std::to_string(i) + ".json",
                    {{"type", "ACCESS_POLICY"}, {"id", id}, {"status", "ACTIVE"}, {"name", policy_names[static_cast<std::size_t>(i)]},
                     {"description", ""}, {"priority", i + 2}, {"system", false}, {"conditions", nullptr}});
    json exclude = group_ids.empty() ? json::array() : json::array({rng.pick(group_ids)});
    json include_groups = rng.chance(0.5) ? json::array({everyone}) : json::array();
    json network = zone_ids.empty() ? json{{"connection", "ANYWHERE"}}
                                    : json{{"connection", "ZONE"}, {"include", {rng.pick(zone_ids)}}};
    write_seed_json(seed, "policies/" + id + "/rules.json",
                    json::array({{{"id", okta_id(rng, "rul")}, {"type", "ACCESS_POLICY"}, {"status", "ACTIVE"},
                                  {"name", "rule"}, {"priority", 1}, {"system", false},
                                  {"conditions", {{"people", {{"users", {{"include", json::array()}, {"exclude", json::array()}}},
                                                              {"groups", {{"include", include_groups}, {"exclude", exclude}}}}},
                                                  {"network", network}}},
                                  {"actions", {{"appSignOn", {{"access", "ALLOW"},
                                                              {"verificationMethod", {{"type", "ASSURANCE"}, {"factorMode", "2FA"},
                                                                                      {"reauthenticateIn", "PT8H"},
                                                                                      {"constraints", json::array()}}}}}}}},
                                 {{"id", okta_id(rng, "rul")}, {"type", "ACCESS_POLICY"}, {"status", "ACTIVE"},
                                  {"name", "Catch-all Rule"}, {"priority", 99}, {"system", true}, {"conditions", nullptr},
                                  {"actions", {{"appSignOn", {{"access", "DENY"}}}}}}}));
    auto link = json{{"href", "https://acme.okta.com/api/v1/policies/" + id}};
    for (std::size_t a = 0; a < apps.size(); ++a)
      if (rng.chance(0.5)) apps[a]["_links"]["accessPolicy"] = link;
    if (rng.chance(0.5)) console["_links"]["accessPolicy"] = link;
  }
  apps.push_back(console);
  write_seed_json(seed, "apps.json", apps);
  return made;
}

}  // namespace idform::testing::generator
