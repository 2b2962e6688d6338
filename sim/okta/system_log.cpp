// The System Log of the Okta flavor: events recorded for API writes (and resets to the seed) and
// GET /api/v1/logs. Paging follows the System Log API: results in publication order, `limit`
// (default 100, at most 1000), `after` as an opaque cursor in the next Link; a request without
// `until` is a polling request, whose answer always has a next link (the place to poll from),
// while a bounded one (with `until`) ends without it. `filter` accepts `eventType`, `target.id`,
// `actor.id` and `outcome.result` compared with `eq`, joined by `and` or by `or`.
#include "okta/system_log.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <set>

#include "core/crypto.hpp"
#include "okta/okta_auth.hpp"
#include "okta/okta_call.hpp"
#include "okta/okta_errors.hpp"

namespace idp_sim::okta {

namespace {

struct EventSpec {
  const char* route;
  const char* event_type;
  const char* message;
  // Targets: "Type:param" (a path parameter) or "Type:" (the id in the response body).
  std::vector<const char*> targets;
};

const std::vector<EventSpec>& event_specs() {
  static const std::vector<EventSpec> specs = {
      {"POST /api/v1/groups", "group.lifecycle.create", "Create okta group", {"UserGroup:"}},
      {"PUT /api/v1/groups/{groupId}", "group.profile.update", "Update group profile", {"UserGroup:groupId"}},
      {"DELETE /api/v1/groups/{groupId}", "group.lifecycle.delete", "Delete okta group", {"UserGroup:groupId"}},
      {"PUT /api/v1/groups/{groupId}/users/{userId}", "group.user_membership.add", "Add user to group membership",
       {"User:userId", "UserGroup:groupId"}},
      {"DELETE /api/v1/groups/{groupId}/users/{userId}", "group.user_membership.remove",
       "Remove user from group membership", {"User:userId", "UserGroup:groupId"}},
      {"POST /api/v1/apps", "application.lifecycle.create", "Add application", {"AppInstance:"}},
      {"PUT /api/v1/apps/{appId}", "application.lifecycle.update", "Update application", {"AppInstance:appId"}},
      {"DELETE /api/v1/apps/{appId}", "application.lifecycle.delete", "Delete application", {"AppInstance:appId"}},
      {"POST /api/v1/apps/{appId}/lifecycle/activate", "application.lifecycle.activate", "Activate application",
       {"AppInstance:appId"}},
      {"POST /api/v1/apps/{appId}/lifecycle/deactivate", "application.lifecycle.deactivate", "Deactivate application",
       {"AppInstance:appId"}},
      {"PUT /api/v1/apps/{appId}/groups/{groupId}", "group.application_assignment.add", "Add assigned application to group",
       {"AppInstance:appId", "UserGroup:groupId"}},
      {"DELETE /api/v1/apps/{appId}/groups/{groupId}", "group.application_assignment.remove",
       "Remove assigned application from group", {"AppInstance:appId", "UserGroup:groupId"}},
      {"PUT /api/v1/apps/{appId}/policies/{policyId}", "application.policy.sign_on.update",
       "Update application sign on policy", {"AppInstance:appId", "PolicyEntity:policyId"}},
      {"POST /api/v1/policies", "policy.lifecycle.create", "Create policy", {"PolicyEntity:"}},
      {"PUT /api/v1/policies/{policyId}", "policy.lifecycle.update", "Update policy", {"PolicyEntity:policyId"}},
      {"DELETE /api/v1/policies/{policyId}", "policy.lifecycle.delete", "Delete policy", {"PolicyEntity:policyId"}},
      {"POST /api/v1/policies/{policyId}/lifecycle/activate", "policy.lifecycle.activate", "Activate policy",
       {"PolicyEntity:policyId"}},
      {"POST /api/v1/policies/{policyId}/lifecycle/deactivate", "policy.lifecycle.deactivate", "Deactivate policy",
       {"PolicyEntity:policyId"}},
      {"POST /api/v1/policies/{policyId}/rules", "policy.rule.add", "Add policy rule",
       {"PolicyEntity:policyId", "PolicyRule:"}},
      {"PUT /api/v1/policies/{policyId}/rules/{ruleId}", "policy.rule.update", "Update policy rule",
       {"PolicyEntity:policyId", "PolicyRule:ruleId"}},
      {"DELETE /api/v1/policies/{policyId}/rules/{ruleId}", "policy.rule.delete", "Delete policy rule",
       {"PolicyEntity:policyId", "PolicyRule:ruleId"}},
      {"POST /api/v1/policies/{policyId}/rules/{ruleId}/lifecycle/activate", "policy.rule.activate",
       "Activate policy rule", {"PolicyEntity:policyId", "PolicyRule:ruleId"}},
      {"POST /api/v1/policies/{policyId}/rules/{ruleId}/lifecycle/deactivate", "policy.rule.deactivate",
       "Deactivate policy rule", {"PolicyEntity:policyId", "PolicyRule:ruleId"}},
      {"POST /api/v1/zones", "zone.create", "Create network zone", {"NetworkZone:"}},
      {"PUT /api/v1/zones/{zoneId}", "zone.update", "Update network zone", {"NetworkZone:zoneId"}},
      {"DELETE /api/v1/zones/{zoneId}", "zone.delete", "Delete network zone", {"NetworkZone:zoneId"}},
      {"POST /api/v1/zones/{zoneId}/lifecycle/activate", "zone.activate", "Activate network zone", {"NetworkZone:zoneId"}},
      {"POST /api/v1/zones/{zoneId}/lifecycle/deactivate", "zone.deactivate", "Deactivate network zone",
       {"NetworkZone:zoneId"}},
  };
  return specs;
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string timestamp_of(long long ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buffer;
}

// ISO 8601 UTC ("2024-06-03T13:52:07Z", optional fraction, or "+00:00"); nullopt if malformed.
std::optional<long long> parse_timestamp(const std::string& text) {
  std::tm tm{};
  int fraction_start = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &fraction_start) != 6) {
    return std::nullopt;
  }
  std::string rest = text.substr(static_cast<std::size_t>(fraction_start));
  long long millis = 0;
  if (!rest.empty() && rest[0] == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    std::string fraction = (rest.substr(1, digits - 1) + "000").substr(0, 3);
    millis = std::stoll(fraction);
    rest = rest.substr(digits);
  }
  if (rest != "Z" && rest != "+00:00") return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(timegm(&tm)) * 1000 + millis;
}

Json actor_of(const Caller& caller) {
  if (!caller.client_id.empty()) {
    return {{"id", caller.client_id}, {"type", "PublicClientApp"}, {"alternateId", caller.client_id},
            {"displayName", caller.client_id}, {"detailEntry", nullptr}};
  }
  return {{"id", caller.principal}, {"type", "User"}, {"alternateId", "api-token"},
          {"displayName", "API token " + caller.principal}, {"detailEntry", nullptr}};
}

Json target(const std::string& type, const std::string& id, const Json& body) {
  std::string name = id;
  if (body.is_object() && string_field(body, "id") == id) {
    if (body.contains("profile") && body["profile"].is_object() && !string_field(body["profile"], "name").empty())
      name = string_field(body["profile"], "name");
    else if (!string_field(body, "label").empty()) name = string_field(body, "label");
    else if (!string_field(body, "name").empty()) name = string_field(body, "name");
  }
  return {{"id", id}, {"type", type}, {"alternateId", name}, {"displayName", name}, {"detailEntry", nullptr}};
}

// One clause "field eq \"value\"" of a filter; nullopt when it is not one.
std::optional<std::pair<std::string, std::string>> parse_clause(std::string text) {
  text = trim(text);
  auto space = text.find(' ');
  if (space == std::string::npos || text.compare(space, 4, " eq ") != 0) return std::nullopt;
  std::string field = text.substr(0, space);
  std::string value = trim(text.substr(space + 4));
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::nullopt;
  static const std::set<std::string> kFields = {"eventType", "target.id", "actor.id", "outcome.result"};
  if (!kFields.count(field)) return std::nullopt;
  return std::make_pair(field, value.substr(1, value.size() - 2));
}

bool clause_matches(const Json& event, const std::pair<std::string, std::string>& clause) {
  const auto& [field, value] = clause;
  if (field == "eventType") return event["eventType"] == value;
  if (field == "actor.id") return event["actor"]["id"] == value;
  if (field == "outcome.result") return event["outcome"]["result"] == value;
  for (const auto& t : event["target"]) {
    if (t["id"] == value) return true;
  }
  return false;
}

std::vector<std::string> split_words(const std::string& text, const std::string& word) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto at = text.find(" " + word + " ", start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + word.size() + 2;
  }
  return parts;
}

}  // namespace

