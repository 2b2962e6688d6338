// Maps an idform conditional access policy to an Okta app sign-in policy with one rule, and back.
#include "providers/okta/policy_mapping.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "providers/okta/json_fields.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

using model::strings_at;

using nlohmann::json;

constexpr const char* kPhishingResistant = "authentication_strength:Phishing-resistant MFA";

// Any constraint set of the assurance requires a phishing-resistant possession factor: Okta's
// counterpart of Entra's built-in phishing-resistant authentication strength.
bool requires_phishing_resistance(const json& verification) {
  const json& constraints = items(verification, "constraints");
  if (constraints.empty()) return false;
  for (const json& constraint : constraints)
    if (text(child(constraint, "possession"), "phishingResistant") != "REQUIRED") return false;
  return true;
}

struct Platform {
  std::string_view word;
  std::string_view type;
  std::string_view os;
};

constexpr Platform kPlatforms[] = {{"all", "ANY", "ANY"},          {"android", "MOBILE", "ANDROID"},
                                   {"ios", "MOBILE", "IOS"},        {"windows", "DESKTOP", "WINDOWS"},
                                   {"macos", "DESKTOP", "MACOS"},   {"linux", "DESKTOP", "LINUX"}};

long long priority_of(const json& rule) {
  return rule.is_object() && rule.contains("priority") && rule["priority"].is_number_integer()
             ? rule["priority"].get<long long>()
             : 0;
}

std::string platform_word(const json& entry) {
  std::string type = text(entry, "type", "ANY");
  std::string os = text(child(entry, "os"), "type", "ANY");
  for (const Platform& platform : kPlatforms)
    if (platform.type == type && platform.os == os) return std::string(platform.word);
  return "okta:" + type + "/" + os;  // visible in plans; the config has no word for it
}

json platform_entry(const std::string& word) {
  for (const Platform& platform : kPlatforms)
    if (platform.word == word) return {{"type", platform.type}, {"os", {{"type", platform.os}}}};
  return nullptr;
}

const json* stated(const json& spec, std::string_view path) {
  const json* value = spec.is_object() ? model::find_path(spec, path) : nullptr;
  return value && !value->is_null() ? value : nullptr;
}

json& object_at(json& parent, const char* key) {
  if (!parent.contains(key) || !parent[key].is_object()) parent[key] = json::object();
  return parent[key];
}

json people_side(const json& people, const char* side, const NameIndex& names) {
  json out = json::array();
  for (const std::string& id : texts(child(people, "users"), side)) out.push_back(names.user(id));
  for (const std::string& id : texts(child(people, "groups"), side)) out.push_back(names.group(id));
  return out;
}

