// The Okta flavor's request pipeline: concurrency gate -> (service time) -> route -> authenticate
// -> rate-limit bucket -> scope -> handler under the tenant lock. Every answer carries
// X-Okta-Request-Id and, once its bucket is known, the X-Rate-Limit-* headers.
#include "okta/okta_flavor.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "okta/okta_errors.hpp"

namespace idp_sim::okta {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OptionError("cannot read '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::pair<std::string, std::string> split_pair(const std::string& text, const std::string& option) {
  auto at = text.find('=');
  if (at == std::string::npos || at == 0 || at + 1 == text.size()) {
    throw OptionError(option + ": expected CLIENT_ID=VALUE, got '" + text + "'");
  }
  return {text.substr(0, at), text.substr(at + 1)};
}

double number_option(const SimOptions& options, const std::string& name, double fallback, double min, double max) {
  auto value = options.flavor_value(name);
  if (!value) return fallback;
  char* end = nullptr;
  double parsed = std::strtod(value->c_str(), &end);
  if (value->empty() || *end != '\0' || parsed < min || parsed > max) {
    std::ostringstream message;
    message << name << ": expected a number in [" << min << ", " << max << "], got '" << *value << "'";
    throw OptionError(message.str());
  }
  return parsed;
}

OktaSettings settings_from(const SimOptions& options) {
  OktaSettings settings;
  if (auto value = options.flavor_value("--org-url")) {
    settings.org_url = *value;
    while (!settings.org_url.empty() && settings.org_url.back() == '/') settings.org_url.pop_back();
  }
  if (auto value = options.flavor_value("--plan")) {
    if (!known_plan(*value)) {
      throw OptionError("--plan: expected integrator-free, one-app, enterprise or workforce, got '" + *value + "'");
    }
    settings.plan = *value;
  }
  settings.client_share = number_option(options, "--client-share", 50, 1, 100) / 100.0;
  double default_concurrency = settings.plan == "integrator-free" ? 35 : 75;
  settings.concurrency_limit =
      static_cast<int>(number_option(options, "--concurrency-limit", default_concurrency, 1, 100000));
  settings.request_ms = number_option(options, "--request-ms", 0, 0, 1e9);
  settings.token_lifetime_seconds = number_option(options, "--token-lifetime", 3600, 0.001, 1e9);
  return settings;
}

// The route template without the method: "GET /api/v1/groups/{groupId}" -> "/api/v1/groups/{groupId}".
std::string path_of_route(const std::string& route) {
  auto space = route.find(' ');
  return space == std::string::npos ? route : route.substr(space + 1);
}

std::string required_scope(const OktaRoute& route, const std::string& method) {
  if (route.scope_family.empty()) return {};
  if (route.scope_family.find('.') != std::string::npos) return "okta." + route.scope_family;
  return "okta." + route.scope_family + (method == "GET" ? ".read" : ".manage");
}

void add_headers(SimResponse& response, const Headers& headers) {
  for (const auto& [name, value] : headers) response.headers[name] = value;
}

}  // namespace

FlavorInfo flavor_info() {
  FlavorInfo info;
  info.name = "okta";
  info.description = "Okta management API v1 (/api/v1) and the org authorization server token endpoint";
  info.options = {
      {"--api-token", "TOKEN", true, "accept `Authorization: SSWS TOKEN` (an API token with full admin rights)"},
      {"--service-app", "CLIENT_ID=FILE", true,
       "register public keys (JWKS, JWK, PEM public key or certificate) for private_key_jwt of a service app"},
      {"--grant", "CLIENT_ID=SCOPE[,SCOPE...]", true, "grant Okta API scopes (okta.groups.read, ...) to a service app"},
      {"--org-url", "URL", false,
       "public org URL (e.g. https://acme.okta.com) also accepted as client-assertion audience base and used as "
       "token issuer"},
      {"--plan", "NAME", false, "rate-limit column: integrator-free, one-app, enterprise, workforce (default)"},
      {"--client-share", "PERCENT", false,
       "share of each rate-limit bucket one token or service app may use (default 50)"},
      {"--concurrency-limit", "N", false, "simultaneous API requests per org (default 75; 35 for integrator-free)"},
      {"--request-ms", "N", false, "vendor milliseconds each API request takes to serve (holds a concurrency slot)"},
      {"--token-lifetime", "SECONDS", false, "access-token lifetime in wall-clock seconds (default 3600)"},
  };
  info.create = [](FlavorContext& context) { return std::make_unique<OktaFlavor>(context); };
  return info;
}

