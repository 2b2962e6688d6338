// Validation of request bodies against Okta's OpenAPI schemas (see openapi_schemas.hpp for what is
// checked). A schema is first "flattened": $refs are followed and allOf parts, plus the subtype a
// discriminator selects for the actual value, are merged into one view (declared properties,
// required names, type, enum, items, and whether undeclared properties are allowed). The value is
// then walked against that view, collecting every issue rather than stopping at the first.
#include <map>
#include <set>

#include "core/http_types.hpp"
#include "okta/openapi_schemas.hpp"

namespace idp_sim::okta {

namespace {

const Json& all_schemas() {
  static const Json parsed = Json::parse(openapi_schemas_text());
  return parsed;
}

const Json* schema_by_ref(const std::string& ref) {
  auto slash = ref.rfind('/');
  std::string name = slash == std::string::npos ? ref : ref.substr(slash + 1);
  auto it = all_schemas().find(name);
  return it == all_schemas().end() ? nullptr : &*it;
}

const Json& resolve(const Json& schema) {
  const Json* current = &schema;
  for (int hops = 0; hops < 32 && current->is_object() && current->contains("$ref"); ++hops) {
    const auto& ref = (*current)["$ref"];
    const Json* target = ref.is_string() ? schema_by_ref(ref.get<std::string>()) : nullptr;
    if (!target) break;
    current = target;
  }
  return *current;
}

struct FlatSchema {
  std::string type;                                   // "" when no part says
  const Json* enum_values = nullptr;
  const Json* items = nullptr;
  std::map<std::string, const Json*> properties;
  std::set<std::string> required;
  bool declares_properties = false;
  bool open = false;                                  // undeclared properties allowed
};

void flatten_into(const Json& schema_in, const Json& value, FlatSchema& flat, std::set<const Json*>& visited) {
  const Json& schema = resolve(schema_in);
  if (!schema.is_object() || !visited.insert(&schema).second) return;
  if (schema.contains("type") && schema["type"].is_string() && flat.type.empty()) {
    flat.type = schema["type"].get<std::string>();
  }
  if (schema.contains("enum") && schema["enum"].is_array()) flat.enum_values = &schema["enum"];
  if (schema.contains("items")) flat.items = &schema["items"];
  if (schema.value("x-okta-extensible", false)) flat.open = true;
  if (schema.contains("additionalProperties") && schema["additionalProperties"] != false) flat.open = true;
  if (schema.contains("oneOf") || schema.contains("anyOf")) flat.open = true;
  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) flatten_into(part, value, flat, visited);
  }
  if (schema.contains("properties") && schema["properties"].is_object()) {
    flat.declares_properties = true;
    for (const auto& [name, property] : schema["properties"].items()) flat.properties[name] = &property;
  }
  if (schema.contains("required") && schema["required"].is_array()) {
    for (const auto& name : schema["required"]) {
      if (name.is_string()) flat.required.insert(name.get<std::string>());
    }
  }
  if (schema.contains("discriminator") && value.is_object()) {
    const auto& discriminator = schema["discriminator"];
    std::string property = discriminator.value("propertyName", "");
    if (value.contains(property) && value[property].is_string() && discriminator.contains("mapping")) {
      const auto& mapping = discriminator["mapping"];
      auto it = mapping.find(value[property].get<std::string>());
      if (it != mapping.end() && it->is_string()) {
        if (const Json* subtype = schema_by_ref(it->get<std::string>())) flatten_into(*subtype, value, flat, visited);
      }
    }
  }
}

FlatSchema flatten(const Json& schema, const Json& value) {
  FlatSchema flat;
  std::set<const Json*> visited;
  flatten_into(schema, value, flat, visited);
  return flat;
}

bool read_only(const Json& property_in) {
  if (property_in.value("readOnly", false)) return true;
  const Json& property = resolve(property_in);
  if (property.value("readOnly", false)) return true;
  if (property.contains("allOf")) {
    for (const auto& part : property["allOf"]) {
      if (resolve(part).value("readOnly", false)) return true;
    }
  }
  return false;
}

bool enum_contains(const Json& values, const std::string& text) {
  for (const auto& value : values) {
    if (value.is_string() && iequals(value.get<std::string>(), text)) return true;
  }
  return false;
}

std::string join(const std::string& path, const std::string& name) { return path.empty() ? name : path + "." + name; }

std::string type_word(const std::string& type) {
  if (type == "integer") return "an integer";
  if (type == "array") return "an array";
  if (type == "object") return "an object";
  return "a " + type;
}

class Walker {
public:
  Walker(WriteKind kind, std::vector<SchemaIssue>& issues) : m_kind(kind), m_issues(issues) {}

  void walk(const Json& schema, const Json& value, const std::string& path, int depth) {
    if (value.is_null()) return;
    FlatSchema flat = flatten(schema, value);
    if (flat.type == "object" || flat.declares_properties) {
      walk_object(flat, value, path, depth);
    } else if (flat.type == "array") {
      if (!value.is_array()) return issue(path, "The value must be " + type_word("array"));
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (flat.items) walk(*flat.items, value[i], path + "[" + std::to_string(i) + "]", depth + 1);
      }
    } else if (flat.type == "string") {
      if (!value.is_string()) return issue(path, "The value must be " + type_word("string"));
      if (flat.enum_values && !enum_contains(*flat.enum_values, value.get<std::string>())) {
        issue(path, "'" + value.get<std::string>() + "' is not one of the allowed values " + flat.enum_values->dump());
      }
    } else if (flat.type == "boolean") {
      if (!value.is_boolean()) issue(path, "The value must be " + type_word("boolean"));
    } else if (flat.type == "integer") {
      if (!value.is_number_integer()) issue(path, "The value must be " + type_word("integer"));
    } else if (flat.type == "number") {
      if (!value.is_number()) issue(path, "The value must be " + type_word("number"));
    }
  }

private:
  void walk_object(const FlatSchema& flat, const Json& value, const std::string& path, int depth) {
    if (!value.is_object()) return issue(path, "The value must be " + type_word("object"));
    for (const auto& [name, child] : value.items()) {
      auto it = flat.properties.find(name);
      if (it == flat.properties.end()) {
        if (!flat.open && flat.declares_properties) issue(join(path, name), "Property is not defined in the schema");
        continue;
      }
      if (read_only(*it->second)) {
        // Okta ignores system-assigned properties in a PUT body; a create may not set them.
        if (m_kind == WriteKind::create && depth == 0) {
          issue(join(path, name), "The property is read-only and cannot be set");
        }
        continue;
      }
      walk(*it->second, child, join(path, name), depth + 1);
    }
    if (depth != 0) return;  // nested `required` lists contradict Okta's own example payloads
    for (const auto& name : flat.required) {
      auto property = flat.properties.find(name);
      if (property != flat.properties.end() && read_only(*property->second)) continue;
      if (!value.contains(name) || value[name].is_null()) issue(join(path, name), "The field cannot be left blank");
    }
  }

  void issue(const std::string& path, const std::string& message) { m_issues.push_back({path, message}); }

  WriteKind m_kind;
  std::vector<SchemaIssue>& m_issues;
};

}  // namespace

std::vector<SchemaIssue> validate_against_schema(const std::string& schema_name, const Json& body, WriteKind kind) {
  std::vector<SchemaIssue> issues;
  auto it = all_schemas().find(schema_name);
  if (it == all_schemas().end()) return issues;
  Walker(kind, issues).walk(*it, body, "", 0);
  return issues;
}

}  // namespace idp_sim::okta
