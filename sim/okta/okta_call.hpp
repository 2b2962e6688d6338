#pragma once
// What an Okta route handler gets: the request, its path parameters, the authenticated caller and
// the tenant (locked for the duration of the call), plus the helpers every handler shares:
// visibility-aware lookups and writes (eventual consistency), JSON bodies checked against Okta's
// OpenAPI schemas, and list responses paged with `limit`/`after` and Link headers.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/object_store.hpp"
#include "core/router.hpp"
#include "okta/okta_auth.hpp"
#include "okta/okta_settings.hpp"
#include "okta/openapi_schemas.hpp"

namespace idp_sim::okta {

// Collections and relations of the tenant (TenantData names).
inline constexpr const char* kGroups = "groups";
inline constexpr const char* kUsers = "users";
inline constexpr const char* kApps = "apps";
inline constexpr const char* kPolicies = "policies";
inline constexpr const char* kRules = "policy_rules";
inline constexpr const char* kZones = "zones";
inline constexpr const char* kAppGroups = "app_group_assignments";  // id "{appId}/{groupId}"
inline constexpr const char* kGroupMembers = "groups.users";         // group -> user
inline constexpr const char* kAppGroupLinks = "apps.groups";         // app -> group (assignment order)
inline constexpr const char* kPolicyRuleLinks = "policies.rules";    // policy -> rule

// Paging cursors: "after" names the last item of the previous page; this remembers the position of
// every item ever listed so a cursor stays valid when that item is deleted meanwhile.
using CursorIndex = std::map<std::string, std::uint64_t>;

struct OktaCall {
  const SimRequest& request;
  PathParams params;
  Caller caller;
  TenantData& data;
  double now;  // virtual time
  const Visibility& visibility;
  const OktaSettings& settings;
  CursorIndex& cursors;

  std::string param(const std::string& name) const;
  std::string query(const std::string& name) const;  // "" when absent
  // Absolute URL on this server for a path ("/api/v1/groups/x" -> "http://127.0.0.1:PORT/api/v1/groups/x").
  std::string href(const std::string& path) const { return request.base_url + path; }
};

using OktaHandler = std::function<SimResponse(OktaCall&)>;

// A route: its handler and the OAuth scope family it needs ("groups" -> okta.groups.read for GET,
// okta.groups.manage otherwise; "users.read" -> always okta.users.read).
struct OktaRoute {
  std::string scope_family;
  OktaHandler run;
};
using OktaRouter = Router<OktaRoute>;

// Lookups and writes honouring the consistency delay.
Record* find_readable(OktaCall& call, const std::string& collection, const std::string& id);
Record* find_writable(OktaCall& call, const std::string& collection, const std::string& id);
std::vector<Record*> readable_records(OktaCall& call, const std::string& collection);
Record& insert_record(OktaCall& call, const std::string& collection, const std::string& id, Json object);
void delete_record(OktaCall& call, const std::string& collection, const std::string& id);
void add_link(OktaCall& call, const std::string& relation, const std::string& parent, const std::string& child,
              const std::string& child_kind);
void remove_link(OktaCall& call, const std::string& relation, const std::string& parent, const std::string& child);
std::vector<const Link*> readable_links(OktaCall& call, const std::string& relation, const std::string& parent);
// Ids of all children of `parent` (including hidden ones), copied so that links can be removed
// while iterating.
std::vector<std::string> linked_children(OktaCall& call, const std::string& relation, const std::string& parent);
bool link_writable(OktaCall& call, const std::string& relation, const std::string& parent, const std::string& child);

// Request bodies: malformed JSON -> E0000003; schema problems -> E0000001 with errorCauses.
std::optional<Json> parse_json_body(OktaCall& call, SimResponse& failure);
std::optional<SimResponse> check_schema(const Json& body, const std::string& schema, WriteKind kind);
// E0000001 for one field ("profile.name: The field cannot be left blank").
SimResponse field_error(const std::string& field, const std::string& message);

// Lists. Rows are in the collection's order; `scope` names the list for cursors ("groups",
// "groups.users/00g..."). `pageable` false (`q` on groups) means no `after` and no next link.
struct ListRow {
  std::uint64_t sequence = 0;
  std::string cursor;  // the item's id
  Json object;
};
struct PageRules {
  std::string scope;
  int default_limit = 200;
  int max_limit = 200;  // larger values are clamped, as Okta does
  bool pageable = true;
};
SimResponse list_response(OktaCall& call, std::vector<ListRow> rows, const PageRules& rules);
void remember_cursor(CursorIndex& cursors, const std::string& scope, const std::string& id, std::uint64_t sequence);

// Timestamps in Okta's format, "2024-06-03T13:52:07.000Z".
std::string okta_timestamp();

}  // namespace idp_sim::okta
