// Compiles desired policies, groups and named locations into PolicySet (see policy_set.hpp).
// Group membership is closed transitively, as Entra applies a policy to the members of nested
// groups; named locations keep their ranges as bytes so an IP test is a prefix compare.
#include "reconciler/whatif/policy_set.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <functional>
#include <set>

#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::whatif {
namespace {

using model::strings_at;

using nlohmann::json;

constexpr std::string_view kPlatforms[] = {"android", "ios", "windows", "macos", "linux", "windows_phone", "all"};
constexpr std::string_view kClientApps[] = {"browser", "mobile_and_desktop", "exchange_active_sync", "other", "all"};
constexpr std::string_view kRisks[] = {"low", "medium", "high", "none", "hidden", "minor", "moderate", "elevated"};
constexpr std::string_view kGuestTypes[] = {"internal_guest", "b2b_collaboration_guest", "b2b_collaboration_member",
                                            "b2b_direct_connect_user", "other_external_user", "service_provider"};
constexpr std::string_view kUserActions[] = {"register_security_info", "register_device"};
constexpr std::string_view kFlows[] = {"device_code_flow", "authentication_transfer"};

template <size_t N>
std::uint32_t bit_of(const std::string_view (&words)[N], std::string_view word) {
  for (size_t i = 0; i < N; ++i)
    if (words[i] == word) return 1u << i;
  return 0;
}

template <size_t N>
std::uint32_t mask_of(const std::string_view (&words)[N], const std::vector<std::string>& list) {
  std::uint32_t mask = 0;
  for (const std::string& word : list) mask |= bit_of(words, word);
  return mask;
}

std::string text_at(const json& spec, std::string_view path) {
  const json* value = model::find_path(spec, path);
  return value && value->is_string() ? value->get<std::string>() : "";
}

bool flag_at(const json& spec, std::string_view path) {
  const json* value = model::find_path(spec, path);
  return value && value->is_boolean() && value->get<bool>();
}

References references(Symbols& symbols, const std::vector<std::string>& list) {
  References out;
  for (const std::string& element : list) {
    if (element == "all") out.all = true;
    else if (element == "none") out.none = true;
    else if (element == "guests") out.guests = true;
    else if (element == "office365") out.office365 = true;
    else if (element == "microsoft_admin_portals") out.admin_portals = true;
    else if (element == "any") out.any = true;
    else if (element == "all_trusted") out.all_trusted = true;
    else out.ids.push_back(symbols.intern(element.starts_with("user:") ? util::to_lower(element) : element));
  }
  std::sort(out.ids.begin(), out.ids.end());
  return out;
}

std::optional<GuestCondition> guests(const json& spec, const std::string& path) {
  std::vector<std::string> types = strings_at(spec, path + ".types");
  if (types.empty()) return std::nullopt;
  return GuestCondition{mask_of(kGuestTypes, types), strings_at(spec, path + ".external_tenants")};
}

std::optional<Filter> filter(const json& spec, const std::string& path, std::vector<std::string>& problems) {
  std::string rule = text_at(spec, path + ".rule");
  if (rule.empty()) return std::nullopt;
  Filter out;
  out.include = text_at(spec, path + ".mode") != "exclude";
  out.text = rule;
  if (auto parsed = FilterRule::parse(rule)) out.rule = *parsed;
  else problems.push_back(path + ": " + parsed.error().summary);
  return out;
}

std::optional<long long> minutes_of(const std::string& duration) {
  if (duration.empty()) return std::nullopt;
  if (duration == "every_time") return 0;
  char unit = duration.back();
  long long value = 0;
  try {
    value = std::stoll(duration.substr(0, duration.size() - 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return unit == 'd' ? value * 1440 : unit == 'h' ? value * 60 : value;
}

Grant grant_of(const json& spec) {
  Grant grant;
  grant.stated = model::find_path(spec, "grant") != nullptr;
  grant.all_of = text_at(spec, "grant.operator") == "and";
  for (const std::string& control : strings_at(spec, "grant.controls")) {
    if (control == "block") grant.block = true;
    else grant.controls.push_back(control);
  }
  if (std::string strength = text_at(spec, "grant.authentication_strength"); !strength.empty()) grant.controls.push_back(strength);
  for (const std::string& id : strings_at(spec, "grant.terms_of_use")) grant.controls.push_back("terms_of_use:" + id);
  for (const std::string& id : strings_at(spec, "grant.custom_authentication_factors")) grant.controls.push_back("custom:" + id);
  std::sort(grant.controls.begin(), grant.controls.end());
  return grant;
}

Session session_of(const json& spec) {
  Session session;
  session.sign_in_frequency_minutes = minutes_of(text_at(spec, "session.sign_in_frequency"));
  session.persistent_browser = text_at(spec, "session.persistent_browser");
  session.app_enforced_restrictions = flag_at(spec, "session.app_enforced_restrictions");
  session.cloud_app_security = text_at(spec, "session.cloud_app_security");
  if (session.cloud_app_security == "none") session.cloud_app_security.clear();
  session.disable_resilience_defaults = flag_at(spec, "session.disable_resilience_defaults");
  session.secure_sign_in_session = flag_at(spec, "session.secure_sign_in_session");
  return session;
}

Policy policy_of(Symbols& symbols, const model::Resource& resource) {
  const json& spec = resource.spec;
  Policy policy;
  policy.name = resource.name;
  std::string state = text_at(spec, "state");
  policy.state = state == "report-only" ? PolicyState::report_only : state == "disabled" ? PolicyState::disabled : PolicyState::enabled;
  policy.include_users = references(symbols, strings_at(spec, "users.include"));
  policy.exclude_users = references(symbols, strings_at(spec, "users.exclude"));
  policy.include_guests = guests(spec, "users.include_guests_or_external_users");
  policy.exclude_guests = guests(spec, "users.exclude_guests_or_external_users");
  policy.include_apps = references(symbols, strings_at(spec, "applications.include"));
  policy.exclude_apps = references(symbols, strings_at(spec, "applications.exclude"));
  policy.user_actions = mask_of(kUserActions, strings_at(spec, "applications.include_user_actions"));
  policy.authentication_contexts = strings_at(spec, "applications.include_authentication_contexts");
  policy.application_filter = filter(spec, "applications.filter", policy.problems);
  policy.include_service_principals = strings_at(spec, "client_applications.include");
  policy.exclude_service_principals = strings_at(spec, "client_applications.exclude");
  policy.service_principal_filter = filter(spec, "client_applications.filter", policy.problems);
  std::erase(policy.include_service_principals, "none");
  policy.all_service_principals = std::erase(policy.include_service_principals, "all") > 0;
  policy.workload = policy.all_service_principals || !policy.include_service_principals.empty() ||
                    policy.service_principal_filter.has_value();
  policy.include_platforms = mask_of(kPlatforms, strings_at(spec, "platforms.include"));
  policy.exclude_platforms = mask_of(kPlatforms, strings_at(spec, "platforms.exclude"));
  policy.include_locations = references(symbols, strings_at(spec, "locations.include"));
  policy.exclude_locations = references(symbols, strings_at(spec, "locations.exclude"));
  std::vector<std::string> client_apps = strings_at(spec, "client_app_types");
  std::replace(client_apps.begin(), client_apps.end(), std::string("eas_supported"), std::string("exchange_active_sync"));
  policy.client_app_types = mask_of(kClientApps, client_apps);
  policy.sign_in_risk = mask_of(kRisks, strings_at(spec, "sign_in_risk"));
  policy.user_risk = mask_of(kRisks, strings_at(spec, "user_risk"));
  policy.service_principal_risk = mask_of(kRisks, strings_at(spec, "service_principal_risk"));
  policy.insider_risk = mask_of(kRisks, strings_at(spec, "insider_risk"));
  policy.authentication_flows = mask_of(kFlows, strings_at(spec, "authentication_flows"));
  policy.device_filter = filter(spec, "devices.filter", policy.problems);
  policy.grant = grant_of(spec);
  policy.session = session_of(spec);
  return policy;
}

std::optional<std::pair<std::vector<std::uint8_t>, int>> parse_cidr(const std::string& text) {
  std::string address = text;
  int prefix = -1;
  if (auto slash = text.find('/'); slash != std::string::npos) {
    address = text.substr(0, slash);
    try {
      prefix = std::stoi(text.substr(slash + 1));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  unsigned char bytes[16];
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1) return std::pair{std::vector<std::uint8_t>(bytes, bytes + 4), prefix < 0 ? 32 : prefix};
  if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) return std::pair{std::vector<std::uint8_t>(bytes, bytes + 16), prefix < 0 ? 128 : prefix};
  return std::nullopt;
}

bool in_range(const std::vector<std::uint8_t>& address, const std::pair<std::vector<std::uint8_t>, int>& range) {
  if (address.size() != range.first.size()) return false;
  int bits = range.second;
  for (size_t i = 0; i < address.size() && bits > 0; ++i, bits -= 8) {
    std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address[i] & mask) != (range.first[i] & mask)) return false;
  }
  return true;
}

void close_groups(const model::DesiredState& desired, PolicySet& set) {
  // Direct parents first: child group -> groups listing it; user -> groups listing them.
  std::map<std::string, std::set<std::string>> parents, direct;
  for (const model::Resource& resource : desired.resources) {
    if (resource.kind != model::Kind::group || resource.lifecycle == model::Lifecycle::absent) continue;
    for (const std::string& member : strings_at(resource.spec, "members")) {
      if (member.starts_with("group:")) parents[member.substr(6)].insert(resource.name);
      else direct[util::to_lower(member.starts_with("user:") ? member.substr(5) : member)].insert(resource.name);
    }
  }
  std::function<void(const std::string&, std::set<std::string>&)> climb = [&](const std::string& group, std::set<std::string>& out) {
    for (const std::string& parent : parents[group])
      if (out.insert(parent).second) climb(parent, out);
  };
  auto ids = [&](const std::set<std::string>& names) {
    std::vector<int> out;
    for (const std::string& name : names) out.push_back(set.symbols.intern("group:" + name));
    std::sort(out.begin(), out.end());
    return out;
  };
  for (const auto& [email, groups] : direct) {
    std::set<std::string> all = groups;
    for (const std::string& group : groups) climb(group, all);
    set.user_groups[email] = ids(all);
  }
  for (const model::Resource& resource : desired.resources) {
    if (resource.kind != model::Kind::group) continue;
    std::set<std::string> all;
    climb(resource.name, all);
    set.group_parents[set.symbols.intern("group:" + resource.name)] = ids(all);
  }
}

}  // namespace

int Symbols::intern(const std::string& name) {
  auto [it, inserted] = m_ids.try_emplace(name, static_cast<int>(m_ids.size()));
  return it->second;
}

int Symbols::find(const std::string& name) const {
  auto it = m_ids.find(name);
  return it == m_ids.end() ? -1 : it->second;
}

std::vector<std::string> Symbols::names() const {
  std::vector<std::string> out(m_ids.size());
  for (const auto& [name, id] : m_ids) out[static_cast<size_t>(id)] = name;
  return out;
}

bool Session::empty() const {
  return !sign_in_frequency_minutes && persistent_browser.empty() && !app_enforced_restrictions &&
         cloud_app_security.empty() && !disable_resilience_defaults && !secure_sign_in_session;
}

std::uint32_t platform_bit(const std::string& word) { return bit_of(kPlatforms, word); }
std::uint32_t client_app_bit(const std::string& word) { return bit_of(kClientApps, word); }
std::uint32_t risk_bit(const std::string& word) { return bit_of(kRisks, word); }
std::uint32_t guest_type_bit(const std::string& word) { return bit_of(kGuestTypes, word); }

PolicySet compile(const model::DesiredState& desired, std::vector<std::string> emergency_access) {
  PolicySet set;
  set.emergency_access = std::move(emergency_access);
  std::vector<const model::Resource*> policies;
  for (const model::Resource& resource : desired.resources) {
    if (resource.lifecycle == model::Lifecycle::absent) continue;
    if (resource.kind == model::Kind::conditional_access_policy) policies.push_back(&resource);
    if (resource.kind == model::Kind::named_location) {
      NamedLocation location;
      location.id = set.symbols.intern("location:" + resource.name);
      location.trusted = flag_at(resource.spec, "trusted");
      for (const std::string& cidr : strings_at(resource.spec, "ip_ranges"))
        if (auto range = parse_cidr(cidr)) location.ranges.push_back(*range);
      for (const std::string& country : strings_at(resource.spec, "countries")) location.countries.push_back(util::to_upper(country));
      location.include_unknown_countries = flag_at(resource.spec, "include_unknown_countries");
      set.locations.push_back(std::move(location));
    }
  }
  std::sort(policies.begin(), policies.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
  for (const model::Resource* policy : policies) set.policies.push_back(policy_of(set.symbols, *policy));
  close_groups(desired, set);
  return set;
}

SignIn resolve(const PolicySet& set, const Scenario& scenario) {
  SignIn in;
  auto symbol = [&](const std::string& name) { return set.symbols.find(name); };
  if (!scenario.user.empty()) {
    in.user = symbol("user:" + scenario.user);
    if (auto found = set.user_groups.find(scenario.user); found != set.user_groups.end()) in.groups = found->second;
  }
  for (const std::string& group : scenario.groups) {
    int id = symbol("group:" + group);
    if (id < 0) continue;
    in.groups.push_back(id);
    if (auto found = set.group_parents.find(id); found != set.group_parents.end())
      in.groups.insert(in.groups.end(), found->second.begin(), found->second.end());
  }
  std::sort(in.groups.begin(), in.groups.end());
  in.groups.erase(std::unique(in.groups.begin(), in.groups.end()), in.groups.end());
  for (const std::string& role : scenario.roles)
    if (int id = symbol("role:" + role); id >= 0) in.roles.push_back(id);
  std::sort(in.roles.begin(), in.roles.end());
  in.guest_type = guest_type_bit(scenario.guest_type);
  in.guest_tenant = scenario.guest_tenant;
  in.service_principal = scenario.service_principal.starts_with("id:") ? scenario.service_principal.substr(3) : scenario.service_principal;
  in.office365 = scenario.application == "office365";
  in.admin_portals = scenario.application == "microsoft_admin_portals";
  in.no_application = scenario.application.empty();
  if (!scenario.application.empty()) in.application = symbol("app:" + scenario.application);
  in.user_action = bit_of(kUserActions, scenario.user_action);
  in.authentication_context = scenario.authentication_context;
  in.application_attributes = scenario.application_attributes;
  in.device = scenario.device;
  in.platform = platform_bit(scenario.platform);
  in.client_app = client_app_bit(scenario.client_app);
  std::optional<std::pair<std::vector<std::uint8_t>, int>> ip = scenario.ip.empty() ? std::nullopt : parse_cidr(scenario.ip);
  for (const NamedLocation& location : set.locations) {
    bool inside = !scenario.location.empty() && symbol("location:" + scenario.location) == location.id;
    for (const auto& range : location.ranges) inside = inside || (ip && in_range(ip->first, range));
    if (!scenario.country.empty())
      inside = inside || std::find(location.countries.begin(), location.countries.end(), scenario.country) != location.countries.end();
    else if (!location.countries.empty() && location.include_unknown_countries && scenario.location.empty())
      inside = true;
    if (!inside) continue;
    in.locations.push_back(location.id);
    in.trusted = in.trusted || location.trusted;
  }
  std::sort(in.locations.begin(), in.locations.end());
  in.sign_in_risk = risk_bit(scenario.sign_in_risk);
  in.user_risk = risk_bit(scenario.user_risk);
  in.service_principal_risk = risk_bit(scenario.service_principal_risk);
  in.insider_risk = risk_bit(scenario.insider_risk);
  in.authentication_flow = bit_of(kFlows, scenario.authentication_flow);
  return in;
}

}  // namespace idform::whatif
