#pragma once
// Warnings the schemas carry: values the identity providers accept but that are unusual or
// unsafe (an http:// reply URL, an entity id that is not a URI, a name with trailing spaces).
//
// A schema object may hold, next to its validation keywords, a list
//   "warnings": [{"pattern": "<regex>", "message": "..."}, {"maxLength": N, "message": "..."}]
// A string value the object applies to is warned about when it does not match the pattern, or
// when it is longer than N characters (code points). Validation does not read the keyword, so the
// value stays valid: `idform validate` reports the warning with file:line:col and exits 0.

#include <memory>
#include <nlohmann/json.hpp>

#include "reconciler/config/yaml_document.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

class SchemaWarnings {
 public:
  explicit SchemaWarnings(const nlohmann::json& schema);
  ~SchemaWarnings();

  // Every warning for `document`, in document order. May run on several threads at once.
  Diagnostics check(const YamlDocument& document) const;

 private:
  struct Cache;
  const nlohmann::json& m_schema;
  std::unique_ptr<Cache> m_cache;
};

}  // namespace idform::config
