// /identity/conditionalAccess/policies and /identity/conditionalAccess/namedLocations
// (GRAPH-DC conditionalaccessroot-post-policies.md, conditionalaccesspolicy-get.md,
// conditionalaccesspolicy-update.md, conditionalaccesspolicy-delete.md,
// conditionalaccessroot-list-policies.md, conditionalaccessroot-post-namedlocations.md,
// namedlocation-get.md, ipnamedlocation-update.md, countrynamedlocation-update.md,
// namedlocation-delete.md, conditionalaccessroot-list-namedlocations.md).
#include <arpa/inet.h>

#include <cctype>

#include "graph/csdl.hpp"
#include "graph/graph_errors.hpp"
#include "graph/graph_flavor.hpp"

namespace idp_sim::graph {

namespace {

SimResponse schema_error(const EntitySet& set, const SimRequest& request) {
  ValidationFailure failure;
  std::string page = set.type == "conditionalAccessPolicy" ? "conditionalaccessroot-post-policies"
                                                            : "conditionalaccessroot-post-namedlocations";
  return graph_error(400, "BadRequest",
                     "1007: Incoming " + set.resource_name + " object is null or does not match the schema of " +
                         set.resource_name +
                         " type. For examples, please see API documentation at "
                         "https://docs.microsoft.com/en-us/graph/api/" +
                         page + "?view=graph-rest-1.0.",
                     request);
}

SimResponse ca_not_found(const std::string& id, const SimRequest& request) {
  return graph_error(404, "NotFound", "Resource '" + id + "' does not exist or one of its queried reference-property "
                                      "objects are not present.", request);
}

// Fills what the service fills on create: missing collections of a present complex value become
// [], other missing properties null (as in the documented create responses), recursively.
void complete_with_defaults(Json& object, const CsdlType& type) {
  const CsdlModel& model = CsdlModel::graph();
  const CsdlType* concrete = &type;
  if (object.contains("@odata.type") && object["@odata.type"].is_string()) {
    if (const CsdlType* derived = model.find(object["@odata.type"].get<std::string>())) concrete = derived;
  }
  for (const auto* property : model.all_properties(*concrete)) {
    if (property->name == "id") continue;
    if (!object.contains(property->name)) {
      object[property->name] = property->collection ? Json::array() : Json();
      continue;
    }
    Json& value = object[property->name];
    const CsdlType* nested = model.find(property->type);
    if (!nested || nested->kind != CsdlType::Kind::complex) continue;
    if (property->collection && value.is_array()) {
      for (auto& element : value) {
        if (element.is_object()) complete_with_defaults(element, *nested);
      }
    } else if (value.is_object()) {
      complete_with_defaults(value, *nested);
    }
  }
}

bool valid_cidr(const std::string& cidr, bool v6) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos) return false;
  std::string address = cidr.substr(0, slash), bits = cidr.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return false;
  for (char c : bits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  int prefix = std::stoi(bits);
  unsigned char buffer[16];
  if (v6) return prefix <= 128 && inet_pton(AF_INET6, address.c_str(), buffer) == 1;
  return prefix <= 32 && inet_pton(AF_INET, address.c_str(), buffer) == 1;
}

// Named-location rules beyond the schema: CIDR syntax per range type, ISO 3166 alpha-2 codes.
bool named_location_values_ok(const Json& body) {
  if (body.contains("ipRanges")) {
    if (!body["ipRanges"].is_array() || body["ipRanges"].empty()) return false;
    for (const auto& range : body["ipRanges"]) {
      std::string type = CsdlModel::strip_namespace(range.value("@odata.type", ""));
      std::string cidr = range.value("cidrAddress", "");
      if (type == "iPv4CidrRange" && !valid_cidr(cidr, false)) return false;
      if (type == "iPv6CidrRange" && !valid_cidr(cidr, true)) return false;
    }
  }
  if (body.contains("countriesAndRegions")) {
    for (const auto& code : body["countriesAndRegions"]) {
      std::string text = code.get<std::string>();
      if (text.size() != 2 || !std::isupper(static_cast<unsigned char>(text[0])) ||
          !std::isupper(static_cast<unsigned char>(text[1]))) {
        return false;
      }
    }
  }
  return true;
}

SimResponse create_policy(GraphCall& call) {
  const EntitySet& set = ca_policies_set();
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, set, WriteKind::create)) return *error;
  Json policy = Json::object();
  policy["id"] = new_object_id();
  policy["templateId"] = body->value("templateId", Json());
  policy["displayName"] = (*body)["displayName"];
  policy["createdDateTime"] = SimClock::utc_timestamp_precise();
  policy["modifiedDateTime"] = nullptr;
  policy["state"] = (*body)["state"];
  policy["sessionControls"] = body->value("sessionControls", Json());
  policy["conditions"] = (*body)["conditions"];
  policy["grantControls"] = body->value("grantControls", Json());
  if (body->contains("description")) policy["description"] = (*body)["description"];
  const CsdlModel& model = CsdlModel::graph();
  if (!policy["conditions"].contains("clientAppTypes")) policy["conditions"]["clientAppTypes"] = Json::array({"all"});
  if (const CsdlType* conditions = model.find("conditionalAccessConditionSet")) {
    complete_with_defaults(policy["conditions"], *conditions);
  }
  if (policy["grantControls"].is_object()) {
    if (const CsdlType* grant = model.find("conditionalAccessGrantControls")) {
      for (const char* key : {"customAuthenticationFactors", "termsOfUse"}) {
        if (!policy["grantControls"].contains(key)) policy["grantControls"][key] = Json::array();
      }
      (void)grant;
    }
  }
  Record& record = insert_object(call, set, policy);
  return entity_response(call, set, record.data, set.entity_context, 201);
}

