#pragma once
// Finds the parts of a JSON Schema that may apply to one node of a document.
//
// valijson reports where validation failed and which keyword failed, but not the schema object
// that holds the keyword. To word a message well ("expected a list", "is not one of: ...", an
// author-supplied errorMessage) the schema check walks the schema itself down the node's path.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconciler/config/source_map.hpp"

namespace idform::config {

class SchemaNavigator {
 public:
  explicit SchemaNavigator(const nlohmann::json& schema) : m_schema(schema) {}

  // Every schema object that may constrain the node at `pointer` of `document`, outermost first:
  // reached through properties, additionalProperties, items, $ref, allOf/anyOf/oneOf and both
  // branches of if/then/else (conditions are not evaluated, so this may over-approximate).
  std::vector<const nlohmann::json*> candidates(const nlohmann::json& document,
                                                const JsonPointer& pointer) const;

 private:
  void expand(const nlohmann::json& schema, std::vector<const nlohmann::json*>& out,
              int depth) const;
  std::vector<const nlohmann::json*> step(const std::vector<const nlohmann::json*>& schemas,
                                          const nlohmann::json& node,
                                          const std::string& token) const;

  const nlohmann::json& m_schema;
};

// The property names declared by any of `schemas`, sorted and unique.
std::vector<std::string> declared_properties(const std::vector<const nlohmann::json*>& schemas);

}  // namespace idform::config
