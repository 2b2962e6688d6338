// The Microsoft Graph v1.0 flavor of idp-sim: its routes and how requests reach them.
#include "graph/graph_flavor.hpp"

#include <fstream>
#include <sstream>

#include "core/seed_files.hpp"
#include "graph/graph_errors.hpp"

namespace idp_sim::graph {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OptionError("cannot read '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::pair<std::string, std::string> split_pair(const std::string& text, char separator, const std::string& option) {
  auto at = text.find(separator);
  if (at == std::string::npos || at == 0 || at + 1 == text.size()) {
    throw OptionError(option + ": expected A" + separator + "B, got '" + text + "'");
  }
  return {text.substr(0, at), text.substr(at + 1)};
}

}  // namespace

FlavorInfo flavor_info() {
  FlavorInfo info;
  info.name = "graph";
  info.description = "Microsoft Graph v1.0 under /v1.0 and the identity platform token endpoint";
  info.options = {
      {"--tenant-id", "GUID", false, "tenant id (default 84841066-274d-4ec0-a5c1-276be684bdd3)"},
      {"--tenant-domain", "DOMAIN", false, "tenant domain (default contoso.onmicrosoft.com)"},
      {"--authority-prefix", "PATH", false, "path before /{tenant}/oauth2/v2.0/token (default empty)"},
      {"--authority", "URL", false,
       "also accept client assertions whose aud is URL/{tenant}/oauth2/v2.0/token (the sim's own URL and "
       "https://login.microsoftonline.com are always accepted)"},
      {"--client", "APPID:SECRET", true, "register a client secret for an app id"},
      {"--client-cert", "APPID:PEMFILE", true, "register a certificate (PEM) for client assertions of an app id"},
      {"--oidc-issuer", "ISSUER=FILE", true,
       "trust an external token issuer (federated credentials); FILE is a JWKS or a PEM certificate"},
      {"--token-lifetime", "SECONDS", false, "access-token lifetime in wall-clock seconds (default 3599)"},
      {"--tenant-size", "S|M|L|auto", false,
       "resource-unit budget per 10 s: S 3500, M 5000, L 8000; auto (default) from the number of users"},
      {"--resource-unit-budget", "N", false,
       "override the resource-unit budget per app and 10 s (not a Graph setting; for tests and benchmarks)"},
  };
  info.create = [](FlavorContext& context) { return std::make_unique<GraphFlavor>(context); };
  return info;
}

GraphFlavor::GraphFlavor(FlavorContext& context)
    : m_context(context),
      m_settings([&] {
        GraphSettings settings;
        const auto& options = context.options;
        if (auto value = options.flavor_value("--tenant-id")) settings.tenant_id = *value;
        if (auto value = options.flavor_value("--tenant-domain")) settings.tenant_domain = *value;
        if (auto value = options.flavor_value("--authority-prefix")) settings.authority_prefix = *value;
        if (auto value = options.flavor_value("--authority")) settings.authority_url = *value;
        if (auto value = options.flavor_value("--token-lifetime")) {
          char* end = nullptr;
          settings.token_lifetime_seconds = std::strtod(value->c_str(), &end);
          if (*end != '\0' || settings.token_lifetime_seconds <= 0) {
            throw OptionError("--token-lifetime: expected seconds > 0, got '" + *value + "'");
          }
        }
        if (auto value = options.flavor_value("--tenant-size")) {
          if (*value != "S" && *value != "M" && *value != "L" && *value != "auto") {
            throw OptionError("--tenant-size: expected S, M, L or auto, got '" + *value + "'");
          }
          settings.tenant_size = *value;
        }
        if (auto value = options.flavor_value("--resource-unit-budget")) {
          char* end = nullptr;
          settings.resource_unit_budget = std::strtod(value->c_str(), &end);
          if (*end != '\0' || settings.resource_unit_budget < 1) {
            throw OptionError("--resource-unit-budget: expected a number >= 1, got '" + *value + "'");
          }
        }
        if (!settings.authority_prefix.empty() && settings.authority_prefix.front() != '/') {
          settings.authority_prefix = "/" + settings.authority_prefix;
        }
        return settings;
      }()),
      m_auth(m_settings),
      m_throttle(context.clock, context.options.throttle, m_settings.tenant_id) {
  m_visibility.delay = context.options.consistency_delay_ms / 1000.0;
  m_visibility.writes = context.options.consistency_writes;
  m_throttle.set_tenant_size(m_settings.tenant_size);
  m_throttle.set_budget_override(m_settings.resource_unit_budget);
  apply_cli_credentials();
  register_user_routes(m_router);
  register_group_routes(m_router);
  register_application_routes(m_router);
  register_conditional_access_routes(m_router);
  register_directory_object_routes(m_router);
  register_saml_routes(m_router);
  register_delta_routes(m_router);
  // Served by m_audits in execute(); registered so that routing and throttling know the path.
  m_router.add("GET", "/auditLogs/directoryAudits", [](GraphCall&) { return SimResponse::empty(500); });
  m_tenant.snapshot_seed();
}

