// Seeding the Okta tenant from vendor-native JSON: each file holds one object or a JSON array of
// objects exactly as an Okta API returns them (a GET or a list page), so a real org export or
// Okta's documentation examples load unchanged. Convention (docs/idp-sim-okta.md, "Seed directories"):
//  1. Files are read recursively in path order. `*-request.json` files (request bodies) are skipped;
//     files under `_sim/` configure the simulator (api-tokens.json, service-apps.json).
//  2. Okta payloads carry no type tag, so each object's kind comes from its shape: signOnMode -> app;
//     objectClass or a group type -> group; profile.login -> user; IP/DYNAMIC/DYNAMIC_V2 -> zone;
//     a policy type -> policy, or rule when it has `actions` or a `/rules/` self link; `_links.app`
//     plus `_links.group` -> app group assignment; scopeId plus clientId -> OAuth scope grant.
//     Error bodies, token responses, JWKS and objects without an id are skipped with a note.
//  3. Parents come from the file's path when it mirrors an API URL (`groups/{id}/users.json`,
//     `apps/{id}/groups.json`, `policies/{id}/rules.json`) or else from the object's own links
//     (`_links.app`, a rule's `_links.self`); Okta's documentation placeholders such as "{policyId}"
//     are read as the bare name.
//  4. An object that appears in several files is loaded once; when the copies differ, the later
//     file (in path order) wins and a warning names both.
#include <set>

#include "core/seed_files.hpp"
#include "okta/okta_flavor.hpp"
#include "okta/okta_json.hpp"

namespace idp_sim::okta {

namespace {

const std::set<std::string> kGroupTypes = {"OKTA_GROUP", "APP_GROUP", "BUILT_IN"};
const std::set<std::string> kZoneTypes = {"IP", "DYNAMIC", "DYNAMIC_V2"};
const std::set<std::string> kPolicyTypes = {"OKTA_SIGN_ON", "ACCESS_POLICY", "MFA_ENROLL", "PASSWORD",
                                            "IDP_DISCOVERY", "PROFILE_ENROLLMENT", "POST_AUTH_SESSION",
                                            "ENTITY_RISK", "DEVICE_SIGNAL_COLLECTION",
                                            "SESSION_VIOLATION_DETECTION", "CLIENT_UPDATE",
                                            "IDENTITY_CLAIM_SOURCING"};
const std::set<std::string> kRuleTypes = {"SIGN_ON", "ACCESS_POLICY", "MFA_ENROLL", "PASSWORD", "IDP_DISCOVERY",
                                          "PROFILE_ENROLLMENT", "POST_AUTH_SESSION", "ENTITY_RISK",
                                          "DEVICE_SIGNAL_COLLECTION", "SESSION_VIOLATION_DETECTION",
                                          "CLIENT_UPDATE", "IDENTITY_CLAIM_SOURCING"};

enum class Kind { skip, group, user, app, zone, policy, rule, assignment, grant };

// The parent a file's path names: "groups/00g.../users.json" -> {"groups", "00g...", "users"}.
struct PathHint {
  std::string collection;
  std::string parent;
  std::string relation;
};

PathHint hint_from(const std::string& relative_path) {
  auto parts = split(relative_path, '/');
  PathHint hint;
  if (parts.size() >= 3) {
    std::string last = parts.back();
    if (last.size() > 5 && last.ends_with(".json")) last = last.substr(0, last.size() - 5);
    hint = {parts[parts.size() - 3], parts[parts.size() - 2], last};
  }
  return hint;
}

bool has_link(const Json& object, const std::string& link) { return !linked_id(object, link).empty(); }

std::string self_href(const Json& object) {
  auto href = object.contains("_links") && object["_links"].is_object() && object["_links"].contains("self") &&
                      object["_links"]["self"].is_object()
                  ? object["_links"]["self"].value("href", "")
                  : std::string();
  return href;
}

// ".../policies/{policyId}/rules/{ruleId}" -> "policyId"
std::string policy_of_rule_href(const std::string& href) {
  auto at = href.find("/policies/");
  if (at == std::string::npos) return {};
  std::string rest = href.substr(at + 10);
  std::string id = rest.substr(0, rest.find('/'));
  if (id.size() > 2 && id.front() == '{' && id.back() == '}') id = id.substr(1, id.size() - 2);
  return id;
}

Kind classify(const Json& item, const PathHint& hint, std::string& why) {
  if (!item.is_object()) {
    why = "not a JSON object";
    return Kind::skip;
  }
  if (item.contains("errorCode")) {
    why = "an error body";
    return Kind::skip;
  }
  if (item.contains("scopeId") && item.contains("clientId")) return Kind::grant;
  if (!item.contains("id") || !item["id"].is_string()) {
    why = "no id (a request, token response, JWKS or other non-resource payload)";
    return Kind::skip;
  }
  std::string type = item.value("type", Json()).is_string() ? item["type"].get<std::string>() : std::string();
  if (item.contains("signOnMode")) return Kind::app;
  if (item.contains("objectClass") || kGroupTypes.count(type)) return Kind::group;
  if (item.contains("profile") && item["profile"].is_object() && item["profile"].contains("login")) return Kind::user;
  if (kZoneTypes.count(type)) return Kind::zone;
  if (type == "group_rule") {
    why = "a group rule (not emulated)";
    return Kind::skip;
  }
  bool rule_shaped = item.contains("actions") || self_href(item).find("/rules/") != std::string::npos ||
                     (hint.collection == "policies" && hint.relation == "rules");
  if (rule_shaped && kRuleTypes.count(type)) return Kind::rule;
  if (kPolicyTypes.count(type)) return Kind::policy;
  if ((has_link(item, "app") && has_link(item, "group")) || (hint.collection == "apps" && hint.relation == "groups")) {
    return Kind::assignment;
  }
  why = "its kind could not be recognised";
  return Kind::skip;
}

class Loader {
public:
  Loader(TenantData& data, CursorIndex& cursors, OktaAuth& auth, SeedReport& report)
      : m_data(data), m_cursors(cursors), m_auth(auth), m_report(report) {}

