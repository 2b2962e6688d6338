// Validates request bodies against the Graph CSDL and per-collection rules.
#include "graph/validation.hpp"

#include <cctype>

#include "core/http_types.hpp"
#include "graph/csdl.hpp"

namespace idp_sim::graph {

namespace {

struct Checker {
  const CsdlModel& model;
  const EntitySet& set;

  ValidationFailure fail_schema() const {
    ValidationFailure failure;
    if (set.error_style == ErrorStyle::conditional_access) {
      std::string page = set.type == "conditionalAccessPolicy" ? "conditionalaccessroot-post-policies"
                                                                : "conditionalaccessroot-post-namedlocations";
      failure.code = "BadRequest";
      failure.message = "1007: Incoming " + set.resource_name + " object is null or does not match the schema of " +
                        set.resource_name +
                        " type. For examples, please see API documentation at "
                        "https://docs.microsoft.com/en-us/graph/api/" +
                        page + "?view=graph-rest-1.0.";
    }
    return failure;
  }

  ValidationFailure unknown_property(const std::string& name) const {
    auto failure = fail_schema();
    if (failure.code.empty()) {
      failure.code = "Request_BadRequest";
      failure.message = "Invalid property '" + name + "'.";
    }
    return failure;
  }

  ValidationFailure invalid_value(const std::string& name) const {
    auto failure = fail_schema();
    if (failure.code.empty()) {
      failure.code = "Request_BadRequest";
      failure.message = "Invalid value specified for property '" + name + "' of resource '" + set.resource_name + "'.";
    }
    return failure;
  }

  ValidationFailure read_only(const std::string& name) const {
    auto failure = fail_schema();
    if (failure.code.empty()) {
      failure.code = "Request_BadRequest";
      failure.message = "Property '" + name + "' is read-only and cannot be set.";
    }
    return failure;
  }

  ValidationFailure required(const std::string& name) const {
    auto failure = fail_schema();
    if (failure.code.empty()) {
      failure.code = "Request_BadRequest";
      failure.message = "A value is required for property '" + name + "' of resource '" + set.resource_name + "'.";
    }
    return failure;
  }

  std::optional<ValidationFailure> check_primitive(const std::string& type, const Json& value,
                                                   const std::string& name) const {
    bool ok = true;
    if (type == "Edm.String" || type == "Edm.Duration" || type == "Edm.Date" || type == "Edm.TimeOfDay") {
      ok = value.is_string();
    } else if (type == "Edm.Binary") {
      ok = value.is_string();
    } else if (type == "Edm.Boolean") {
      ok = value.is_boolean();
    } else if (type == "Edm.Int32" || type == "Edm.Int64" || type == "Edm.Int16" || type == "Edm.Byte") {
      ok = value.is_number_integer();
    } else if (type == "Edm.Double" || type == "Edm.Single" || type == "Edm.Decimal") {
      ok = value.is_number();
    } else if (type == "Edm.Guid") {
      ok = value.is_string() && is_guid(value.get<std::string>());
    } else if (type == "Edm.DateTimeOffset") {
      ok = value.is_string() && is_datetime(value.get<std::string>());
    } else if (type == "Edm.Stream") {
      ok = false;
    }
    if (!ok) return invalid_value(name);
    return std::nullopt;
  }

  std::optional<ValidationFailure> check_element(const std::string& declared_type, const Json& value,
                                                 const std::string& name, bool navigation) const {
    if (declared_type.rfind("Edm.", 0) == 0) return check_primitive(declared_type, value, name);
    const CsdlType* type = model.find(declared_type);
    if (!type) return std::nullopt;  // type outside the subset: accept opaquely
    if (type->kind == CsdlType::Kind::enumeration) {
      if (!value.is_string()) return invalid_value(name);
      auto parts = type->flags ? split(value.get<std::string>(), ',') : std::vector<std::string>{value.get<std::string>()};
      for (auto part : parts) {
        part = trim(part);
        bool known = false;
        for (const auto& member : type->members) known = known || member == part;
        if (!known) return invalid_value(name);
      }
      return std::nullopt;
    }
    if (!value.is_object()) return invalid_value(name);
    if (navigation || type->kind == CsdlType::Kind::entity) return std::nullopt;  // inline reference, e.g. {"id": ...}
    return check_object(*type, value, false);
  }

  std::optional<ValidationFailure> check_value(const CsdlProperty& property, const Json& value) const {
    if (value.is_null()) {
      if (!property.nullable) return invalid_value(property.name);
      return std::nullopt;
    }
    if (property.collection) {
      if (!value.is_array()) return invalid_value(property.name);
      for (const auto& element : value) {
        if (element.is_null()) return invalid_value(property.name);
        if (auto failure = check_element(property.type, element, property.name, false)) return failure;
      }
      return std::nullopt;
    }
    return check_element(property.type, value, property.name, false);
  }

