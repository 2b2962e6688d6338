#pragma once
// NamedLocation <-> Okta network zone.
//
//   name                       name
//   ip_ranges                  an IP zone's gateways ({type: CIDR, value}); RANGE entries read
//                              as "first-last"
//   countries                  a DYNAMIC zone's locations ({country}); a region-level entry
//                              reads as "CC-REGION"
//   trusted                    always false: Okta zones have no trust flag (check() refuses true)
//   include_unknown_countries  always false: Okta has no such switch (check() refuses true)
// System zones (LegacyIpZone, BlockedIpZone, ...), blocklist zones, enhanced dynamic zones
// (DYNAMIC_V2) and dynamic zones narrowed by ASNs, a proxy type or regions are read-only. An IP
// zone's proxies are kept as they are on update.

#include <nlohmann/json.hpp>

#include "reconciler/model/resource.hpp"

namespace idform::providers::okta {

model::Resource location_resource(const nlohmann::json& zone);

// The body of POST /api/v1/zones for a new zone named `name`.
Result<nlohmann::json> new_zone_body(const std::string& name, const nlohmann::json& spec);
// Writes the stated fields of `spec` into `zone` (as GET returned it) for a PUT.
Result<void> apply_zone_fields(nlohmann::json& zone, const std::string& name, const nlohmann::json& spec);

}  // namespace idform::providers::okta