  void load(const SeedDocument& document) {
    const std::string& source = document.relative_path;
    if (source.rfind("_sim/", 0) == 0) return load_sim_file(document);
    if (source.ends_with("-request.json")) return;
    PathHint hint = hint_from(source);
    auto items = document.json.is_array() ? std::vector<Json>(document.json.begin(), document.json.end())
                                          : std::vector<Json>{document.json};
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string why;
      Kind kind = classify(items[i], hint, why);
      std::string where = source + (items.size() > 1 ? " item " + std::to_string(i) : "");
      switch (kind) {
        case Kind::skip:
          m_report.warnings.push_back(where + ": skipped, " + why);
          break;
        case Kind::group:
          put(kGroups, items[i], where);
          break;
        case Kind::user:
          put(kUsers, items[i], where);
          if (hint.collection == "groups" && hint.relation == "users") {
            link(kGroupMembers, hint.parent, items[i], kUsers);
          }
          break;
        case Kind::app:
          put(kApps, items[i], where);
          break;
        case Kind::zone:
          put(kZones, items[i], where);
          break;
        case Kind::policy:
          put(kPolicies, items[i], where);
          break;
        case Kind::rule: {
          std::string policy = hint.collection == "policies" ? hint.parent : policy_of_rule_href(self_href(items[i]));
          put(kRules, items[i], where);
          if (!policy.empty()) link(kPolicyRuleLinks, policy, items[i], kRules);
          break;
        }
        case Kind::assignment: {
          std::string app = hint.collection == "apps" ? hint.parent : linked_id(items[i], "app");
          std::string group = items[i]["id"].get<std::string>();
          Json stored = items[i];
          put_with_id(kAppGroups, app + "/" + group, std::move(stored), where);
          link(kAppGroupLinks, app, items[i], kGroups);
          break;
        }
        case Kind::grant:
          if (items[i].value("status", "ACTIVE") == "ACTIVE" && items[i]["scopeId"].is_string() &&
              items[i]["clientId"].is_string()) {
            m_auth.grant_scopes(items[i]["clientId"].get<std::string>(), {items[i]["scopeId"].get<std::string>()});
          }
          break;
      }
    }
  }

private:
  void put(const std::string& collection, const Json& item, const std::string& where) {
    put_with_id(collection, item["id"].get<std::string>(), item, where);
  }

