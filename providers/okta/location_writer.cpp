// Named locations are Okta network zones: POST /api/v1/zones, GET + PUT for changes (proxies,
// ASNs and other settings the config has no word for are kept), and deactivate-then-delete,
// since Okta refuses to delete an active zone.

#include "providers/okta/json_fields.hpp"
#include "providers/okta/location_mapping.hpp"
#include "providers/okta/writers.hpp"

namespace idform::providers::okta {
namespace {

std::string zone_path(const std::string& id) { return "/api/v1/zones/" + id; }

Result<std::string> create_zone(OktaClient& okta, const plan::Change& change) {
  nlohmann::json body = IDFORM_TRY(new_zone_body(change.name, change.desired));
  auto find_existing = [&]() -> Result<nlohmann::json> {
    for (const auto& zone : IDFORM_TRY(okta.list("/api/v1/zones")))
      if (text(zone, "name") == change.name) return zone;
    return nlohmann::json();
  };
  nlohmann::json created = IDFORM_TRY(create_object(okta, "/api/v1/zones", body, find_existing));
  std::string id = text(created, "id");
  if (id.empty()) return fail("POST /api/v1/zones answered without an id");
  IDFORM_TRY(wait_until_visible(okta, zone_path(id)));
  return id;
}

}  // namespace

Result<std::string> apply_location(OktaClient& okta, const provider::ApplyRequest& request) {
  const plan::Change& change = request.change;
  switch (change.action) {
    case plan::Action::create: return create_zone(okta, change);
    case plan::Action::update: {
      OktaResponse current = IDFORM_TRY(write(okta, "GET", zone_path(change.id)));
      nlohmann::json zone = current.body;
      IDFORM_TRY(apply_zone_fields(zone, change.name, change.desired));
      IDFORM_TRY(write(okta, "PUT", zone_path(change.id), zone));
      return change.id;
    }
    case plan::Action::delete_:
      IDFORM_TRY(write(okta, "POST", zone_path(change.id) + "/lifecycle/deactivate", nullptr, {404}));
      IDFORM_TRY(write(okta, "DELETE", zone_path(change.id), nullptr, {404}));
      return change.id;
    case plan::Action::no_op: return change.id;
  }
  return change.id;
}

}  // namespace idform::providers::okta
