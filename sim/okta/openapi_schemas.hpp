#pragma once
// Request validation against Okta's OpenAPI component schemas (Okta management spec v2026.06.3,
// embedded by openapi_schemas.cpp, which data/generate_openapi_schemas.py writes from a subset of
// okta-management-openapi-spec's dist/current/management-minimal.yaml).
//
// What is checked, for a create (POST) or a replace (PUT):
//  - the discriminated subtype is found from the discriminator property (signOnMode, type);
//  - required properties of the resource itself (top level) are present;
//  - read-only properties (id, created, lastUpdated, _links, _embedded, ...) are refused on
//    create and ignored on replace, as Okta documents for PUT ("values ... are ignored");
//  - at every depth: unknown properties where the schema declares its properties and is not
//    extensible (x-okta-extensible, additionalProperties), JSON types, and enums (compared
//    case-insensitively because Okta's own examples differ in case from the spec's enums).
// null is accepted everywhere: Okta's responses use it for unset properties.
#include <string>
#include <vector>

#include "core/json.hpp"

namespace idp_sim::okta {

enum class WriteKind { create, replace };

struct SchemaIssue {
  std::string path;     // "settings.signOn.ssoAcsUrl"
  std::string message;  // "The field cannot be left blank"
};

// The embedded schemas as JSON text (openapi_schemas.cpp, generated).
const std::string& openapi_schemas_text();

// Validates `body` against the component schema `schema_name` (e.g. "Application").
std::vector<SchemaIssue> validate_against_schema(const std::string& schema_name, const Json& body, WriteKind kind);

}  // namespace idp_sim::okta
