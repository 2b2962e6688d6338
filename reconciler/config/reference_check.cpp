// Checks across documents: unique names and ids, references to objects that exist.
#include "reconciler/config/reference_check.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "reconciler/config/resource_builder.hpp"
#include "reconciler/config/suggest.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/model/reference_forms.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::config {
namespace {

using model::FieldType;
using model::Kind;

std::string in_quotes(const std::string& text) { return "\"" + text + "\""; }

std::string join(const std::vector<std::string>& words, const std::string& separator) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : separator) + word;
  return out;
}

Error error_at(SourceLocation where, std::string message, std::string address = {}) {
  return Error{std::move(message), {}, std::move(address), std::move(where)};
}

// A typed reference found in a resource's spec. Where it was written is looked up only when
// there is something to say about it: most mentions are users, checked at plan time.
struct Mention {
  model::Reference reference;
  std::string role;  // assignments only
  std::string key;   // its key in Resource::locations: "members[group:x]"
};

SourceLocation where_of(const model::Resource& resource, const Mention& mention) {
  auto location = resource.locations.find(mention.key);
  return location != resource.locations.end() ? location->second : resource.where;
}

// The mentions in one list field; with `skip_users`, leaving out user: members and
// references, which no check here looks at.
std::vector<Mention> mentions_of(const model::Resource& resource, const model::Field& field,
                                 bool skip_users = false) {
  std::vector<Mention> out;
  const nlohmann::json* list = model::find_path(resource.spec, field.path);
  if (!list || !list->is_array()) return out;
  for (const auto& item : *list) {
    const std::string& element = item.get_ref<const std::string&>();
    if (skip_users && field.type != FieldType::assignments && element.starts_with("user:")) continue;
    std::string key = std::string(field.path) + "[" + element + "]";
    if (field.type == FieldType::assignments) {
      auto assignment = model::AssignmentElement::parse(element);
      out.push_back({assignment.principal, assignment.role, std::move(key)});
    } else {
      out.push_back({model::Reference::parse(element), {}, std::move(key)});
    }
  }
  return out;
}

// Every mention of another object (groups, apps, locations); users are left out.
std::vector<Mention> object_mentions(const model::Resource& resource) {
  std::vector<Mention> out;
  for (const model::Field& field : model::fields_of(resource.kind)) {
    if (field.type != FieldType::members && field.type != FieldType::assignments &&
        field.type != FieldType::reference_set)
      continue;
    for (Mention& mention : mentions_of(resource, field, true)) out.push_back(std::move(mention));
  }
  return out;
}

class ReferenceChecker {
 public:
  ReferenceChecker(const std::vector<model::Resource>& resources,
                   const DeclarationIndex& declarations, bool check_unknown, Diagnostics* warnings)
      : m_resources(resources), m_declarations(declarations), m_check_unknown(check_unknown), m_warnings(warnings) {}

  Diagnostics run() {
    for (const model::Resource& resource : m_resources) {
      if (resource.lifecycle == model::Lifecycle::absent) continue;  // being deleted
      for (const Mention& mention : object_mentions(resource)) check_mention(resource, mention);
      if (resource.kind == Kind::application) check_roles(resource);
    }
    check_cycles();
    return std::move(m_diagnostics);
  }

 private:
  void check_mention(const model::Resource& resource, const Mention& mention) {
    const model::Reference& ref = mention.reference;
    auto kind = model::kind_from_prefix(ref.type);
    // user: is looked up in the tenant at plan time; role: names a directory role; tenant-external
    // applications (app:microsoft:, app:appid:, app:okta:) are the provider's to resolve.
    if (ref.type.empty() || ref.type == "user" || ref.type == "role" || !kind || model::is_external_app(ref)) return;
    std::string label(model::kind_label(*kind));
    if (resource.kind == Kind::group && *kind == Kind::group && ref.value == resource.name) {
      report(where_of(resource, mention), "group " + in_quotes(ref.value) + " cannot be a member of itself", resource);
      return;
    }
    const Declaration* target = m_declarations.find(*kind, ref.value);
    if (!target && m_declarations.ambiguous(*kind, ref.value)) {
      report(where_of(resource, mention), "several " + label + "s are named " + in_quotes(ref.value) +
                                "; refer to one by id: " + ref.type + ":id:<ID>",
             resource);
      return;
    }
    if (!target && model::is_by_id(ref)) {
      if (m_warnings)
        m_warnings->push_back(error_at(where_of(resource, mention),
                                       label + " " + in_quotes(ref.value) + " is not declared in this repository; "
                                       "it refers to the tenant's object by id, which idform does not manage",
                                       resource.address()));
      return;
    }
    if (!target) {
      if (m_check_unknown)
        report(where_of(resource, mention), "unknown " + label + " " + in_quotes(ref.value) +
                                  did_you_mean(ref.value, m_declarations.names(*kind)),
               resource);
      return;
    }
    if (target->absent)
      report(where_of(resource, mention), label + " " + in_quotes(ref.value) + " is referenced here but has " +
                                "state: absent (" + target->where.to_string() + ")",
             resource);
  }