OktaFlavor::OktaFlavor(FlavorContext& context)
    : m_context(context),
      m_settings(settings_from(context.options)),
      m_auth(m_settings),
      m_limits(context.clock, m_settings, context.options.throttle) {
  m_visibility.delay = context.options.consistency_delay_ms / 1000.0;
  m_visibility.writes = context.options.consistency_writes;
  apply_cli_credentials();
  register_group_routes(m_router);
  register_user_routes(m_router);
  register_app_routes(m_router);
  register_policy_routes(m_router);
  register_zone_routes(m_router);
  m_router.add("GET", "/api/v1/logs", {"logs.read", [this](OktaCall& call) { return m_log.list(call.request); }});
  prepare_tenant();
  m_tenant.snapshot_seed();
}

void OktaFlavor::prepare_tenant() {
  // Okta ids are case-sensitive ("00g1emaKYZTWRYYRRTSK").
  auto& data = m_tenant.data();
  for (const char* name : {kGroups, kUsers, kApps, kPolicies, kRules, kZones, kAppGroups}) {
    data.collections.try_emplace(name, Collection(false));
  }
  for (const char* name : {kGroupMembers, kAppGroupLinks, kPolicyRuleLinks}) {
    data.relations.try_emplace(name, RelationSet(false));
  }
}

void OktaFlavor::apply_cli_credentials() {
  const auto& options = m_context.options;
  for (const auto& token : options.flavor_values_of("--api-token")) m_auth.add_api_token(token);
  for (const auto& value : options.flavor_values_of("--service-app")) {
    auto [client_id, file] = split_pair(value, "--service-app");
    std::string error;
    auto keys = OktaAuth::keys_from_text(read_file(file), error);
    if (!keys) throw OptionError("--service-app " + file + ": " + error);
    m_auth.add_client_keys(client_id, *keys);
  }
  for (const auto& value : options.flavor_values_of("--grant")) {
    auto [client_id, list] = split_pair(value, "--grant");
    std::vector<std::string> scopes;
    for (const auto& scope : split(list, ',')) {
      if (!trim(scope).empty()) scopes.push_back(trim(scope));
    }
    m_auth.grant_scopes(client_id, scopes);
  }
}

void OktaFlavor::load_seed(const std::filesystem::path& directory) {
  auto lock = m_tenant.lock();
  SeedReport report = load_okta_seed(directory, m_tenant.data(), m_cursors, m_auth);
  for (const auto& warning : report.warnings) m_context.log("seed: " + warning);
  m_context.log("seed: loaded " + std::to_string(report.objects) + " objects and " + std::to_string(report.links) +
                " relationships from " + directory.string());
  m_tenant.snapshot_seed();
  m_seed_cursors = m_cursors;
}

std::string OktaFlavor::route_of(const SimRequest& request) {
  if (OktaAuth::is_token_path(request.path)) return request.method + " /oauth2/v1/token";
  auto match = m_router.match(request.method, request.path);
  return match.handler ? match.route : request.method + " (unknown)";
}

bool OktaFlavor::faults_apply(const SimRequest& request) const { return !OktaAuth::is_token_path(request.path); }

