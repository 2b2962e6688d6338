// Maps an idform named location to an Okta network zone and back.
#include "providers/okta/location_mapping.hpp"

#include "providers/okta/json_fields.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {
namespace {

using nlohmann::json;

json gateways_of(const json& spec) {
  json gateways = json::array();
  for (const auto& cidr : spec["ip_ranges"]) gateways.push_back({{"type", "CIDR"}, {"value", cidr}});
  return gateways;
}

json locations_of(const json& spec) {
  json locations = json::array();
  for (const auto& code : spec["countries"])
    locations.push_back({{"country", util::to_upper(code.get<std::string>())}, {"region", nullptr}});
  return locations;
}

bool has(const json& spec, const char* key) { return spec.is_object() && spec.contains(key) && spec[key].is_array(); }

// ASNs, a proxy type or regions narrow a dynamic zone beyond a list of countries: managing only
// the countries would misstate what the zone matches.
bool says_more_than_countries(const json& zone) {
  if (!items(zone, "asns").empty()) return true;
  if (std::string proxy = text(zone, "proxyType"); !proxy.empty() && proxy != "null") return true;
  for (const auto& location : items(zone, "locations"))
    if (!text(location, "region").empty()) return true;
  return false;
}

}  // namespace

model::Resource location_resource(const json& zone) {
  model::Resource resource;
  resource.kind = model::Kind::named_location;
  resource.id = text(zone, "id");
  resource.name = text(zone, "name");
  std::string type = text(zone, "type");
  resource.read_only = flag(zone, "system") || text(zone, "usage", "POLICY") != "POLICY" ||
                       (type != "IP" && type != "DYNAMIC") || (type == "DYNAMIC" && says_more_than_countries(zone));
  json& spec = resource.spec;
  if (type == "IP") {
    json ranges = json::array();
    for (const auto& gateway : items(zone, "gateways"))
      if (std::string value = text(gateway, "value"); !value.empty()) ranges.push_back(value);
    spec["ip_ranges"] = std::move(ranges);
    spec["trusted"] = false;
  } else if (type == "DYNAMIC") {
    json countries = json::array();
    for (const auto& location : items(zone, "locations")) {
      std::string country = text(location, "country");
      std::string region = text(location, "region");
      if (country.empty()) continue;
      // A region is finer than the config can say: keep it visible instead of widening it.
      countries.push_back(region.empty() ? country : (region.starts_with(country + "-") ? region : country + "-" + region));
    }
    spec["countries"] = std::move(countries);
    spec["include_unknown_countries"] = false;
  }
  return resource;
}

Result<json> new_zone_body(const std::string& name, const json& spec) {
  if (has(spec, "ip_ranges")) return json{{"type", "IP"}, {"name", name}, {"usage", "POLICY"}, {"gateways", gateways_of(spec)}};
  if (has(spec, "countries"))
    return json{{"type", "DYNAMIC"}, {"name", name}, {"usage", "POLICY"}, {"locations", locations_of(spec)}};
  return fail("a named location needs ip_ranges or countries");
}

Result<void> apply_zone_fields(json& zone, const std::string& name, const json& spec) {
  for (const char* key : {"_links", "id", "created", "lastUpdated", "system"}) zone.erase(key);
  zone["name"] = name;
  std::string type = text(zone, "type");
  if (has(spec, "ip_ranges")) {
    if (type != "IP")
      return fail("an Okta " + type + " zone cannot become an IP zone",
                  "delete the location (state: absent) and create it again under a new name");
    zone["gateways"] = gateways_of(spec);
  }
  if (has(spec, "countries")) {
    if (type != "DYNAMIC")
      return fail("an Okta " + type + " zone cannot become a country (DYNAMIC) zone",
                  "delete the location (state: absent) and create it again under a new name");
    zone["locations"] = locations_of(spec);
  }
  return {};
}

}  // namespace idform::providers::okta