void GraphFlavor::apply_cli_credentials() {
  const auto& options = m_context.options;
  for (const auto& value : options.flavor_values_of("--client")) {
    auto [app_id, secret] = split_pair(value, ':', "--client");
    m_auth.add_client_secret(app_id, secret);
  }
  for (const auto& value : options.flavor_values_of("--client-cert")) {
    auto [app_id, file] = split_pair(value, ':', "--client-cert");
    std::string error;
    auto certificate = certificate_from_text(read_file(file), error);
    if (!certificate) throw OptionError("--client-cert " + file + ": " + error);
    m_auth.add_client_certificate(app_id, *certificate);
  }
  for (const auto& value : options.flavor_values_of("--oidc-issuer")) {
    auto at = value.rfind('=');
    if (at == std::string::npos) throw OptionError("--oidc-issuer: expected ISSUER=FILE, got '" + value + "'");
    std::string error;
    auto issuer = GraphAuth::issuer_from_text(value.substr(0, at), read_file(value.substr(at + 1)), error);
    if (!issuer) throw OptionError("--oidc-issuer " + value + ": " + error);
    m_auth.add_issuer(std::move(*issuer));
  }
}

void GraphFlavor::load_seed(const std::filesystem::path& directory) {
  auto lock = m_tenant.lock();
  SeedReport report = load_graph_seed(directory, m_tenant.data());
  for (const auto& warning : report.warnings) m_context.log("seed: " + warning);
  for (auto& issuer : report.issuers) m_auth.add_issuer(std::move(issuer));
  for (const auto& [app_id, secret] : report.client_secrets) m_auth.add_client_secret(app_id, secret);
  for (const auto& [app_id, certificate] : report.client_certificates) m_auth.add_client_certificate(app_id, certificate);
  m_context.log("seed: loaded " + std::to_string(report.objects) + " objects and " + std::to_string(report.links) +
                " relationships from " + directory.string());
  m_tenant.snapshot_seed();
}

std::string GraphFlavor::graph_path(const SimRequest& request) const {
  std::string path = request.path.substr(m_settings.graph_prefix.size());
  // Alternate key syntax: /applications(appId='...') -> /applications/appId='...'
  for (const char* set : {"/applications(", "/servicePrincipals("}) {
    auto at = path.find(set);
    if (at != std::string::npos) {
      auto open = at + std::string(set).size() - 1;
      auto close = path.find(')', open);
      if (close != std::string::npos) {
        path = path.substr(0, open) + "/" + path.substr(open + 1, close - open - 1) + path.substr(close + 1);
      }
    }
  }
  return path.empty() ? "/" : path;
}