SimResponse OktaFlavor::fault_response(int status, const SimRequest& request) {
  SimResponse response = status == 503 ? okta_error(503, "E0000010", "Service is in read only mode")
                                       : okta_error(status, "E0000009", "Internal Server Error");
  response.headers["X-Okta-Request-Id"] = random_token(27);
  response.route = route_of(request);
  auto match = m_router.match(request.method, request.path);
  std::string route_path = match.handler ? path_of_route(match.route) : "/api/v1";
  add_headers(response, m_limits.peek(bucket_of(request.method, route_path)));
  return response;
}

// Okta wants "Content-Length: 0" on a POST or PUT without body (OKTA-DOCS core-okta-api) and
// answers 411 otherwise. Its error catalog has no code for 411, so the body has the shape of
// Okta's errors with the status's reason phrase and no errorCode/errorLink; the headers are those
// of every Okta answer (request id, the bucket's rate-limit headers).
SimResponse OktaFlavor::length_required(const SimRequest& request) {
  Json body = {{"errorSummary", "Length Required"}, {"errorId", "oae" + random_token(22)}, {"errorCauses", Json::array()}};
  SimResponse response = SimResponse::json(411, body);
  response.headers["X-Okta-Request-Id"] = random_token(27);
  response.route = route_of(request);
  auto match = m_router.match(request.method, request.path);
  add_headers(response, m_limits.peek(bucket_of(request.method, match.handler ? path_of_route(match.route) : "/api/v1")));
  return response;
}

SimResponse OktaFlavor::handle(const SimRequest& request) {
  SimResponse response;
  if (!m_limits.try_enter()) {
    response = rate_limit_exceeded();
    add_headers(response, m_limits.concurrency_headers());
    response.throttled = true;
  } else {
    struct Leave {
      OktaRateLimiter& limits;
      ~Leave() { limits.leave(); }
    } leave{m_limits};
    if (m_settings.request_ms > 0) m_context.clock.sleep_virtual(m_settings.request_ms / 1000.0);
    response = serve(request);
  }
  if (response.route.empty()) response.route = route_of(request);
  response.headers["X-Okta-Request-Id"] = random_token(27);
  return response;
}

SimResponse OktaFlavor::serve(const SimRequest& request) {
  if (auto document = m_auth.discovery(request)) {
    document->route = "GET " + request.path;
    return *document;
  }
  if (OktaAuth::is_token_path(request.path)) return serve_token(request);
  return serve_api(request);
}

SimResponse OktaFlavor::serve_token(const SimRequest& request) {
  auto decision = m_limits.take(bucket_of(request.method, request.path), "");
  SimResponse response;
  if (!decision.allowed) {
    response = rate_limit_exceeded();
    response.throttled = true;
  } else {
    auto lock = m_tenant.lock();
    response = m_auth.token(request, m_tenant.data());
  }
  add_headers(response, decision.headers);
  response.route = request.method + " /oauth2/v1/token";
  return response;
}

SimResponse OktaFlavor::serve_api(const SimRequest& request) {
  auto match = m_router.match(request.method, request.path);
  std::string route_path = match.handler ? path_of_route(match.route) : "/api/v1";
  SimResponse failure;
  auto caller = m_auth.authenticate(request, failure);
  auto decision = m_limits.take(bucket_of(request.method, route_path), caller ? caller->principal : "");
  SimResponse response;
  if (!decision.allowed) {
    response = rate_limit_exceeded();
    response.throttled = true;
  } else if (!caller) {
    response = failure;
  } else if (!match.handler) {
    response = match.path_known ? method_not_allowed() : path_not_found();
  } else if (std::string scope = required_scope(*match.handler, request.method);
             !scope.empty() && !caller->has_scope(scope)) {
    response = OktaAuth::insufficient_scope(request, scope);
  } else {
    auto lock = m_tenant.lock();
    double now = m_context.clock.now();
    auto& data = m_tenant.data();
    if (m_visibility.delay > 0) {
      for (auto& [name, collection] : data.collections) collection.purge(m_visibility, now);
      for (auto& [name, relation] : data.relations) relation.purge(m_visibility, now);
    }
    OktaCall call{request, match.params, *caller, data, now, m_visibility, m_settings, m_cursors};
    response = match.handler->run(call);
    if (request.method != "GET") m_log.record_api_write(match.route, match.params, response, *caller, request);
  }
  add_headers(response, decision.headers);
  response.route = match.handler ? match.route : request.method + " (unknown)";
  return response;
}

