#pragma once
// What a Graph route handler gets: the request, its path parameters, the authenticated caller
// and the tenant (locked for the duration of the call), plus the helpers every handler shares:
// visibility-aware lookups, inserts and deletes that honour the consistency delay, list and
// entity responses with $select/$filter/paging, and Graph-shaped validation errors.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/object_store.hpp"
#include "core/router.hpp"
#include "graph/entity_sets.hpp"
#include "graph/graph_auth.hpp"
#include "graph/graph_settings.hpp"
#include "graph/odata_query.hpp"
#include "graph/validation.hpp"

namespace idp_sim::graph {

class DeltaRounds;

struct GraphCall {
  const SimRequest& request;
  PathParams params;
  Caller caller;
  TenantData& data;
  double now;  // virtual time
  const Visibility& visibility;
  const GraphSettings& settings;
  DeltaRounds* delta = nullptr;  // the flavor's delta-query rounds

  std::string param(const std::string& name) const;
};

using GraphHandler = std::function<SimResponse(GraphCall&)>;
using GraphRouter = Router<GraphHandler>;

struct DirectoryObject {
  const EntitySet* set = nullptr;
  Record* record = nullptr;
};

// Lookups. `key` is an object id; for users also a userPrincipalName; for applications and
// service principals also "appId=<guid>" (from the (appId='...') key syntax).
Record* find_readable(GraphCall& call, const EntitySet& set, const std::string& key);
Record* find_writable(GraphCall& call, const EntitySet& set, const std::string& key);
std::optional<DirectoryObject> find_directory_object(GraphCall& call, const std::string& id, bool for_write);
std::size_t active_user_count(TenantData& data);

// Writes.
Record& insert_object(GraphCall& call, const EntitySet& set, Json object);
void delete_object(GraphCall& call, const EntitySet& set, std::string id);  // by value: callers pass record->id
bool add_link(GraphCall& call, const std::string& relation, const std::string& parent, const std::string& child_id,
              const std::string& child_kind);
void remove_link(GraphCall& call, const std::string& relation, const std::string& parent, const std::string& child_id);
std::vector<const Link*> readable_links(GraphCall& call, const std::string& relation, const std::string& parent);

// Request bodies and errors.
std::optional<Json> parse_json_body(GraphCall& call, SimResponse& failure);
SimResponse validation_error(const ValidationFailure& failure, const SimRequest& request);
std::optional<SimResponse> validate(GraphCall& call, const Json& body, const EntitySet& set, WriteKind kind);
// The directory object id in an "@odata.id" / "@odata.bind" URL.
std::optional<std::string> reference_id(const std::string& url);

// Responses.
std::vector<ListRow> readable_rows(GraphCall& call, const EntitySet& set);
SimResponse list_response(GraphCall& call, const ListShape& shape, std::vector<ListRow> rows,
                          const std::string& context_path);
SimResponse entity_response(GraphCall& call, const EntitySet& set, const Json& object, const std::string& context_path,
                            int status = 200);

std::string new_object_id();
std::string now_timestamp();

}  // namespace idp_sim::graph