// The config spec of a rule's conditions and actions.
void read_rule(const json& rule, const NameIndex& names, json& spec) {
  json conditions = child(rule, "conditions");
  json people = child(conditions, "people");
  json include = people_side(people, "include", names);
  if (include.empty()) include.push_back("all");
  spec["users"] = {{"include", include}, {"exclude", people_side(people, "exclude", names)}};

  json network = child(conditions, "network");
  json zones_in = json::array(), zones_out = json::array();
  if (text(network, "connection", "ANYWHERE") == "ZONE") {
    for (const std::string& id : texts(network, "include")) zones_in.push_back(names.location(id));
    for (const std::string& id : texts(network, "exclude")) zones_out.push_back(names.location(id));
  }
  if (zones_in.empty()) zones_in.push_back("any");
  spec["locations"] = {{"include", zones_in}, {"exclude", zones_out}};

  json platform = child(conditions, "platform");
  json platforms_in = json::array(), platforms_out = json::array();
  for (const auto& entry : items(platform, "include")) platforms_in.push_back(platform_word(entry));
  for (const auto& entry : items(platform, "exclude")) platforms_out.push_back(platform_word(entry));
  if (platforms_in.empty()) platforms_in.push_back("all");
  spec["platforms"] = {{"include", platforms_in}, {"exclude", platforms_out}};

  std::string risk = text(child(conditions, "riskScore"), "level", "ANY");
  spec["sign_in_risk"] = risk == "ANY" ? json::array() : json::array({util::to_lower(risk)});
  spec["client_app_types"] = json::array({"all"});
  spec["user_risk"] = json::array();

  json sign_on = child(child(rule, "actions"), "appSignOn");
  json verification = child(sign_on, "verificationMethod");
  json session = {{"app_enforced_restrictions", false}};
  if (text(sign_on, "access", "ALLOW") == "DENY") {
    spec["grant"] = {{"operator", "or"}, {"controls", json::array({"block"})}};
  } else {
    bool two_factors = text(verification, "factorMode") == "2FA";
    spec["grant"] = {{"operator", "or"}, {"controls", two_factors ? json::array({"mfa"}) : json::array()}};
    if (two_factors && requires_phishing_resistance(verification))
      spec["grant"]["authentication_strength"] = kPhishingResistant;
    if (std::string frequency = duration_from_iso(text(verification, "reauthenticateIn")); !frequency.empty())
      session["sign_in_frequency"] = frequency;
  }
  if (text(child(sign_on, "keepMeSignedIn"), "postAuth") == "NOT_ALLOWED") session["persistent_browser"] = "never";
  spec["session"] = std::move(session);
}

Result<json> resolved_ids(const IdResolver& ids, const std::vector<std::string>& references) {
  json out = json::array();
  for (const std::string& reference : references) out.push_back(IDFORM_TRY(ids.id_of(reference)));
  return out;
}

Result<void> apply_people(json& conditions, const json& spec, const IdResolver& ids) {
  for (const char* side : {"include", "exclude"}) {
    std::string path = std::string("users.") + side;
    if (!stated(spec, path)) continue;
    std::vector<std::string> users, groups;
    for (const std::string& element : strings_at(spec, path)) {
      model::Reference ref = model::Reference::parse(element);
      if (ref.type == "user") users.push_back(element);
      else if (ref.type == "group") groups.push_back(element);
      // "all" is the absence of a people condition; other words are refused by check().
    }
    json& people = object_at(conditions, "people");
    object_at(people, "users")[side] = IDFORM_TRY(resolved_ids(ids, users));
    object_at(people, "groups")[side] = IDFORM_TRY(resolved_ids(ids, groups));
  }
  json& people = object_at(conditions, "people");
  for (const char* kind : {"users", "groups"})
    for (const char* side : {"include", "exclude"})
      if (!object_at(people, kind).contains(side)) people[kind][side] = json::array();
  return {};
}

Result<void> apply_network(json& conditions, const json& spec, const IdResolver& ids) {
  if (!stated(spec, "locations.include") && !stated(spec, "locations.exclude")) return {};
  json current = child(conditions, "network");
  bool zoned = text(current, "connection", "ANYWHERE") == "ZONE";
  json include = zoned ? items(current, "include") : json::array();
  json exclude = zoned ? items(current, "exclude") : json::array();
  auto zones = [&](const char* path) -> Result<json> {
    std::vector<std::string> references;
    for (const std::string& element : strings_at(spec, path))
      if (element != "any") references.push_back(element);
    return resolved_ids(ids, references);
  };
  if (stated(spec, "locations.include")) include = IDFORM_TRY(zones("locations.include"));
  if (stated(spec, "locations.exclude")) exclude = IDFORM_TRY(zones("locations.exclude"));
  json network = {{"connection", "ANYWHERE"}};
  if (!include.empty() || !exclude.empty()) {
    network["connection"] = "ZONE";
    if (!include.empty()) network["include"] = include;
    if (!exclude.empty()) network["exclude"] = exclude;
  }
  conditions["network"] = std::move(network);
  return {};
}