Json OktaFlavor::dump_state() {
  auto lock = m_tenant.lock();
  Json state = Json::object();
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
  state["rate_limits"] = m_limits.describe();
  return state;
}

void OktaFlavor::reset(bool state) {
  m_limits.reset();
  if (state) {
    auto lock = m_tenant.lock();
    TenantData before = m_tenant.data();
    m_tenant.restore_seed();
    m_cursors = m_seed_cursors;
    log_drift(before, m_tenant.data());
  }
}

// A reset to the seed changes the org behind the API's back, like an administrator in the Admin
// Console: each object that reappears, disappears or differs gets its System Log event, with
// the Okta system as actor, so that a client polling the log sees the drift.
void OktaFlavor::log_drift(const TenantData& before, const TenantData& after) {
  struct Family {
    const char* collection;
    const char* type;
    const char* created;
    const char* updated;
    const char* deleted;
  };
  static const Family kFamilies[] = {
      {"groups", "UserGroup", "group.lifecycle.create", "group.profile.update", "group.lifecycle.delete"},
      {"apps", "AppInstance", "application.lifecycle.create", "application.lifecycle.update", "application.lifecycle.delete"},
      {"policies", "PolicyEntity", "policy.lifecycle.create", "policy.lifecycle.update", "policy.lifecycle.delete"},
      {"policy_rules", "PolicyRule", "policy.rule.add", "policy.rule.update", "policy.rule.delete"},
      {"zones", "NetworkZone", "zone.create", "zone.update", "zone.delete"}};
  Json actor = {{"id", "idp-sim"}, {"type", "SystemPrincipal"}, {"alternateId", "system@okta.com"},
                {"displayName", "Okta System (idp-sim reset)"}, {"detailEntry", nullptr}};
  auto live = [](const TenantData& data, const std::string& name) {
    std::map<std::string, const Json*> out;
    auto found = data.collections.find(name);
    if (found == data.collections.end()) return out;
    for (const auto* record : found->second.ordered())
      if (!record->deleted_at) out[record->id] = &record->data;
    return out;
  };
  for (const auto& family : kFamilies) {
    auto was = live(before, family.collection), is = live(after, family.collection);
    auto target = [&](const std::string& id) {
      return Json::array({{{"id", id}, {"type", family.type}, {"alternateId", id}, {"displayName", id}, {"detailEntry", nullptr}}});
    };
    for (const auto& [id, object] : is) {
      auto old = was.find(id);
      if (old == was.end()) m_log.record(family.created, "Changed outside the API", target(id), actor);
      else if (*old->second != *object) m_log.record(family.updated, "Changed outside the API", target(id), actor);
    }
    for (const auto& [id, object] : was)
      if (!is.count(id)) m_log.record(family.deleted, "Changed outside the API", target(id), actor);
  }
}

void OktaFlavor::replace_seed(const std::filesystem::path& directory) {
  {
    auto lock = m_tenant.lock();
    m_tenant.data() = TenantData{};
    m_cursors = CursorIndex{};
  }
  load_seed(directory);
}

Json OktaFlavor::info() {
  return {{"org_url", m_settings.org_url},
          {"token_path", "/oauth2/v1/token"},
          {"api_path", "/api/v1"},
          {"consistency_delay_seconds", m_visibility.delay},
          {"throttle", m_context.options.throttle},
          {"rate_limits", m_limits.describe()}};
}

}  // namespace idp_sim::okta