void SystemLog::record(const std::string& event_type, const std::string& message, Json targets, const Json& actor) {
  std::lock_guard lock(m_mutex);
  long long published = std::max(now_ms(), m_published_ms.empty() ? 0LL : m_published_ms.back());
  std::string request_id = random_token(27);
  Json event = {{"actor", actor},
                {"client", {{"userAgent", nullptr}, {"zone", "null"}, {"device", "Unknown"}, {"id", nullptr},
                            {"ipAddress", "127.0.0.1"}, {"geographicalContext", nullptr}}},
                {"device", nullptr},
                {"authenticationContext", {{"authenticationProvider", nullptr}, {"credentialProvider", nullptr},
                                           {"credentialType", nullptr}, {"issuer", nullptr}, {"interface", nullptr},
                                           {"authenticationStep", 0}, {"externalSessionId", "unknown"}}},
                {"displayMessage", message},
                {"eventType", event_type},
                {"outcome", {{"result", "SUCCESS"}, {"reason", nullptr}}},
                {"published", timestamp_of(published)},
                {"securityContext", {{"asNumber", nullptr}, {"asOrg", nullptr}, {"isp", nullptr}, {"domain", nullptr},
                                     {"isProxy", nullptr}}},
                {"severity", "INFO"},
                {"debugContext", {{"debugData", {{"requestId", request_id}}}}},
                {"legacyEventType", nullptr},
                {"transaction", {{"type", "WEB"}, {"id", request_id}, {"detail", Json::object()}}},
                {"uuid", new_uuid()},
                {"version", "0"},
                {"request", {{"ipChain", Json::array()}}},
                {"target", std::move(targets)}};
  m_events.push_back(std::move(event));
  m_published_ms.push_back(published);
}

