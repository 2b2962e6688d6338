// Graph's error bodies and the headers every Graph response carries.
#include "graph/graph_errors.hpp"

#include "core/crypto.hpp"
#include "core/sim_clock.hpp"

namespace idp_sim::graph {

namespace {
constexpr const char* kContentType =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
}

void add_standard_headers(SimResponse& response, const SimRequest& request) {
  std::string request_id = response.headers.count("request-id") ? response.headers["request-id"] : new_uuid();
  response.headers["request-id"] = request_id;
  std::string client_request_id = request.header("client-request-id");
  response.headers["client-request-id"] = client_request_id.empty() ? request_id : client_request_id;
  response.headers["x-ms-ags-diagnostic"] =
      R"({"ServerInfo":{"DataCenter":"idp-sim","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"idp-sim"}})";
  if (!response.body.empty()) response.headers["Content-Type"] = kContentType;
}

SimResponse graph_error(int status, const std::string& code, const std::string& message, const SimRequest& request) {
  std::string request_id = new_uuid();
  std::string client_request_id = request.header("client-request-id");
  Json body = {{"error",
                {{"code", code},
                 {"message", message},
                 {"innerError",
                  {{"date", SimClock::utc_timestamp_seconds()},
                   {"request-id", request_id},
                   {"client-request-id", client_request_id.empty() ? request_id : client_request_id}}}}}};
  SimResponse response = SimResponse::json(status, body);
  response.headers["request-id"] = request_id;
  add_standard_headers(response, request);
  return response;
}

SimResponse graph_json(int status, const Json& body, const SimRequest& request) {
  SimResponse response = SimResponse::json(status, body);
  add_standard_headers(response, request);
  return response;
}

SimResponse graph_no_content(const SimRequest& request) {
  SimResponse response = SimResponse::empty(204);
  add_standard_headers(response, request);
  return response;
}

SimResponse not_found(const std::string& id, const SimRequest& request) {
  return graph_error(404, "Request_ResourceNotFound",
                     "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.",
                     request);
}

SimResponse bad_request(const std::string& message, const SimRequest& request) {
  return graph_error(400, "Request_BadRequest", message, request);
}

}  // namespace idp_sim::graph
