// Looks up the schemas compiled into the program (the table itself is generated at build time).
#include "reconciler/config/embedded_schemas.hpp"

namespace idform::config {

std::string_view embedded_schema(std::string_view name) {
  for (const EmbeddedFile& file : embedded_schemas())
    if (file.name == name) return file.content;
  return {};
}

}  // namespace idform::config