void apply_platform(json& conditions, const json& spec) {
  if (!stated(spec, "platforms.include") && !stated(spec, "platforms.exclude")) return;
  json current = child(conditions, "platform");
  json include = items(current, "include"), exclude = items(current, "exclude");
  auto entries = [&](const char* path) {
    json out = json::array();
    for (const std::string& word : strings_at(spec, path))
      if (json entry = platform_entry(word); !entry.is_null()) out.push_back(entry);
    return out;
  };
  if (stated(spec, "platforms.include")) include = entries("platforms.include");
  if (stated(spec, "platforms.exclude")) exclude = entries("platforms.exclude");
  bool everything = include.empty() || (include.size() == 1 && platform_word(include[0]) == "all");
  if (everything && exclude.empty()) {
    conditions.erase("platform");
    return;
  }
  if (include.empty()) include.push_back(platform_entry("all"));
  conditions["platform"] = {{"include", include}, {"exclude", exclude}};
}

// The verification method of a rule that asks for a phishing-resistant possession factor.
void require_phishing_resistance(json& verification) {
  verification["type"] = "ASSURANCE";
  verification["factorMode"] = "2FA";
  verification["constraints"] = json::array({{{"possession", {{"phishingResistant", "REQUIRED"}}}}});
}

Result<void> apply_actions(json& rule, const json& spec) {
  json& actions = object_at(rule, "actions");
  json& sign_on = object_at(actions, "appSignOn");
  if (!sign_on.contains("access") || !sign_on["access"].is_string()) sign_on["access"] = "ALLOW";
  if (stated(spec, "grant.controls")) {
    std::vector<std::string> controls = strings_at(spec, "grant.controls");
    bool block = std::find(controls.begin(), controls.end(), "block") != controls.end();
    bool mfa = std::find(controls.begin(), controls.end(), "mfa") != controls.end();
    sign_on["access"] = block ? "DENY" : "ALLOW";
    if (block) {
      sign_on.erase("verificationMethod");
    } else {
      json& verification = object_at(sign_on, "verificationMethod");
      if (text(verification, "type", "ASSURANCE") != "ASSURANCE") verification = json::object();
      verification["type"] = "ASSURANCE";
      verification["factorMode"] = mfa ? "2FA" : "1FA";
    }
  }
  if (const json* strength = stated(spec, "grant.authentication_strength")) {
    if (*strength != kPhishingResistant)
      return fail("grant.authentication_strength " + strength->dump() + " has no Okta counterpart");
    if (sign_on["access"] == "ALLOW") require_phishing_resistance(object_at(sign_on, "verificationMethod"));
  }
  if (sign_on["access"] == "ALLOW") {
    json& verification = object_at(sign_on, "verificationMethod");
    if (!verification.contains("type")) verification["type"] = "ASSURANCE";
    if (!verification.contains("factorMode") && verification["type"] == "ASSURANCE") verification["factorMode"] = "1FA";
  }
  if (const json* frequency = stated(spec, "session.sign_in_frequency")) {
    if (sign_on["access"] != "ALLOW")
      return fail("session.sign_in_frequency cannot be set on a rule that denies access (grant: block)");
    std::string iso = iso_from_duration(frequency->get<std::string>());
    if (iso.empty()) return fail("session.sign_in_frequency \"" + frequency->get<std::string>() + "\" is not a duration Okta takes");
    sign_on["verificationMethod"]["reauthenticateIn"] = iso;
  }
  if (const json* browser = stated(spec, "session.persistent_browser"))
    object_at(sign_on, "keepMeSignedIn")["postAuth"] = *browser == "never" ? "NOT_ALLOWED" : "ALLOWED";
  return {};
}

}  // namespace

