#pragma once
// Checks that need every document at once: unique names and ids, typed references that name
// declared objects, nested-group cycles, assignment roles the application declares, and the
// object addresses in idform.yaml.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/config/yaml_document.hpp"
#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

// One object as declared by a document, valid or not: a document with a schema error still
// declares its name, so references to it are not reported as unknown as well.
struct Declaration {
  model::Kind kind = model::Kind::group;
  std::string name;
  SourceLocation where;  // the `name:` value
  std::string id;
  SourceLocation id_where;
  bool absent = false;  // state: absent
};

class DeclarationIndex {
 public:
  // Adds a declaration, reporting a duplicate name or id into `diagnostics` instead. Two objects
  // may share a name only when both pin distinct ids (as import writes them); references to them
  // must then use "id:<ID>".
  void add(Declaration declaration, Diagnostics& diagnostics);

  // By name, or by "id:<ID>". Null when unknown or when the name is ambiguous.
  const Declaration* find(model::Kind kind, const std::string& name) const;
  bool ambiguous(model::Kind kind, const std::string& name) const;
  std::vector<std::string> names(model::Kind kind) const;

 private:
  std::map<std::pair<model::Kind, std::string>, Declaration> m_by_name;
  std::map<std::string, Declaration> m_by_id;
  std::set<std::pair<model::Kind, std::string>> m_ambiguous;
  // (kind, lower-cased name) -> the name first declared so: names equal but for case are one
  // object to an identity provider, so a second is an error.
  std::map<std::pair<model::Kind, std::string>, std::string> m_by_folded_name;
};

// References from resources to other objects. `check_unknown` is false when some document could
// not be read, since a reference to an object in it would be reported as unknown.
// A reference by id ("group:id:<ID>") to an object no document declares is valid — the tenant
// may hold it (a policy can name a group idform does not manage, or one deleted since) — and is
// reported into `warnings` when given.
Diagnostics check_references(const std::vector<model::Resource>& resources,
                             const DeclarationIndex& declarations, bool check_unknown,
                             Diagnostics* warnings = nullptr);

// guards.protected and emergency_access in idform.yaml must name declared objects.
Diagnostics check_project_addresses(const YamlDocument& project, const DeclarationIndex& declarations);

}  // namespace idform::config
