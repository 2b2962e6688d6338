#pragma once
// NamedLocation <-> Graph namedLocation (two OData types).
//
//   name                       displayName
//   ip_ranges                  #microsoft.graph.ipNamedLocation ipRanges[].cidrAddress
//                              (each range typed #microsoft.graph.iPv4CidrRange or iPv6CidrRange)
//   trusted                    ipNamedLocation isTrusted
//   countries                  #microsoft.graph.countryNamedLocation countriesAndRegions
//   include_unknown_countries  countryNamedLocation includeUnknownCountriesAndRegions

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconciler/model/resource.hpp"

namespace idform::providers::entra {

inline constexpr const char* kIpLocationType = "#microsoft.graph.ipNamedLocation";
inline constexpr const char* kCountryLocationType = "#microsoft.graph.countryNamedLocation";

model::Resource location_resource(const nlohmann::json& location);

// The Graph body expressing config fields `paths` of `spec`, with the @odata.type Graph requires
// on every create and update. The type comes from the spec (ip_ranges or countries), else from
// `live` (the live spec), since a location cannot change its type.
nlohmann::json location_properties(const nlohmann::json& spec, const std::vector<std::string>& paths,
                                   const nlohmann::json& live);

}  // namespace idform::providers::entra
