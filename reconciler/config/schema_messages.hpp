#pragma once
// Turns valijson's validation errors into messages about YAML nodes.
//
// valijson reports each failure as a path ("<root>", "[members]", "[0]") and a fixed English
// sentence naming the keyword ("Value type not permitted by 'type' constraint."). This reads the
// keyword from the sentence, looks the node up in the document and the keyword up in the schema,
// and writes what a user needs: "members: expected a list, got a string" at the value's line and
// column. An `errorMessage` (or `patternErrorMessage`) next to the keyword in the schema, the
// extension editors also show, replaces the generic wording. Summaries that only repeat a nested
// failure (allOf, if/then/else, items, properties) are dropped, a node with the wrong type gets
// only that message, and unknown fields are all listed, not only the first.

#include <string>
#include <vector>

#include "reconciler/config/schema_navigator.hpp"
#include "reconciler/config/yaml_document.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

struct RawSchemaError {
  std::vector<std::string> context;  // valijson's path: "<root>", "[key]", "[index]"
  std::string description;
};

// Diagnostics sorted by position in the document; never empty when `errors` is not.
// `path_prefix` is where `document` sits in a larger one ("targets.dev" for a target's settings
// checked on their own): messages name paths from there.
Diagnostics describe_schema_errors(const std::vector<RawSchemaError>& errors, const YamlDocument& document,
                                   const SchemaNavigator& schema, const std::string& path_prefix = {});

}  // namespace idform::config