std::string GraphFlavor::route_of(const SimRequest& request) {
  std::string tenant;
  if (m_auth.is_token_path(request.path, tenant)) return request.method + " /{tenant}/oauth2/v2.0/token";
  if (!istarts_with(request.path, m_settings.graph_prefix)) return request.method + " (unknown)";
  std::string path = graph_path(request);
  if (path == "/$batch") return request.method + " /$batch";
  auto match = m_router.match(request.method, path);
  return match.handler ? match.route : request.method + " (unknown)";
}

bool GraphFlavor::faults_apply(const SimRequest& request) const {
  std::string tenant;
  return !m_auth.is_token_path(request.path, tenant);
}

SimResponse GraphFlavor::fault_response(int status, const SimRequest& request) {
  SimResponse response;
  if (status == 503) {
    response = graph_error(503, "serviceNotAvailable",
                           "The service is not available. Try the request again after a delay. There may be a "
                           "Retry-After header.",
                           request);
    response.headers["Retry-After"] = "1";
  } else if (status == 504) {
    response = graph_error(504, "UnknownError", "", request);
  } else {
    response = graph_error(status, "generalException", "An unspecified error has occurred.", request);
  }
  response.route = route_of(request);
  return response;
}

SimResponse GraphFlavor::handle(const SimRequest& request) {
  std::string tenant;
  if (auto document = m_auth.discovery(request)) {
    document->route = "GET /{tenant}/(discovery)";
    return *document;
  }
  if (m_auth.is_token_path(request.path, tenant)) {
    auto lock = m_tenant.lock();
    SimResponse response = m_auth.token(request, tenant, m_tenant.data());
    response.route = request.method + " /{tenant}/oauth2/v2.0/token";
    return response;
  }
  const std::string& prefix = m_settings.graph_prefix;
  if (!(istarts_with(request.path, prefix + "/") || iequals(request.path, prefix))) {
    SimResponse response = graph_error(400, "BadRequest", "Invalid version.", request);
    response.route = request.method + " (unknown)";
    return response;
  }
  SimResponse failure;
  auto caller = m_auth.authenticate(request, failure);
  if (!caller) {
    failure.route = route_of(request);
    return failure;
  }
  return execute(request, *caller);
}

// The object a DELETE is about to remove, for its audit entry (assignments, policies, locations).
Json GraphFlavor::audited_object(GraphCall& call) {
  const EntitySet* set = nullptr;
  std::string key;
  if (auto it = call.params.find("assignment"); it != call.params.end()) {
    set = &app_role_assignments_set();
    key = it->second;
  } else if (call.request.path.find("/conditionalAccess/policies/") != std::string::npos) {
    set = &ca_policies_set();
  } else if (call.request.path.find("/conditionalAccess/namedLocations/") != std::string::npos) {
    set = &named_locations_set();
  }
  if (!set) return Json();
  if (key.empty()) key = call.param("id");
  Record* record = call.data.collection(set->name).find(key);
  return record ? record->data : Json();
}

