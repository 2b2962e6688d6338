// /api/v1/zones: network zones (spec operations listNetworkZones, createNetworkZone,
// getNetworkZone, replaceNetworkZone, deleteNetworkZone, activateNetworkZone,
// deactivateNetworkZone; IPNetworkZone, DynamicNetworkZone, EnhancedDynamicNetworkZone schemas).
//  - IP zones need gateways or proxies ({type: CIDR|RANGE, value}); at most 150 entries each for
//    policy zones and 1000 for blocklist zones;
//  - DYNAMIC zones need one of asns, locations ({country, region}) or proxyType; DYNAMIC_V2 one of
//    asns, locations, ipServiceCategories;
//  - a replace cannot change the type; an ACTIVE zone, a system zone or a zone used by a policy
//    rule cannot be deleted (403).
#include "okta/okta_errors.hpp"
#include "okta/okta_flavor.hpp"
#include "okta/okta_json.hpp"
#include "okta/scim_filter.hpp"

namespace idp_sim::okta {

namespace {

constexpr std::size_t kPolicyZoneMaxEntries = 150;
constexpr std::size_t kBlocklistZoneMaxEntries = 1000;

SimResponse zone_not_found(const std::string& id) { return resource_not_found(id, "NetworkZone"); }

std::string zone_path(const std::string& id) { return "/api/v1/zones/" + id; }

void set_zone_links(OktaCall& call, Json& zone) {
  std::string id = zone.value("id", "");
  std::string action = zone.value("status", "ACTIVE") == "ACTIVE" ? "deactivate" : "activate";
  zone["_links"] = {
      {"self", {{"href", call.href(zone_path(id))}, {"hints", {{"allow", Json::array({"GET", "PUT", "DELETE"})}}}}},
      {action,
       {{"href", call.href(zone_path(id) + "/lifecycle/" + action)}, {"hints", {{"allow", Json::array({"POST"})}}}}}};
}

bool has_entries(const Json& zone, const std::string& key) {
  if (!zone.contains(key)) return false;
  const Json& value = zone[key];
  if (value.is_array()) return !value.empty();
  if (value.is_object()) {  // DYNAMIC_V2: {include: [...], exclude: [...]}
    for (const auto& [name, list] : value.items()) {
      if (list.is_array() && !list.empty()) return true;
    }
    return false;
  }
  return value.is_string() && !value.get<std::string>().empty();
}

std::optional<SimResponse> check_addresses(const Json& zone, const std::string& key, std::size_t max_entries) {
  if (!zone.contains(key) || !zone[key].is_array()) return std::nullopt;
  const Json& list = zone[key];
  if (list.size() > max_entries) {
    return field_error(key, "At most " + std::to_string(max_entries) + " entries are allowed");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& entry = list[i];
    std::string path = key + "[" + std::to_string(i) + "]";
    std::string type = entry.value("type", "");
    std::string value = entry.value("value", "");
    if (type != "CIDR" && type != "RANGE") return field_error(path + ".type", "The value must be CIDR or RANGE");
    if (value.empty()) return field_error(path + ".value", "The field cannot be left blank");
    if (type == "CIDR" && value.find('/') == std::string::npos) {
      return field_error(path + ".value", "'" + value + "' is not an address in CIDR form");
    }
    if (type == "RANGE" && value.find('-') == std::string::npos) {
      return field_error(path + ".value", "'" + value + "' is not an address range (first-last)");
    }
  }
  return std::nullopt;
}

std::optional<SimResponse> check_zone(OktaCall& call, const Json& zone, const std::string& own_id) {
  std::string type = zone.value("type", "");
  std::string usage = zone.value("usage", "POLICY");
  if (type == "IP") {
    if (!has_entries(zone, "gateways") && !has_entries(zone, "proxies")) {
      return field_error("gateways", "An IP zone needs gateways or proxies");
    }
    std::size_t max = usage == "BLOCKLIST" ? kBlocklistZoneMaxEntries : kPolicyZoneMaxEntries;
    if (auto error = check_addresses(zone, "gateways", max)) return error;
    if (auto error = check_addresses(zone, "proxies", max)) return error;
  } else if (type == "DYNAMIC") {
    if (!has_entries(zone, "asns") && !has_entries(zone, "locations") && !has_entries(zone, "proxyType")) {
      return field_error("locations", "A DYNAMIC zone needs asns, locations or proxyType");
    }
  } else if (type == "DYNAMIC_V2") {
    if (!has_entries(zone, "asns") && !has_entries(zone, "locations") && !has_entries(zone, "ipServiceCategories")) {
      return field_error("locations", "A DYNAMIC_V2 zone needs asns, locations or ipServiceCategories");
    }
  }
  std::string name = zone.value("name", "");
  if (trim(name).empty()) return field_error("name", "The field cannot be left blank");
  for (auto* record : call.data.collection(kZones).ordered_mutable()) {
    if (!record->deleted_at && record->id != own_id && record->data.value("name", "") == name) {
      return field_error("name", "A network zone with this name already exists");
    }
  }
  return std::nullopt;
}

// Copies the writable properties of a request body into a zone object.
void copy_writable(const Json& body, Json& zone) {
  for (const auto& [key, value] : body.items()) {
    if (key == "id" || key == "created" || key == "lastUpdated" || key == "system" || key == "_links") continue;
    zone[key] = value;
  }
}

SimResponse list_zones(OktaCall& call) {
  auto filter = call.request.query_value("filter");
  std::optional<FilterExpression> expression;
  if (filter) {
    std::string error;
    expression = FilterExpression::parse(*filter, {{"id", "usage", "system"}, {"eq"}, true}, error);
    if (!expression) return invalid_search(error);
  }
  std::vector<ListRow> rows;
  for (auto* record : readable_records(call, kZones)) {
    if (expression && !expression->matches(record->data)) continue;
    rows.push_back({record->sequence, record->id, record->data});
  }
  // spec listNetworkZones: limit default -1 (all zones).
  return list_response(call, std::move(rows), {kZones, 0, 1000, true});
}

SimResponse create_zone(OktaCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = check_schema(*body, "NetworkZone", WriteKind::create)) return *error;
  if (auto error = check_zone(call, *body, "")) return *error;
  std::string id = new_object_id("nzo");
  std::string now = okta_timestamp();
  Json zone = Json::object();
  zone["type"] = (*body)["type"];
  zone["id"] = id;
  zone["name"] = (*body)["name"];
  zone["status"] = body->value("status", "ACTIVE");
  zone["usage"] = body->value("usage", "POLICY");
  zone["created"] = now;
  zone["lastUpdated"] = now;
  zone["system"] = false;
  copy_writable(*body, zone);
  set_zone_links(call, zone);
  insert_record(call, kZones, id, zone);
  return SimResponse::json(200, zone);
}

SimResponse get_zone(OktaCall& call) {
  Record* record = find_readable(call, kZones, call.param("zoneId"));
  if (!record) return zone_not_found(call.param("zoneId"));
  return SimResponse::json(200, record->data);
}

SimResponse replace_zone(OktaCall& call) {
  Record* record = find_writable(call, kZones, call.param("zoneId"));
  if (!record) return zone_not_found(call.param("zoneId"));
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = check_schema(*body, "NetworkZone", WriteKind::replace)) return *error;
  if ((*body)["type"] != record->data["type"]) {
    return field_error("type", "The type of a network zone cannot be changed");
  }
  if (auto error = check_zone(call, *body, record->id)) return *error;
  Json zone = Json::object();
  for (const char* key : {"type", "id", "name", "status", "usage", "created", "lastUpdated", "system"}) {
    if (record->data.contains(key)) zone[key] = record->data[key];
  }
  copy_writable(*body, zone);
  zone["lastUpdated"] = okta_timestamp();
  if (record->data.contains("_links")) zone["_links"] = record->data["_links"];
  if (zone.value("status", "ACTIVE") != record->data.value("status", "ACTIVE")) set_zone_links(call, zone);
  record->data = zone;
  return SimResponse::json(200, zone);
}