  void check_roles(const model::Resource& app) {
    auto roles_json = app.spec.find("roles");
    if (roles_json == app.spec.end() || !roles_json->is_array() || roles_json->empty()) return;
    std::vector<std::string> roles = roles_json->get<std::vector<std::string>>();
    for (const model::Field& field : model::fields_of(app.kind)) {
      if (field.type != FieldType::assignments) continue;
      for (const Mention& mention : mentions_of(app, field)) {
        if (mention.role.empty() || std::find(roles.begin(), roles.end(), mention.role) != roles.end())
          continue;
        report(where_of(app, mention), "role " + in_quotes(mention.role) + " is not one of the application's roles (" +
                                  join(roles, ", ") + ")" + did_you_mean(mention.role, roles),
               app);
      }
    }
  }

  // Nested groups must form a tree-like graph: a cycle has no meaning in any identity provider.
  void check_cycles() {
    std::map<std::string, std::vector<std::pair<std::string, SourceLocation>>> edges;
    std::map<std::string, const model::Resource*> groups;
    for (const model::Resource& resource : m_resources) {
      if (resource.kind != Kind::group || resource.lifecycle == model::Lifecycle::absent) continue;
      groups[resource.name] = &resource;
      for (const Mention& mention : object_mentions(resource))
        if (mention.reference.type == "group" && mention.reference.value != resource.name)
          edges[resource.name].push_back({mention.reference.value, where_of(resource, mention)});
    }
    std::map<std::string, int> state;  // 0 unvisited, 1 on the path, 2 done
    std::vector<std::string> path;
    std::set<std::vector<std::string>> reported;
    std::function<void(const std::string&)> visit = [&](const std::string& group) {
      state[group] = 1;
      path.push_back(group);
      for (const auto& [member, where] : edges[group]) {
        if (state[member] == 1) report_cycle(path, member, edges, groups, reported);
        else if (state[member] == 0 && groups.contains(member)) visit(member);
      }
      path.pop_back();
      state[group] = 2;
    };
    for (const auto& [name, _] : groups)
      if (state[name] == 0) visit(name);
  }

  void report_cycle(const std::vector<std::string>& path, const std::string& back_to,
                    const std::map<std::string, std::vector<std::pair<std::string, SourceLocation>>>& edges,
                    const std::map<std::string, const model::Resource*>& groups,
                    std::set<std::vector<std::string>>& reported) {
    std::vector<std::string> cycle(std::find(path.begin(), path.end(), back_to), path.end());
    // Start at the smallest name so that the same cycle is reported once, the same way.
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    if (!reported.insert(cycle).second) return;
    const std::string& next = cycle.size() > 1 ? cycle[1] : cycle[0];
    SourceLocation where = groups.at(cycle[0])->where;
    for (const auto& [member, location] : edges.at(cycle[0]))
      if (member == next) where = location;
    report(where, "nested group cycle: " + join(cycle, " -> ") + " -> " + cycle[0],
           *groups.at(cycle[0]));
  }

  void report(SourceLocation where, std::string message, const model::Resource& resource) {
    m_diagnostics.push_back(error_at(std::move(where), std::move(message), resource.address()));
  }

  const std::vector<model::Resource>& m_resources;
  const DeclarationIndex& m_declarations;
  bool m_check_unknown;
  Diagnostics* m_warnings;
  Diagnostics m_diagnostics;
};

}  // namespace