void SystemLog::record_api_write(const std::string& route, const PathParams& params, const SimResponse& response,
                                 const Caller& caller, const SimRequest& request) {
  if (response.status < 200 || response.status >= 300) return;
  for (const auto& spec : event_specs()) {
    if (route != spec.route) continue;
    Json body;
    if (!response.body.empty() && (response.body.front() == '{')) body = Json::parse(response.body, nullptr, false);
    Json targets = Json::array();
    for (const char* t : spec.targets) {
      std::string text = t;
      std::string type = text.substr(0, text.find(':'));
      std::string param = text.substr(text.find(':') + 1);
      auto found = params.find(param);
      std::string id = param.empty() ? string_field(body, "id") : found == params.end() ? "" : found->second;
      if (!id.empty()) targets.push_back(target(type, id, body));
    }
    Json actor = actor_of(caller);
    (void)request;
    record(spec.event_type, spec.message, std::move(targets), actor);
    return;
  }
}

void SystemLog::clear() {
  std::lock_guard lock(m_mutex);
  m_events.clear();
  m_published_ms.clear();
}

SimResponse SystemLog::list(const SimRequest& request) const {
  long long now = now_ms();
  long long since = now - 7LL * 24 * 3600 * 1000;
  std::optional<long long> until;
  if (auto value = request.query_value("since")) {
    auto parsed = parse_timestamp(*value);
    if (!parsed) return validation_failed("since", {"since: not an ISO 8601 timestamp"});
    since = *parsed;
  }
  if (auto value = request.query_value("until")) {
    until = parse_timestamp(*value);
    if (!until) return validation_failed("until", {"until: not an ISO 8601 timestamp"});
  }
  long limit = 100;
  if (auto value = request.query_value("limit")) {
    char* end = nullptr;
    limit = std::strtol(value->c_str(), &end, 10);
    if (value->empty() || *end != '\0' || limit < 1 || limit > 1000) {
      return validation_failed("limit", {"limit: must be between 1 and 1000"});
    }
  }
  // filter: clauses joined by "or" (any) or by "and" (all).
  std::vector<std::pair<std::string, std::string>> clauses;
  bool any = false;
  if (auto value = request.query_value("filter"); value && !trim(*value).empty()) {
    auto parts = split_words(*value, "or");
    any = parts.size() > 1;
    if (!any) parts = split_words(*value, "and");
    for (const auto& part : parts) {
      auto clause = parse_clause(part);
      if (!clause) return invalid_search("Invalid filter: " + part);
      clauses.push_back(*clause);
    }
  }
  std::size_t start = 0;
  if (auto after = request.query_value("after")) {
    char* end = nullptr;
    start = std::strtoull(after->c_str(), &end, 10);
    if (after->empty() || *end != '\0') return okta_error(400, "E0000029", "Invalid paging request.");
  }

  std::lock_guard lock(m_mutex);
  Json items = Json::array();
  std::size_t next = start;
  for (std::size_t i = start; i < m_events.size() && items.size() < static_cast<std::size_t>(limit); ++i) {
    next = i + 1;
    if (m_published_ms[i] < since || (until && m_published_ms[i] >= *until)) continue;
    bool matches = clauses.empty() || !any;
    for (const auto& clause : clauses) {
      bool hit = clause_matches(m_events[i], clause);
      matches = any ? (matches || hit) : (matches && hit);
    }
    if (matches) items.push_back(m_events[i]);
  }
  if (items.size() < static_cast<std::size_t>(limit)) next = m_events.size();

  SimResponse response;
  response.status = 200;
  response.headers["Content-Type"] = "application/json";
  response.body = items.dump();
  std::string base = request.base_url + request.path;
  response.repeated_headers.emplace_back(
      "Link", "<" + (request.query.empty() ? base : base + "?" + build_query_string(request.query)) + ">; rel=\"self\"");
  bool more = next < m_events.size();
  if (more || !until) {
    QueryParams params;
    for (const auto& [key, value] : request.query)
      if (key != "after") params.emplace_back(key, value);
    params.emplace_back("after", std::to_string(next));
    response.repeated_headers.emplace_back("Link", "<" + base + "?" + build_query_string(params) + ">; rel=\"next\"");
  }
  return response;
}

}  // namespace idp_sim::okta
