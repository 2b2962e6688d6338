#pragma once
// Applying one planned change to Graph, one function per kind. Each returns the object's id
// (the new id for creates; the appId for applications).
//
// Updates send only what changed: scalar and list fields as a PATCH of the Graph properties
// they map to; members, owners and assignments as the planned additions and removals, never as
// a rewrite of the whole list.

#include <string>
#include <vector>

#include "providers/entra/graph_client.hpp"
#include "providers/entra/references.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::providers::entra {

Result<std::string> apply_group(GraphClient& graph, const provider::ApplyRequest& request);
Result<std::string> apply_application(GraphClient& graph, const provider::ApplyRequest& request);
Result<std::string> apply_policy(GraphClient& graph, const provider::ApplyRequest& request);
Result<std::string> apply_location(GraphClient& graph, const provider::ApplyRequest& request);

// Shared by the writers ----------------------------------------------------------------------

// The config fields a change touches: every stated field for a create, the changed ones for an
// update ("name" included when renamed).
std::vector<std::string> touched_paths(const plan::Change& change);
const plan::AttributeChange* attribute(const plan::Change& change, std::string_view path);

// POST that creates an object. Graph has no idempotency key, so when the outcome is unknown (the
// connection dropped, a 5xx) `find_existing` looks for the object before the POST is repeated;
// an object it finds is adopted instead of created twice.
using Finder = std::function<Result<nlohmann::json>()>;  // the object, or null when absent
Result<nlohmann::json> create_object(GraphClient& graph, const std::string& path, const nlohmann::json& body,
                                     const Finder& find_existing);
// The first object of a filtered list (GET path), or null.
Result<nlohmann::json> find_first(GraphClient& graph, const std::string& path);

// POST .../$ref adding `object_id`; "already exists" counts as done, so a repeat is harmless.
Result<void> add_reference(GraphClient& graph, const std::string& path, const std::string& object_id);
// DELETE many .../$ref (or other) paths through $batch; 404 counts as done.
Result<void> delete_all(GraphClient& graph, const std::vector<std::string>& paths);

std::string directory_object_url(const GraphClient& graph, const std::string& id);

// Graph may replace a complex property (web, conditions, sessionControls) as a whole when a
// PATCH names it, dropping the parts the PATCH left out. So each complex property in `patch` is
// completed from the object's current value (GET `path`) before it is sent: the PATCH states
// the whole property, the same under merge and replace semantics.
Result<nlohmann::json> complete_patch(GraphClient& graph, const std::string& path, nlohmann::json patch);
// `base` with `overlay` laid over it: objects merge key by key, anything else is replaced.
nlohmann::json deep_merge(nlohmann::json base, const nlohmann::json& overlay);

}  // namespace idform::providers::entra
