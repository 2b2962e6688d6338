// Maps an idform named location to Graph's IP or country namedLocation and back.
#include "providers/entra/json_fields.hpp"
#include "providers/entra/location_mapping.hpp"

#include <algorithm>

namespace idform::providers::entra {
namespace {

using nlohmann::json;

bool wants(const std::vector<std::string>& paths, std::string_view path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

bool is_country(const json& spec) { return spec.is_object() && spec.contains("countries"); }
bool is_ip(const json& spec) { return spec.is_object() && spec.contains("ip_ranges"); }

}  // namespace

model::Resource location_resource(const json& location) {
  model::Resource resource;
  resource.kind = model::Kind::named_location;
  resource.id = text(location, "id");
  resource.name = location.contains("displayName") && location["displayName"].is_string()
                      ? location["displayName"].get<std::string>()
                      : "";
  std::string type = text(location, "@odata.type");
  json& spec = resource.spec;
  if (type == kCountryLocationType || location.contains("countriesAndRegions")) {
    json countries = json::array();
    for (const auto& code : items(location, "countriesAndRegions"))
      if (code.is_string()) countries.push_back(code);
    spec["countries"] = std::move(countries);
    spec["include_unknown_countries"] = flag(location, "includeUnknownCountriesAndRegions") == true;
  } else {
    json ranges = json::array();
    for (const auto& range : items(location, "ipRanges"))
      if (range.is_object() && range.contains("cidrAddress") && range["cidrAddress"].is_string())
        ranges.push_back(range["cidrAddress"]);
    spec["ip_ranges"] = std::move(ranges);
    spec["trusted"] = flag(location, "isTrusted") == true;
  }
  return resource;
}

json location_properties(const json& spec, const std::vector<std::string>& paths, const json& live) {
  bool country = is_country(spec) || (!is_ip(spec) && is_country(live));
  json body = {{"@odata.type", country ? kCountryLocationType : kIpLocationType}};
  if (country) {
    if (wants(paths, "countries") && spec.contains("countries")) body["countriesAndRegions"] = spec["countries"];
    if (wants(paths, "include_unknown_countries") && spec.contains("include_unknown_countries"))
      body["includeUnknownCountriesAndRegions"] = spec["include_unknown_countries"];
    return body;
  }
  if (wants(paths, "ip_ranges") && spec.contains("ip_ranges")) {
    json ranges = json::array();
    for (const auto& cidr : spec["ip_ranges"]) {
      std::string text = cidr.get<std::string>();
      bool v6 = text.find(':') != std::string::npos;
      ranges.push_back({{"@odata.type", v6 ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange"},
                        {"cidrAddress", text}});
    }
    body["ipRanges"] = std::move(ranges);
  }
  if (wants(paths, "trusted") && spec.contains("trusted")) body["isTrusted"] = spec["trusted"];
  return body;
}

}  // namespace idform::providers::entra