std::string duration_from_iso(const std::string& iso) {
  if (iso.size() < 3 || iso[0] != 'P') return "";
  long long minutes = 0, seconds = 0, number = 0;
  bool time = false, digits = false;
  for (size_t i = 1; i < iso.size(); ++i) {
    char c = iso[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      number = number * 10 + (c - '0');
      digits = true;
      continue;
    }
    if (c == 'T') {
      time = true;
      continue;
    }
    if (!digits) return "";
    if (c == 'D' && !time) minutes += number * 24 * 60;
    else if (c == 'W' && !time) minutes += number * 7 * 24 * 60;
    else if (c == 'H' && time) minutes += number * 60;
    else if (c == 'M' && time) minutes += number;
    else if (c == 'S' && time) seconds += number;
    else return "";
    number = 0;
    digits = false;
  }
  if (digits) return "";
  minutes += seconds / 60;
  if (seconds % 60 != 0) return "";
  if (minutes == 0) return "every_time";
  if (minutes % 60 == 0) return std::to_string(minutes / 60) + "h";
  return std::to_string(minutes) + "m";
}

std::string iso_from_duration(const std::string& duration) {
  if (duration == "every_time") return "PT0S";
  if (duration.size() < 2) return "";
  std::string digits = duration.substr(0, duration.size() - 1);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return "";
  long long value = std::stoll(digits);
  switch (duration.back()) {
    case 'm': return "PT" + std::to_string(value) + "M";
    case 'h': return "PT" + std::to_string(value) + "H";
    case 'd': return "PT" + std::to_string(value * 24) + "H";
  }
  return "";
}

const json* primary_rule(const std::vector<json>& rules) {
  const json* best = nullptr;
  for (const json& rule : rules) {
    if (flag(rule, "system")) continue;
    if (!best || priority_of(rule) < priority_of(*best)) best = &rule;
  }
  return best;
}

int own_rule_count(const std::vector<json>& rules) {
  return static_cast<int>(std::count_if(rules.begin(), rules.end(), [](const json& rule) { return !flag(rule, "system"); }));
}

bool unfinished_policy(const json& policy, const std::vector<json>& rules, const std::vector<std::string>& apps) {
  return !flag(policy, "system") && own_rule_count(rules) == 0 && apps.empty();
}

model::Resource policy_resource(const json& policy, const std::vector<json>& rules, const std::vector<std::string>& apps,
                                const NameIndex& names) {
  model::Resource resource;
  resource.kind = model::Kind::conditional_access_policy;
  resource.id = text(policy, "id");
  resource.name = text(policy, "name");
  // Okta's default policy, and policies with several rules (more than the config kind can say).
  resource.read_only = flag(policy, "system") || own_rule_count(rules) > 1;
  json& spec = resource.spec;
  spec["state"] = text(policy, "status", "ACTIVE") == "INACTIVE" ? "disabled" : "enabled";
  json attached = json::array();
  for (const std::string& app : apps) attached.push_back(names.app(app));
  spec["applications"] = {{"include", attached}, {"exclude", json::array()}};
  const json* rule = primary_rule(rules);
  if (!rule)
    for (const json& candidate : rules)
      if (flag(candidate, "system")) rule = &candidate;  // the Catch-all Rule, applied to everyone
  if (rule) read_rule(*rule, names, spec);
  return resource;
}

Result<void> apply_rule_fields(json& rule, const json& spec, const IdResolver& ids) {
  for (const char* key : {"_links", "id", "created", "lastUpdated", "status"}) rule.erase(key);
  rule["type"] = "ACCESS_POLICY";
  if (!rule.contains("conditions") || !rule["conditions"].is_object()) rule["conditions"] = json::object();
  json& conditions = rule["conditions"];
  IDFORM_TRY(apply_people(conditions, spec, ids));
  IDFORM_TRY(apply_network(conditions, spec, ids));
  apply_platform(conditions, spec);
  if (stated(spec, "sign_in_risk")) {
    std::vector<std::string> levels = strings_at(spec, "sign_in_risk");
    conditions["riskScore"] = {{"level", levels.empty() ? "ANY" : util::to_upper(levels.front())}};
  }
  return apply_actions(rule, spec);
}

}  // namespace idform::providers::okta