void DeclarationIndex::add(Declaration declaration, Diagnostics& diagnostics) {
  std::string label(model::kind_label(declaration.kind));
  auto key = std::pair(declaration.kind, declaration.name);
  if (auto first = m_by_name.find(key); first != m_by_name.end()) {
    bool both_pinned = !declaration.id.empty() && !first->second.id.empty() && declaration.id != first->second.id;
    if (both_pinned) {
      m_ambiguous.insert(key);
      m_by_id.emplace(declaration.id, std::move(declaration));
      return;
    }
    diagnostics.push_back(error_at(declaration.where,
                                   "duplicate " + label + " name " + in_quotes(declaration.name) +
                                       " (first defined at " + first->second.where.to_string() + ")",
                                   model::make_address(declaration.kind, declaration.name)));
    return;
  }
  auto folded = std::pair(declaration.kind, util::to_lower(declaration.name));
  if (auto twin = m_by_folded_name.find(folded); twin != m_by_folded_name.end()) {
    const Declaration& first = m_by_name.at({declaration.kind, twin->second});
    bool both_pinned = !declaration.id.empty() && !first.id.empty() && declaration.id != first.id;
    if (!both_pinned) {
      diagnostics.push_back(error_at(declaration.where,
                                     label + " name " + in_quotes(declaration.name) + " differs only in case from " +
                                         in_quotes(first.name) + " (defined at " + first.where.to_string() +
                                         "); identity providers do not tell them apart",
                                     model::make_address(declaration.kind, declaration.name)));
      return;
    }
  } else {
    m_by_folded_name.emplace(folded, declaration.name);
  }
  if (!declaration.id.empty()) {
    if (auto first = m_by_id.find(declaration.id); first != m_by_id.end()) {
      diagnostics.push_back(error_at(
          declaration.id_where,
          "duplicate id " + in_quotes(declaration.id) + " (also the id of " +
              std::string(model::kind_label(first->second.kind)) + " " +
              in_quotes(first->second.name) + " at " + first->second.id_where.to_string() + ")",
          model::make_address(declaration.kind, declaration.name)));
    } else {
      m_by_id.emplace(declaration.id, declaration);
    }
  }
  m_by_name.emplace(key, std::move(declaration));
}

const Declaration* DeclarationIndex::find(Kind kind, const std::string& name) const {
  if (name.starts_with("id:")) {
    auto by_id = m_by_id.find(name.substr(3));
    return by_id != m_by_id.end() && by_id->second.kind == kind ? &by_id->second : nullptr;
  }
  if (ambiguous(kind, name)) return nullptr;
  auto found = m_by_name.find({kind, name});
  return found == m_by_name.end() ? nullptr : &found->second;
}

bool DeclarationIndex::ambiguous(Kind kind, const std::string& name) const {
  return m_ambiguous.contains({kind, name});
}

std::vector<std::string> DeclarationIndex::names(Kind kind) const {
  std::vector<std::string> out;
  for (const auto& [key, _] : m_by_name)
    if (key.first == kind) out.push_back(key.second);
  return out;
}

Diagnostics check_references(const std::vector<model::Resource>& resources,
                             const DeclarationIndex& declarations, bool check_unknown,
                             Diagnostics* warnings) {
  return ReferenceChecker(resources, declarations, check_unknown, warnings).run();
}

Diagnostics check_project_addresses(const YamlDocument& project,
                                    const DeclarationIndex& declarations) {
  Diagnostics out;
  for (const char* list : {"/guards/protected", "/emergency_access"}) {
    JsonPointer pointer(list);
    if (!project.root.contains(pointer) || !project.root.at(pointer).is_array()) continue;
    const auto& items = project.root.at(pointer);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_string()) continue;
      // Addresses ("policy:CA-001") use kind prefixes, which are not all reference types.
      const std::string address = items[i].get<std::string>();
      auto colon = address.find(':');
      auto kind = model::kind_from_prefix(address.substr(0, colon));
      if (colon == std::string::npos || !kind) continue;  // the schema reports these
      const std::string name = address.substr(colon + 1);
      SourceLocation where = project.sources.value_at(pointer / i);
      std::string label(model::kind_label(*kind));
      const Declaration* target = declarations.find(*kind, name);
      if (!target)
        out.push_back(error_at(where, "unknown " + label + " " + in_quotes(name) +
                                          did_you_mean(name, declarations.names(*kind))));
      else if (target->absent)
        out.push_back(error_at(where, label + " " + in_quotes(name) + " has state: absent (" +
                                          target->where.to_string() + ")"));
    }
  }
  return out;
}

}  // namespace idform::config
