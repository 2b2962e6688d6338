#pragma once
// Validates YAML documents against the JSON Schemas of schemas/ (built into the program).
//
// Each schema is read and compiled once per SchemaSet; a resource document is checked against the
// schema of its `kind:` (group.schema.json for kind: Group), idform.yaml against
// idform.schema.json. Errors are mapped back to the YAML nodes they concern.

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "reconciler/config/yaml_document.hpp"
#include "reconciler/model/kind.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

class SchemaSet {
 public:
  // Compiles idform.schema.json and one schema per kind, as built into the program
  // (embedded_schemas.hpp).
  static Result<SchemaSet> load();

  SchemaSet(SchemaSet&&) noexcept;
  SchemaSet& operator=(SchemaSet&&) noexcept;
  ~SchemaSet();

  // Both checks may run on several threads at once.
  Diagnostics check_project(const YamlDocument& document) const;
  // Checks `kind:` first (missing or unknown is an error at that node), then the kind's schema.
  Diagnostics check_resource(const YamlDocument& document) const;
  // A whatif/*.yaml scenario file, against whatif.schema.json.
  Diagnostics check_scenarios(const YamlDocument& document) const { return check(document, "whatif"); }
  // The schema's warnings for a document that passed check_resource (schema_warnings.hpp).
  Diagnostics warn_resource(const YamlDocument& document) const;

 private:
  struct Compiled;
  SchemaSet();
  Diagnostics check(const YamlDocument& document, const std::string& stem) const;

  std::map<std::string, std::unique_ptr<Compiled>> m_schemas;  // by file stem: "group"
};

// "group" for Group, "conditional_access_policy" for ConditionalAccessPolicy: the schema's stem.
std::string schema_stem(model::Kind kind);

// The document's kind, or an error at the `kind:` node (or the document) saying what is wrong.
Result<model::Kind> document_kind(const YamlDocument& document);

}  // namespace idform::config