SimResponse GraphFlavor::execute(const SimRequest& request, const Caller& caller) {
  std::string path = graph_path(request);
  if (path == "/$batch") {
    if (request.method != "POST") {
      SimResponse response = graph_error(405, "BadRequest", "Method not allowed for $batch.", request);
      response.route = request.method + " /$batch";
      return response;
    }
    if (request.inside_batch) {
      SimResponse response = graph_error(400, "BadRequest", "Nested batch requests are not supported.", request);
      response.route = "POST /$batch";
      return response;
    }
    return batch(request, caller);
  }
  auto match = m_router.match(request.method, path);
  if (!match.handler) {
    SimResponse response;
    if (match.path_known) {
      response = graph_error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.",
                             request);
    } else {
      std::string segment = m_router.first_unmatched_segment(path);
      response = graph_error(400, "BadRequest", "Resource not found for the segment '" + segment + "'.", request);
    }
    response.route = request.method + " (unknown)";
    return response;
  }

  auto lock = m_tenant.lock();
  double now = m_context.clock.now();
  if (m_visibility.delay > 0) {
    for (auto& [name, collection] : m_tenant.data().collections) collection.purge(m_visibility, now);
    for (auto& [name, relation] : m_tenant.data().relations) relation.purge(m_visibility, now);
  }
  RequestCost cost = cost_of(match.route, request);
  ThrottleDecision decision = m_throttle.check(caller.app_id, cost, active_user_count(m_tenant.data()));
  SimResponse response;
  if (!decision.allowed) {
    response = graph_error(429, "TooManyRequests", "Please retry again later.", request);
    auto& inner = response.body;
    Json body = Json::parse(inner);
    Json inner_error = body["error"]["innerError"];
    Json reshaped = Json::object();
    reshaped["code"] = "429";
    reshaped["date"] = inner_error["date"];
    reshaped["message"] = "Please retry after";
    reshaped["request-id"] = inner_error["request-id"];
    reshaped["client-request-id"] = inner_error["client-request-id"];
    reshaped["status"] = "429";
    body["error"]["innerError"] = reshaped;
    response.body = body.dump();
    response.throttled = true;
  } else {
    GraphCall call{request, match.params, caller, m_tenant.data(), now, m_visibility, m_settings, &m_delta};
    if (match.route == "GET /auditLogs/directoryAudits") {
      response = m_audits.list(call);
    } else {
      Json before = request.method == "DELETE" ? audited_object(call) : Json();
      response = (*match.handler)(call);
      if (request.method != "GET") m_audits.record_write(match.route, match.params, response, caller, before);
    }
  }
  for (const auto& [name, value] : decision.headers) response.headers[name] = value;
  response.route = match.route;
  response.resource_units = decision.resource_units;
  return response;
}

Json GraphFlavor::dump_state() {
  auto lock = m_tenant.lock();
  Json state = Json::object();
  state["tenant"] = {{"id", m_settings.tenant_id}, {"domain", m_settings.tenant_domain}};
  Json collections = Json::object();
  for (const auto& [name, collection] : m_tenant.data().collections) {
    Json items = Json::array();
    for (const auto* record : collection.ordered()) {
      Json item = record->data;
      if (record->deleted_at) item["@idp-sim.deleted"] = true;
      items.push_back(item);
    }
    collections[name] = items;
  }
  state["collections"] = collections;
  Json relations = Json::object();
  for (const auto& [name, relation] : m_tenant.data().relations) relations[name] = relation.to_json();
  state["relations"] = relations;
  state["auth"] = m_auth.describe();
  return state;
}

void GraphFlavor::reset(bool state) {
  m_throttle.reset();
  if (state) {
    auto lock = m_tenant.lock();
    m_tenant.restore_seed();
    m_delta.clear();
    m_audits.clear();
  }
}

void GraphFlavor::replace_seed(const std::filesystem::path& directory) {
  {
    auto lock = m_tenant.lock();
    m_tenant.data() = TenantData{};
  }
  load_seed(directory);
}

Json GraphFlavor::info() {
  std::string prefix = m_settings.authority_prefix;
  std::size_t users = 0;
  {
    auto lock = m_tenant.lock();
    users = active_user_count(m_tenant.data());
  }
  double budget = m_settings.resource_unit_budget > 0 ? m_settings.resource_unit_budget
                                                       : GraphThrottle::budget_for(m_settings.tenant_size, users);
  return {{"tenant_id", m_settings.tenant_id},
          {"users", users},
          {"resource_unit_budget_per_10s", budget},
          {"tenant_domain", m_settings.tenant_domain},
          {"graph_path", m_settings.graph_prefix},
          {"token_path", prefix + "/" + m_settings.tenant_id + "/oauth2/v2.0/token"},
          {"consistency_delay_seconds", m_visibility.delay},
          {"throttle", m_context.options.throttle}};
}

}  // namespace idp_sim::graph