  // Checks every key of `object` against `declared` (or the derived type its @odata.type names).
  std::optional<ValidationFailure> check_object(const CsdlType& declared, const Json& object, bool top_level) const {
    const CsdlType* type = &declared;
    if (object.contains("@odata.type")) {
      if (!object["@odata.type"].is_string()) return invalid_value("@odata.type");
      const CsdlType* derived = model.find(object["@odata.type"].get<std::string>());
      if (!derived || !model.derives_from(*derived, declared.name)) return invalid_value("@odata.type");
      type = derived;
    } else if (type->abstract) {
      return invalid_value("@odata.type");
    }
    for (const auto& [key, value] : object.items()) {
      if (key.rfind("@odata.", 0) == 0) continue;
      auto at = key.find('@');
      if (at != std::string::npos) {
        std::string property = key.substr(0, at);
        if (key.substr(at) == "@odata.bind") {
          const CsdlProperty* navigation = model.navigation(*type, property);
          if (!navigation) return unknown_property(property);
          bool ok = navigation->collection ? value.is_array() : value.is_string();
          if (ok && value.is_array()) {
            for (const auto& element : value) ok = ok && element.is_string();
          }
          if (!ok) return invalid_value(key);
        }
        continue;  // other instance annotations are ignored, as OData allows
      }
      if (top_level && set.read_only.count(key)) return read_only(key);
      const CsdlProperty* property = model.property(*type, key);
      if (!property) {
        const CsdlProperty* navigation = model.navigation(*type, key);
        if (navigation) {
          if (navigation->collection) {
            if (!value.is_array()) return invalid_value(key);
            for (const auto& element : value) {
              if (auto failure = check_element(navigation->type, element, key, true)) return failure;
            }
          } else if (!value.is_null()) {
            if (auto failure = check_element(navigation->type, value, key, true)) return failure;
          }
          continue;
        }
        bool extension = key.rfind("extension_", 0) == 0 && model.is_open(*type);
        if (!extension) return unknown_property(key);
        continue;
      }
      if (auto failure = check_value(*property, value)) return failure;
    }
    return std::nullopt;
  }
};

}  // namespace

bool is_guid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

bool is_datetime(const std::string& text) {
  // YYYY-MM-DDTHH:MM:SS[.f+](Z|+hh:mm|-hh:mm)
  if (text.size() < 20) return false;
  auto digits = [&](std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i) {
      if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
  };
  if (!digits(0, 4) || text[4] != '-' || !digits(5, 2) || text[7] != '-' || !digits(8, 2) || text[10] != 'T' ||
      !digits(11, 2) || text[13] != ':' || !digits(14, 2) || text[16] != ':' || !digits(17, 2)) {
    return false;
  }
  std::size_t i = 19;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  }
  std::string zone = text.substr(i);
  return zone == "Z" || (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':');
}

std::string concrete_type_of(const Json& body, const EntitySet& set) {
  if (body.is_object() && body.contains("@odata.type") && body["@odata.type"].is_string()) {
    return CsdlModel::strip_namespace(body["@odata.type"].get<std::string>());
  }
  return set.type;
}

std::optional<ValidationFailure> validate_body(const Json& body, const EntitySet& set, WriteKind kind) {
  const CsdlModel& model = CsdlModel::graph();
  Checker checker{model, set};
  if (!body.is_object()) return checker.invalid_value("body");
  const CsdlType* type = model.find(set.type);
  if (!type) return std::nullopt;
  if (kind == WriteKind::create) {
    for (const auto& key : set.create_forbidden) {
      if (body.contains(key)) {
        auto failure = checker.fail_schema();
        failure.code = failure.code.empty() ? "Request_BadRequest" : failure.code;
        if (failure.message.empty()) {
          failure.message = "Property '" + key + "' cannot be set when the " + set.resource_name +
                            " is created; update it afterwards.";
        }
        return failure;
      }
    }
  }
  if (auto failure = checker.check_object(*type, body, true)) return failure;
  if (kind == WriteKind::create) {
    for (const auto& key : set.required_on_create) {
      if (!body.contains(key) || body[key].is_null()) return checker.required(key);
    }
    std::string concrete = concrete_type_of(body, set);
    if (concrete == "ipNamedLocation" && !body.contains("ipRanges")) return checker.required("ipRanges");
    if (concrete == "countryNamedLocation" && !body.contains("countriesAndRegions")) {
      return checker.required("countriesAndRegions");
    }
  }
  return std::nullopt;
}

}  // namespace idp_sim::graph