SimResponse create_named_location(GraphCall& call) {
  const EntitySet& set = named_locations_set();
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (auto error = validate(call, *body, set, WriteKind::create)) return *error;
  std::string type = concrete_type_of(*body, set);
  if (type != "ipNamedLocation" && type != "countryNamedLocation") return schema_error(set, call.request);
  if (!named_location_values_ok(*body)) return schema_error(set, call.request);
  std::string now = SimClock::utc_timestamp_precise();
  Json location = Json::object();
  location["@odata.type"] = "#microsoft.graph." + type;
  location["id"] = new_object_id();
  location["displayName"] = (*body)["displayName"];
  location["modifiedDateTime"] = now;
  location["createdDateTime"] = now;
  if (type == "ipNamedLocation") {
    location["isTrusted"] = body->value("isTrusted", false);
    location["ipRanges"] = (*body)["ipRanges"];
  } else {
    location["countriesAndRegions"] = (*body)["countriesAndRegions"];
    location["includeUnknownCountriesAndRegions"] = body->value("includeUnknownCountriesAndRegions", false);
    if (body->contains("countryLookupMethod")) location["countryLookupMethod"] = (*body)["countryLookupMethod"];
  }
  Record& record = insert_object(call, set, location);
  return entity_response(call, set, record.data, set.entity_context, 201);
}

SimResponse get_item(GraphCall& call, const EntitySet& set) {
  Record* record = find_readable(call, set, call.param("id"));
  if (!record) return ca_not_found(call.param("id"), call.request);
  return entity_response(call, set, record->data, set.entity_context);
}

SimResponse update_item(GraphCall& call, const EntitySet& set) {
  Record* record = find_writable(call, set, call.param("id"));
  if (!record) return ca_not_found(call.param("id"), call.request);
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (set.polymorphic) {
    // The update body must name the location type, and it must be the existing one.
    if (!body->is_object() || !body->contains("@odata.type") ||
        CsdlModel::strip_namespace(body->value("@odata.type", "")) !=
            CsdlModel::strip_namespace(record->data.value("@odata.type", ""))) {
      return schema_error(set, call.request);
    }
  }
  if (auto error = validate(call, *body, set, WriteKind::update)) return *error;
  if (set.polymorphic && !named_location_values_ok(*body)) return schema_error(set, call.request);
  for (const auto& [key, value] : body->items()) {
    if (key.find('@') != std::string::npos) continue;
    record->data[key] = value;
  }
  record->data["modifiedDateTime"] = SimClock::utc_timestamp_precise();
  return graph_no_content(call.request);
}

SimResponse delete_item(GraphCall& call, const EntitySet& set) {
  Record* record = find_writable(call, set, call.param("id"));
  if (!record) return ca_not_found(call.param("id"), call.request);
  delete_object(call, set, record->id);
  return graph_no_content(call.request);
}

}  // namespace

void register_conditional_access_routes(GraphRouter& router) {
  const std::string policies = "/identity/conditionalAccess/policies";
  const std::string locations = "/identity/conditionalAccess/namedLocations";
  router.add("GET", policies, [](GraphCall& call) {
    return list_response(call, ListShape{&ca_policies_set(), true}, readable_rows(call, ca_policies_set()),
                         ca_policies_set().list_context);
  });
  router.add("POST", policies, create_policy);
  router.add("GET", policies + "/{id}", [](GraphCall& call) { return get_item(call, ca_policies_set()); });
  router.add("PATCH", policies + "/{id}", [](GraphCall& call) { return update_item(call, ca_policies_set()); });
  router.add("DELETE", policies + "/{id}", [](GraphCall& call) { return delete_item(call, ca_policies_set()); });
  router.add("GET", locations, [](GraphCall& call) {
    return list_response(call, ListShape{&named_locations_set(), true}, readable_rows(call, named_locations_set()),
                         named_locations_set().list_context);
  });
  router.add("POST", locations, create_named_location);
  router.add("GET", locations + "/{id}", [](GraphCall& call) { return get_item(call, named_locations_set()); });
  router.add("PATCH", locations + "/{id}", [](GraphCall& call) { return update_item(call, named_locations_set()); });
  router.add("DELETE", locations + "/{id}", [](GraphCall& call) { return delete_item(call, named_locations_set()); });
}

}  // namespace idp_sim::graph
