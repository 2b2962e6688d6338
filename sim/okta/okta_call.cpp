// What an Okta route handler gets: request, path parameters, caller and org.
#include "okta/okta_call.hpp"

#include <chrono>
#include <ctime>

#include "okta/okta_errors.hpp"

namespace idp_sim::okta {

std::string OktaCall::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

std::string OktaCall::query(const std::string& name) const { return request.query_value(name).value_or(""); }

Record* find_readable(OktaCall& call, const std::string& collection, const std::string& id) {
  Record* record = call.data.collection(collection).find(id);
  return record && call.visibility.readable(*record, call.now) ? record : nullptr;
}

Record* find_writable(OktaCall& call, const std::string& collection, const std::string& id) {
  Record* record = call.data.collection(collection).find(id);
  return record && call.visibility.writable(*record, call.now) ? record : nullptr;
}

std::vector<Record*> readable_records(OktaCall& call, const std::string& collection) {
  std::vector<Record*> out;
  for (auto* record : call.data.collection(collection).ordered_mutable()) {
    if (call.visibility.readable(*record, call.now)) out.push_back(record);
  }
  return out;
}

Record& insert_record(OktaCall& call, const std::string& collection, const std::string& id, Json object) {
  std::uint64_t sequence = call.data.take_sequence();
  remember_cursor(call.cursors, collection, id, sequence);
  return call.data.collection(collection).insert(id, std::move(object), sequence, call.now + call.visibility.delay);
}

void delete_record(OktaCall& call, const std::string& collection, const std::string& id) {
  if (call.visibility.delay > 0) {
    call.data.collection(collection).mark_deleted(id, call.now);
  } else {
    call.data.collection(collection).erase(id);
  }
}

void add_link(OktaCall& call, const std::string& relation, const std::string& parent, const std::string& child,
              const std::string& child_kind) {
  Link link;
  link.child_id = child;
  link.child_kind = child_kind;
  link.sequence = call.data.take_sequence();
  link.visible_from = call.now + call.visibility.delay;
  remember_cursor(call.cursors, std::string(relation) + "/" + parent, child, link.sequence);
  call.data.relation(relation).add(parent, std::move(link));
}

void remove_link(OktaCall& call, const std::string& relation, const std::string& parent, const std::string& child) {
  if (call.visibility.delay > 0) {
    call.data.relation(relation).mark_deleted(parent, child, call.now);
  } else {
    call.data.relation(relation).erase(parent, child);
  }
}

std::vector<const Link*> readable_links(OktaCall& call, const std::string& relation, const std::string& parent) {
  std::vector<const Link*> out;
  for (const auto* link : call.data.relation(relation).links(parent)) {
    if (call.visibility.readable(*link, call.now)) out.push_back(link);
  }
  return out;
}

std::vector<std::string> linked_children(OktaCall& call, const std::string& relation, const std::string& parent) {
  std::vector<std::string> out;
  for (const auto* link : call.data.relation(relation).links(parent)) {
    if (!link->deleted_at) out.push_back(link->child_id);
  }
  return out;
}

bool link_writable(OktaCall& call, const std::string& relation, const std::string& parent, const std::string& child) {
  const Link* link = call.data.relation(relation).find(parent, child);
  return link && call.visibility.writable(*link, call.now);
}

std::optional<Json> parse_json_body(OktaCall& call, SimResponse& failure) {
  const std::string& body = call.request.body;
  std::string type = call.request.header("Content-Type");
  if (!trim(body).empty() && !type.empty() && to_lower(type).find("json") == std::string::npos) {
    failure = okta_error(400, "E0000021",
                         "Bad request.  Accept and/or Content-Type headers likely do not match supported values.");
    return std::nullopt;
  }
  if (trim(body).empty()) {
    failure = malformed_body();
    return std::nullopt;
  }
  try {
    Json parsed = Json::parse(body);
    if (!parsed.is_object()) {
      failure = malformed_body();
      return std::nullopt;
    }
    return parsed;
  } catch (const std::exception&) {
    failure = malformed_body();
    return std::nullopt;
  }
}

std::optional<SimResponse> check_schema(const Json& body, const std::string& schema, WriteKind kind) {
  auto issues = validate_against_schema(schema, body, kind);
  if (issues.empty()) return std::nullopt;
  std::vector<std::string> causes;
  for (const auto& issue : issues) causes.push_back(issue.path + ": " + issue.message);
  return validation_failed(issues.front().path, causes);
}

SimResponse field_error(const std::string& field, const std::string& message) {
  return validation_failed(field, {field + ": " + message});
}

void remember_cursor(CursorIndex& cursors, const std::string& scope, const std::string& id, std::uint64_t sequence) {
  cursors[scope + "/" + id] = sequence;
}

namespace {

std::optional<int> parse_limit(const std::string& text) {
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') return std::nullopt;
  return static_cast<int>(std::max<long>(std::min<long>(value, 1000000), -1000000));
}

std::string link_value(const std::string& url, const std::string& rel) { return "<" + url + ">; rel=\"" + rel + "\""; }

}  // namespace

SimResponse list_response(OktaCall& call, std::vector<ListRow> rows, const PageRules& rules) {
  int limit = rules.default_limit;
  if (auto text = call.request.query_value("limit")) {
    auto parsed = parse_limit(*text);
    if (!parsed) return field_error("limit", "The value must be an integer");
    if (*parsed > 0) limit = std::min(*parsed, rules.max_limit);
  }
  for (const auto& row : rows) remember_cursor(call.cursors, rules.scope, row.cursor, row.sequence);
  std::size_t start = 0;
  auto after = call.request.query_value("after");
  if (after && rules.pageable && !after->empty()) {
    auto it = call.cursors.find(rules.scope + "/" + *after);
    if (it == call.cursors.end()) return okta_error(400, "E0000029", "Invalid paging request.");
    while (start < rows.size() && rows[start].sequence <= it->second) ++start;
  }
  std::size_t end = limit > 0 ? std::min(rows.size(), start + static_cast<std::size_t>(limit)) : rows.size();
  Json items = Json::array();
  for (std::size_t i = start; i < end; ++i) items.push_back(std::move(rows[i].object));

  SimResponse response;
  response.status = 200;
  response.headers["Content-Type"] = "application/json";
  response.body = items.dump();
  std::string base = call.request.base_url + call.request.path;
  std::string self = call.request.query.empty() ? base : base + "?" + build_query_string(call.request.query);
  response.repeated_headers.emplace_back("Link", link_value(self, "self"));
  if (rules.pageable && end < rows.size() && end > start) {
    QueryParams next;
    bool replaced = false;
    for (const auto& [key, value] : call.request.query) {
      if (key == "after") {
        next.emplace_back(key, rows[end - 1].cursor);
        replaced = true;
      } else {
        next.emplace_back(key, value);
      }
    }
    if (!replaced) next.emplace(next.begin(), "after", rows[end - 1].cursor);
    if (!call.request.has_query("limit")) next.emplace_back("limit", std::to_string(limit));
    response.repeated_headers.emplace_back("Link", link_value(base + "?" + build_query_string(next), "next"));
  }
  return response;
}

std::string okta_timestamp() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now - seconds).count();
  std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis % 1000));
  return std::string(buffer) + fraction;
}

}  // namespace idp_sim::okta
