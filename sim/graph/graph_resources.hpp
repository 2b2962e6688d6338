#pragma once
// Pieces shared between the handler files.
#include "graph/graph_call.hpp"

namespace idp_sim::graph {

// /groups/{id}/appRoleAssignments (group-side view of app role assignments).
void register_group_app_role_routes(GraphRouter& router);

// Creates an app role assignment after Graph's checks; `context` is the @odata.context path.
SimResponse create_app_role_assignment(GraphCall& call, const Json& body, const std::string& context);

}  // namespace idp_sim::graph
