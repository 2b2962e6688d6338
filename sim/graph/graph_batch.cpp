// JSON batching (GRAPH-DC json-batching.md): POST /v1.0/$batch with at most 20 requests, unique
// ids, optional dependsOn. Items run one at a time through the same pipeline as individual
// requests (routing, throttling, handlers), so each is throttled on its own and a throttled item
// comes back as status 429 inside the 200 envelope. An item whose dependency failed gets 424.
// Items without dependencies run in the order given; responses are returned in execution order.
// Item URLs must be relative to the version root: an absolute URL makes the whole envelope
// "Invalid batch payload format." (400), a "/v1.0/..." item fails alone with "Resource not found
// for the segment 'v1.0'." (both as Graph answers them, microsoftgraph/msgraph-sdk-javascript
// issues #1178, #1451).
#include <map>
#include <optional>
#include <set>

#include "graph/graph_errors.hpp"
#include "graph/graph_flavor.hpp"

namespace idp_sim::graph {

namespace {

constexpr std::size_t kMaxBatchRequests = 20;

Json item_error(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

// A response body as JSON text for the envelope: JSON bodies as they are, anything else as a
// JSON string.
std::string json_text(const SimResponse& response) {
  if (response.body.empty()) return "";
  auto type = response.headers.find("Content-Type");
  bool json = type != response.headers.end() && type->second.find("json") != std::string::npos;
  // Every body idp-sim labels JSON is a Json dump (add_standard_headers); a cheap check instead
  // of parsing it again.
  if (json && (response.body.front() == '{' || response.body.front() == '[')) return response.body;
  return Json(response.body).dump();
}

// Item URLs are relative to the version root ("/users"); Graph reads a leading "/v1.0" or
// "/beta" as a resource segment it does not know, so the item fails on its own.
std::optional<std::string> version_segment(const std::string& url) {
  std::string first = url.substr(1, url.find_first_of("/?", 1) - 1);
  if (iequals(first, "v1.0") || iequals(first, "beta")) return first;
  return std::nullopt;
}

// Why the envelope is refused as a whole (400), or nullopt: its shape, its size, item ids and
// dependsOn references.
std::optional<std::string> envelope_problem(const Json& body) {
  if (!body.is_object() || !body.contains("requests") || !body["requests"].is_array()) {
    return "Invalid batch payload format.";
  }
  const Json& requests = body["requests"];
  if (requests.size() > kMaxBatchRequests) {
    return "Number of batch request steps exceeds the maximum of " + std::to_string(kMaxBatchRequests) + ".";
  }
  std::set<std::string> ids;
  for (const auto& item : requests) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("method") ||
        !item["method"].is_string() || !item.contains("url") || !item["url"].is_string()) {
      return "Invalid batch payload format: every request needs id, method and url.";
    }
    if (item["url"].get<std::string>().find("://") != std::string::npos) return "Invalid batch payload format.";
    if (!ids.insert(to_lower(item["id"].get<std::string>())).second) {
      return "Batch request contains duplicate request id '" + item["id"].get<std::string>() + "'.";
    }
  }
  for (const auto& item : requests) {
    if (!item.contains("dependsOn")) continue;
    if (!item["dependsOn"].is_array()) return "dependsOn must be an array of request ids.";
    for (const auto& dependency : item["dependsOn"]) {
      if (!dependency.is_string() || !ids.count(to_lower(dependency.get<std::string>()))) {
        return "dependsOn refers to an unknown request id.";
      }
    }
  }
  return std::nullopt;
}

// The first item not yet run whose dependencies have all run; nullopt when there is none (a cycle).
std::optional<std::size_t> next_ready_item(const Json& requests, const std::vector<bool>& done,
                                           const std::map<std::string, int>& status_by_id) {
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (done[i]) continue;
    bool ready = true;
    for (const auto& dependency : requests[i].value("dependsOn", Json::array())) {
      ready = ready && status_by_id.count(to_lower(dependency.get<std::string>()));
    }
    if (ready) return i;
  }
  return std::nullopt;
}

bool dependency_failed(const Json& item, const std::map<std::string, int>& status_by_id) {
  for (const auto& dependency : item.value("dependsOn", Json::array())) {
    auto status = status_by_id.find(to_lower(dependency.get<std::string>()));
    if (status != status_by_id.end() && status->second >= 400) return true;
  }
  return false;
}

