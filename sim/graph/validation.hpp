#pragma once
// Request-body validation against the Graph CSDL plus the per-collection rules of entity_sets:
// unknown properties, wrong JSON types, null for non-nullable properties, enum values, derived
// types named by @odata.type, read-only and required properties. Failures carry the status,
// code and message Graph uses for that kind of collection (directory objects answer
// Request_BadRequest "Invalid property 'x'."; conditional access answers BadRequest "1007: ...").
#include <optional>
#include <string>

#include "core/json.hpp"
#include "graph/entity_sets.hpp"

namespace idp_sim::graph {

struct ValidationFailure {
  int status = 400;
  std::string code;
  std::string message;
};

enum class WriteKind { create, update };

// `body` is the parsed request body. Returns nullopt when the body is acceptable.
std::optional<ValidationFailure> validate_body(const Json& body, const EntitySet& set, WriteKind kind);

// The concrete CSDL type a body describes: its @odata.type when present, else the set's type.
std::string concrete_type_of(const Json& body, const EntitySet& set);

bool is_guid(const std::string& text);
bool is_datetime(const std::string& text);

}  // namespace idp_sim::graph
