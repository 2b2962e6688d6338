#pragma once
// The JSON Schemas of schemas/, compiled into the program (cmake/EmbedSchemas.cmake generates the
// definition at build time), so that an installed idform reads nothing from the source tree.

#include <string_view>
#include <vector>

namespace idform::config {

struct EmbeddedFile {
  std::string_view name;     // "group.schema.json"
  std::string_view content;  // the file's bytes
};

// Every schemas/*.json, sorted by name.
const std::vector<EmbeddedFile>& embedded_schemas();

// The content of schemas/NAME, or an empty view when there is no such schema.
std::string_view embedded_schema(std::string_view name);

}  // namespace idform::config