  void put_with_id(const std::string& collection, const std::string& id, Json item, const std::string& where) {
    auto& target = m_data.collection(collection);
    std::string key = collection + "/" + id;
    if (Record* existing = target.find(id)) {
      if (existing->data != item) {
        m_report.warnings.push_back(where + ": " + collection + " " + id + " differs from the copy in " +
                                    m_sources[key] + "; using this one");
        existing->data = std::move(item);
        m_sources[key] = where;
      }
      return;
    }
    std::uint64_t sequence = m_data.take_sequence();
    target.insert(id, std::move(item), sequence, 0);
    remember_cursor(m_cursors, collection, id, sequence);
    m_sources[key] = where;
    ++m_report.objects;
  }

  void link(const std::string& relation, const std::string& parent, const Json& child, const std::string& kind) {
    std::string child_id = child["id"].get<std::string>();
    auto& set = m_data.relation(relation);
    if (set.find(parent, child_id)) return;
    Link entry;
    entry.child_id = child_id;
    entry.child_kind = kind;
    entry.sequence = m_data.take_sequence();
    remember_cursor(m_cursors, relation + "/" + parent, child_id, entry.sequence);
    set.add(parent, std::move(entry));
    ++m_report.links;
  }

  void load_sim_file(const SeedDocument& document) {
    const std::string& source = document.relative_path;
    const Json& json = document.json;
    if (source == "_sim/api-tokens.json" && json.is_array()) {
      for (const auto& entry : json) {
        if (entry.is_string()) m_auth.add_api_token(entry.get<std::string>());
        if (entry.is_object() && entry.contains("token") && entry["token"].is_string()) {
          m_auth.add_api_token(entry["token"].get<std::string>());
        }
      }
    } else if (source == "_sim/service-apps.json" && json.is_array()) {
      for (const auto& app : json) load_service_app(app, source);
    } else {
      m_report.warnings.push_back(source + ": unknown idp-sim configuration file; expected _sim/api-tokens.json "
                                           "(array of tokens) or _sim/service-apps.json");
    }
  }

  void load_service_app(const Json& app, const std::string& source) {
    std::string client_id = app.is_object() ? app.value("client_id", "") : "";
    if (client_id.empty()) {
      m_report.warnings.push_back(source + ": a service app without client_id; skipped");
      return;
    }
    std::string error;
    std::optional<KeyList> keys;
    if (app.contains("jwks")) keys = OktaAuth::keys_from_jwks(app["jwks"], error);
    if (app.contains("public_key") && app["public_key"].is_string()) {
      keys = OktaAuth::keys_from_text(app["public_key"].get<std::string>(), error);
    }
    if (!keys) {
      m_report.warnings.push_back(source + ": service app " + client_id + ": " +
                                  (error.empty() ? "needs jwks or public_key" : error));
    } else {
      m_auth.add_client_keys(client_id, *keys);
    }
    std::vector<std::string> scopes;
    for (const auto& scope : app.value("scopes", Json::array())) {
      if (scope.is_string()) scopes.push_back(scope.get<std::string>());
    }
    m_auth.grant_scopes(client_id, scopes);
  }

  TenantData& m_data;
  CursorIndex& m_cursors;
  OktaAuth& m_auth;
  SeedReport& m_report;
  std::map<std::string, std::string> m_sources;
};

}  // namespace

SeedReport load_okta_seed(const std::filesystem::path& directory, TenantData& data, CursorIndex& cursors,
                          OktaAuth& auth) {
  SeedReport report;
  Loader loader(data, cursors, auth, report);
  for (const auto& document : read_seed_documents(directory)) loader.load(document);
  return report;
}

}  // namespace idp_sim::okta
