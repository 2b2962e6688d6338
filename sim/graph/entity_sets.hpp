#pragma once
// What idp-sim knows about each Graph collection it serves, taken from the resource and list
// pages of the Graph v1.0 reference: CSDL type, @odata.context, page sizes, the properties a
// create must carry, the read-only ones, the ones returned only on $select, and which
// properties $filter accepts. docs/idp-sim.md cites the page for each.
#include <set>
#include <string>
#include <vector>

namespace idp_sim::graph {

enum class ErrorStyle {
  directory,           // Request_BadRequest, "Invalid property 'x'." (directory objects)
  conditional_access,  // BadRequest, "1007: Incoming ... does not match the schema ..."
};

struct EntitySet {
  std::string name;            // collection name in the tenant store, e.g. "groups"
  std::string type;            // CSDL type, e.g. "group"
  std::string resource_name;   // as Graph names it in messages: "Group"
  std::string list_context;    // "groups" -> "$metadata#groups"
  std::string entity_context;  // "groups" -> "$metadata#groups/$entity"
  bool directory_object = true;  // shares the directory id space; advanced-query rules apply
  bool polymorphic = false;      // keeps @odata.type on every item (named locations)
  int default_page_size = 100;
  int max_page_size = 999;       // 0: no maximum known
  ErrorStyle error_style = ErrorStyle::directory;
  std::vector<std::string> required_on_create;
  std::set<std::string> read_only;
  std::set<std::string> create_forbidden;  // settable only by PATCH
  std::set<std::string> select_only;        // returned only on $select
  std::vector<std::string> default_properties;  // when set, the only properties returned by default
  std::set<std::string> filterable;         // empty: any property
};

const EntitySet& users_set();
const EntitySet& groups_set();
const EntitySet& applications_set();
const EntitySet& service_principals_set();
const EntitySet& ca_policies_set();
const EntitySet& named_locations_set();
const EntitySet& app_role_assignments_set();
const EntitySet& federated_credentials_set();

// Entity sets whose objects are directory objects, in lookup order for /directoryObjects/{id}.
const std::vector<const EntitySet*>& directory_sets();
const EntitySet* entity_set_by_name(const std::string& name);
const EntitySet* entity_set_by_type(const std::string& type);

}  // namespace idp_sim::graph