// Builds the request an item stands for, under the envelope's authorization; returns why the
// item fails on its own (400), or nullopt.
std::optional<std::string> inner_request(const Json& item, const SimRequest& envelope, const std::string& graph_prefix,
                                         SimRequest& inner) {
  inner.method = item["method"].get<std::string>();
  for (auto& c : inner.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string url = item["url"].get<std::string>();
  if (url.empty() || url.front() != '/') url = "/" + url;
  if (auto segment = version_segment(url)) return "Resource not found for the segment '" + *segment + "'.";
  auto question = url.find('?');
  inner.path = graph_prefix + url_decode(url.substr(0, question), false);
  if (question != std::string::npos) inner.query = parse_query_string(url.substr(question + 1));
  inner.base_url = envelope.base_url;
  inner.inside_batch = true;
  inner.headers["Authorization"] = envelope.header("Authorization");
  if (item.contains("headers") && item["headers"].is_object()) {
    for (const auto& [name, value] : item["headers"].items()) {
      if (value.is_string()) inner.headers[name] = value.get<std::string>();
    }
  }
  if (item.contains("body")) {
    if (!inner.headers.count("Content-Type")) return "Content-Type header must be specified when a body is present.";
    inner.body = item["body"].is_string() ? item["body"].get<std::string>() : item["body"].dump();
  }
  return std::nullopt;
}

// The envelope is written around the items' bodies as they are: parsing each body only to
// serialise it again was a fifth of the simulator's time on large member lists. `bodies` holds
// the JSON text of each item's body, "" where the item's Json has one already or none.
std::string envelope_text(const Json& responses, const std::vector<std::string>& bodies) {
  std::string envelope = "{\"responses\":[";
  for (std::size_t i = 0; i < responses.size(); ++i) {
    std::string item = responses[i].dump();
    if (!bodies[i].empty()) {
      item.pop_back();
      item += ",\"body\":" + bodies[i] + "}";
    }
    envelope += (i ? "," : "") + item;
  }
  return envelope + "]}";
}

}  // namespace

SimResponse GraphFlavor::batch(const SimRequest& request, const Caller& caller) {
  auto respond = [&](SimResponse response) {
    response.route = "POST /$batch";
    return response;
  };
  Json body;
  try {
    body = Json::parse(request.body);
  } catch (const std::exception&) {
    return respond(graph_error(400, "BadRequest", "Invalid batch payload format.", request));
  }
  if (auto problem = envelope_problem(body)) return respond(graph_error(400, "BadRequest", *problem, request));
  const Json& requests = body["requests"];

  // Order: repeatedly run the first item whose dependencies have all run.
  std::map<std::string, int> status_by_id;
  std::vector<bool> done(requests.size(), false);
  Json responses = Json::array();
  std::vector<std::string> bodies;
  for (std::size_t round = 0; round < requests.size(); ++round) {
    auto next = next_ready_item(requests, done, status_by_id);
    if (!next) return respond(graph_error(400, "BadRequest", "dependsOn forms a cycle.", request));
    done[*next] = true;
    const Json& item = requests[*next];
    std::string id = item["id"].get<std::string>();
    Json out = {{"id", id}};
    std::string body_text;
    int status = run_batch_item(item, request, caller, dependency_failed(item, status_by_id), out, body_text);
    status_by_id[to_lower(id)] = status;
    responses.push_back(std::move(out));
    bodies.push_back(std::move(body_text));
  }
  SimResponse response = SimResponse::json(200, Json::object());
  response.body = envelope_text(responses, bodies);
  add_standard_headers(response, request);
  return respond(response);
}

int GraphFlavor::run_batch_item(const Json& item, const SimRequest& request, const Caller& caller,
                                bool dependency_failed, Json& out, std::string& body_text) {
  auto refuse = [&](int status, const std::string& route, const std::string& code, const std::string& message) {
    out["status"] = status;
    out["body"] = item_error(code, message);
    m_context.stats.batch_item_finished(route, status, 0, false);
    return status;
  };
  if (dependency_failed) {
    return refuse(424, "(failed dependency)", "FailedDependency",
                  "The request could not be processed because a request it depends on failed.");
  }
  SimRequest inner;
  if (auto problem = inner_request(item, request, m_settings.graph_prefix, inner)) {
    return refuse(400, "(invalid batch item)", "BadRequest", *problem);
  }
  SimResponse result = execute(inner, caller);
  m_context.stats.batch_item_finished(result.route, result.status, result.resource_units, result.throttled);
  out["status"] = result.status;
  Json headers = Json::object();
  for (const auto& [name, value] : result.headers) {
    if (iequals(name, "x-ms-ags-diagnostic") || iequals(name, "client-request-id")) continue;
    headers[name] = value;
  }
  out["headers"] = headers;
  body_text = json_text(result);
  return result.status;
}

}  // namespace idp_sim::graph
