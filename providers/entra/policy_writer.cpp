// Conditional access policies and named locations live under /identity/conditionalAccess/,
// where Graph allows one request per second per tenant; GraphClient paces these calls. Updates
// PATCH only the sections of the policy whose config fields changed, each section completed from
// the policy's current value (complete_patch), and a named location's PATCH always carries its
// @odata.type, which Graph requires.

#include "providers/entra/json_fields.hpp"
#include "providers/entra/consistency.hpp"
#include "providers/entra/location_mapping.hpp"
#include "providers/entra/policy_mapping.hpp"
#include "providers/entra/writers.hpp"

namespace idform::providers::entra {
namespace {

constexpr const char* kPolicies = "/identity/conditionalAccess/policies";
constexpr const char* kLocations = "/identity/conditionalAccess/namedLocations";

Finder by_display_name(GraphClient& graph, const std::string& collection, const std::string& name) {
  return [&graph, collection, name]() -> Result<nlohmann::json> {
    // Listing and matching locally: these collections are small, and $filter support varies.
    auto items = IDFORM_TRY(graph.list(collection));
    for (const auto& item : items)
      if (text(item, "displayName") == name) return item;
    return nlohmann::json();
  };
}

Result<std::string> create(GraphClient& graph, const std::string& collection, const std::string& name,
                           nlohmann::json body) {
  body["displayName"] = name;
  nlohmann::json created = IDFORM_TRY(create_object(graph, collection, body, by_display_name(graph, collection, name)));
  std::string id = text(created, "id");
  if (id.empty()) return fail("POST " + collection + " answered without an id");
  IDFORM_TRY(wait_until_visible(graph, collection + "/" + id));
  return id;
}

Result<std::string> remove(GraphClient& graph, const std::string& collection, const std::string& id) {
  IDFORM_TRY(write(graph, "DELETE", collection + "/" + id, nullptr, {404}));
  IDFORM_TRY(wait_until_gone(graph, collection + "/" + id));
  return id;
}

}  // namespace

Result<std::string> apply_policy(GraphClient& graph, const provider::ApplyRequest& request) {
  const plan::Change& change = request.change;
  IdResolver ids(request.ids);
  switch (change.action) {
    case plan::Action::create: {
      nlohmann::json body = IDFORM_TRY(policy_properties(change.desired, touched_paths(change), ids));
      // Graph requires clientAppTypes; "all" is what the portal sets when nothing is chosen.
      if (!body["conditions"].contains("clientAppTypes")) body["conditions"]["clientAppTypes"] = {"all"};
      return create(graph, kPolicies, change.name, std::move(body));
    }
    case plan::Action::update: {
      nlohmann::json body = IDFORM_TRY(policy_properties(change.desired, touched_paths(change), ids));
      if (const auto* rename = attribute(change, "name")) body["displayName"] = rename->after;
      const std::string path = std::string(kPolicies) + "/" + change.id;
      if (!body.empty()) body = IDFORM_TRY(complete_patch(graph, path, std::move(body)));
      if (!body.empty()) IDFORM_TRY(write(graph, "PATCH", path, body));
      return change.id;
    }
    case plan::Action::delete_: return remove(graph, kPolicies, change.id);
    case plan::Action::no_op: return change.id;
  }
  return change.id;
}

Result<std::string> apply_location(GraphClient& graph, const provider::ApplyRequest& request) {
  const plan::Change& change = request.change;
  switch (change.action) {
    case plan::Action::create:
      return create(graph, kLocations, change.name, location_properties(change.desired, touched_paths(change), nullptr));
    case plan::Action::update: {
      nlohmann::json body = location_properties(change.desired, touched_paths(change), change.live);
      if (const auto* rename = attribute(change, "name")) body["displayName"] = rename->after;
      IDFORM_TRY(write(graph, "PATCH", std::string(kLocations) + "/" + change.id, body));
      return change.id;
    }
    case plan::Action::delete_: return remove(graph, kLocations, change.id);
    case plan::Action::no_op: return change.id;
  }
  return change.id;
}

}  // namespace idform::providers::entra