bool used_by_rule(OktaCall& call, const std::string& zone_id) {
  for (auto* rule : readable_records(call, kRules)) {
    auto network = value_at_path(rule->data, "conditions.network");
    if (!network || !network->is_object()) continue;
    for (const char* key : {"include", "exclude"}) {
      if (!network->contains(key) || !(*network)[key].is_array()) continue;
      for (const auto& id : (*network)[key]) {
        if (id == zone_id) return true;
      }
    }
  }
  return false;
}

SimResponse delete_zone(OktaCall& call) {
  Record* record = find_writable(call, kZones, call.param("zoneId"));
  if (!record) return zone_not_found(call.param("zoneId"));
  auto forbidden = [](const std::string& cause) {
    return okta_error(403, "E0000006", "You do not have permission to perform the requested action", {cause});
  };
  if (record->data.value("system", false)) return forbidden("A system network zone cannot be deleted");
  if (record->data.value("status", "ACTIVE") == "ACTIVE") {
    return forbidden("An ACTIVE network zone cannot be deleted; deactivate it first");
  }
  if (used_by_rule(call, record->id)) return forbidden("The network zone is used by a policy rule");
  std::string id = record->id;
  delete_record(call, kZones, id);
  return SimResponse::empty(204);
}

SimResponse set_zone_status(OktaCall& call, const std::string& status) {
  Record* record = find_writable(call, kZones, call.param("zoneId"));
  if (!record) return zone_not_found(call.param("zoneId"));
  if (record->data.value("status", "") != status) {
    record->data["status"] = status;
    record->data["lastUpdated"] = okta_timestamp();
    if (record->data.contains("_links")) set_zone_links(call, record->data);
  }
  return SimResponse::json(200, record->data);
}

}  // namespace

void register_zone_routes(OktaRouter& router) {
  router.add("GET", "/api/v1/zones", {"networkZones", list_zones});
  router.add("POST", "/api/v1/zones", {"networkZones", create_zone});
  router.add("GET", "/api/v1/zones/{zoneId}", {"networkZones", get_zone});
  router.add("PUT", "/api/v1/zones/{zoneId}", {"networkZones", replace_zone});
  router.add("DELETE", "/api/v1/zones/{zoneId}", {"networkZones", delete_zone});
  router.add("POST", "/api/v1/zones/{zoneId}/lifecycle/activate",
             {"networkZones", [](OktaCall& call) { return set_zone_status(call, "ACTIVE"); }});
  router.add("POST", "/api/v1/zones/{zoneId}/lifecycle/deactivate",
             {"networkZones", [](OktaCall& call) { return set_zone_status(call, "INACTIVE"); }});
}

}  // namespace idp_sim::okta
