#pragma once
// Graph's error body and the response headers every Graph response carries:
//   {"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}
// (GRAPH-DC errors.md). request-id is fresh per response; client-request-id echoes the header.
#include <string>

#include "core/http_types.hpp"

namespace idp_sim::graph {

// Adds request-id, client-request-id and x-ms-ags-diagnostic headers.
void add_standard_headers(SimResponse& response, const SimRequest& request);

SimResponse graph_error(int status, const std::string& code, const std::string& message, const SimRequest& request);
SimResponse graph_json(int status, const Json& body, const SimRequest& request);
SimResponse graph_no_content(const SimRequest& request);

// Frequently used errors with the wording Graph uses.
SimResponse not_found(const std::string& id, const SimRequest& request);  // Request_ResourceNotFound
SimResponse bad_request(const std::string& message, const SimRequest& request);  // Request_BadRequest

}  // namespace idp_sim::graph
