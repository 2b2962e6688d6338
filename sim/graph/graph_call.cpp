// What a Graph route handler gets: request, path parameters, caller and tenant.
#include "graph/graph_call.hpp"

#include "core/crypto.hpp"
#include "core/sim_clock.hpp"
#include "graph/graph_errors.hpp"

namespace idp_sim::graph {

namespace {

const std::vector<std::string> kRelations = {"groups.members", "groups.owners"};

Record* find_by(GraphCall& call, const EntitySet& set, const std::string& key, bool for_write) {
  auto& collection = call.data.collection(set.name);
  auto usable = [&](Record* record) {
    if (!record) return false;
    return for_write ? call.visibility.writable(*record, call.now) : call.visibility.readable(*record, call.now);
  };
  Record* record = collection.find(key);
  if (usable(record)) return record;
  std::string property, value;
  if (set.type == "user" && key.find('@') != std::string::npos) {
    property = "userPrincipalName";
    value = key;
  } else if ((set.type == "application" || set.type == "servicePrincipal") && istarts_with(key, "appId=")) {
    property = "appId";
    value = key.substr(6);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') value = value.substr(1, value.size() - 2);
  }
  if (property.empty()) return nullptr;
  for (auto* candidate : collection.ordered_mutable()) {
    if (candidate->data.contains(property) && candidate->data[property].is_string() &&
        iequals(candidate->data[property].get<std::string>(), value) && usable(candidate)) {
      return candidate;
    }
  }
  return nullptr;
}

}  // namespace

std::string GraphCall::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

Record* find_readable(GraphCall& call, const EntitySet& set, const std::string& key) {
  return find_by(call, set, key, false);
}

Record* find_writable(GraphCall& call, const EntitySet& set, const std::string& key) {
  return find_by(call, set, key, true);
}

std::optional<DirectoryObject> find_directory_object(GraphCall& call, const std::string& id, bool for_write) {
  for (const auto* set : directory_sets()) {
    Record* record = call.data.collection(set->name).find(id);
    if (!record) continue;
    bool usable = for_write ? call.visibility.writable(*record, call.now) : call.visibility.readable(*record, call.now);
    if (usable) return DirectoryObject{set, record};
  }
  return std::nullopt;
}

std::size_t active_user_count(TenantData& data) { return data.collection("users").live_count(); }

Record& insert_object(GraphCall& call, const EntitySet& set, Json object) {
  std::string id = object.value("id", "");
  return call.data.collection(set.name).insert(id, std::move(object), call.data.take_sequence(),
                                               call.now + call.visibility.delay);
}

void delete_object(GraphCall& call, const EntitySet& set, std::string id) {
  bool tombstone = call.visibility.delay > 0;
  auto& collection = call.data.collection(set.name);
  if (tombstone) collection.mark_deleted(id, call.now);
  else collection.erase(id);
  for (const auto& relation_name : kRelations) {
    auto& relation = call.data.relation(relation_name);
    if (tombstone) {
      relation.mark_child_deleted_everywhere(id, call.now);
      relation.mark_parent_deleted(id, call.now);
    } else {
      relation.erase_child_everywhere(id);
      relation.erase_parent(id);
    }
  }
  // App role assignments of a deleted principal or resource go with it.
  auto& assignments = call.data.collection("appRoleAssignments");
  for (auto* assignment : assignments.ordered_mutable()) {
    if (assignment->deleted_at) continue;
    if (iequals(assignment->data.value("principalId", ""), id) || iequals(assignment->data.value("resourceId", ""), id)) {
      if (tombstone) assignments.mark_deleted(assignment->id, call.now);
      else assignments.erase(assignment->id);
    }
  }
  if (set.type == "application") {
    auto& relation = call.data.relation("applications.federatedIdentityCredentials");
    for (const auto* link : relation.links(id)) call.data.collection("federatedIdentityCredentials").erase(link->child_id);
    relation.erase_parent(id);
  }
}

bool add_link(GraphCall& call, const std::string& relation_name, const std::string& parent, const std::string& child_id,
              const std::string& child_kind) {
  auto& relation = call.data.relation(relation_name);
  if (Link* existing = relation.find(parent, child_id); existing && !existing->deleted_at) return false;
  Link link;
  link.child_id = child_id;
  link.child_kind = child_kind;
  link.sequence = call.data.take_sequence();
  link.visible_from = call.now + call.visibility.delay;
  relation.add(parent, link);
  return true;
}

void remove_link(GraphCall& call, const std::string& relation_name, const std::string& parent,
                 const std::string& child_id) {
  auto& relation = call.data.relation(relation_name);
  if (call.visibility.delay > 0) relation.mark_deleted(parent, child_id, call.now);
  else relation.erase(parent, child_id);
}

std::vector<const Link*> readable_links(GraphCall& call, const std::string& relation_name, const std::string& parent) {
  std::vector<const Link*> out;
  for (const auto* link : call.data.relation(relation_name).links(parent)) {
    if (call.visibility.readable(*link, call.now)) out.push_back(link);
  }
  return out;
}

std::optional<Json> parse_json_body(GraphCall& call, SimResponse& failure) {
  try {
    Json body = Json::parse(call.request.body);
    return body;
  } catch (const std::exception&) {
    failure = graph_error(400, "BadRequest",
                          "Unable to read JSON request payload. Please ensure Content-Type header is set and payload "
                          "is of valid JSON format.",
                          call.request);
    return std::nullopt;
  }
}

SimResponse validation_error(const ValidationFailure& failure, const SimRequest& request) {
  return graph_error(failure.status, failure.code, failure.message, request);
}

std::optional<SimResponse> validate(GraphCall& call, const Json& body, const EntitySet& set, WriteKind kind) {
  if (auto failure = validate_body(body, set, kind)) return validation_error(*failure, call.request);
  return std::nullopt;
}

std::optional<std::string> reference_id(const std::string& url) {
  // https://graph.microsoft.com/v1.0/directoryObjects/{id}, .../users/{id}, .../groups/{id},
  // https://graph.microsoft.com/v2/{tenant}/directoryObjects/{id}/Microsoft.DirectoryServices.User
  for (const char* marker : {"/directoryObjects/", "/users/", "/groups/", "/servicePrincipals/", "/devices/",
                             "/contacts/"}) {
    auto at = url.find(marker);
    if (at == std::string::npos) continue;
    std::string rest = url.substr(at + std::string(marker).size());
    auto slash = rest.find('/');
    std::string id = slash == std::string::npos ? rest : rest.substr(0, slash);
    if (!id.empty()) return id;
  }
  return std::nullopt;
}

std::vector<ListRow> readable_rows(GraphCall& call, const EntitySet& set) {
  std::vector<ListRow> rows;
  for (const auto* record : call.data.collection(set.name).ordered()) {
    if (!call.visibility.readable(*record, call.now)) continue;
    rows.push_back(ListRow{&record->data, &set, record->sequence});
  }
  return rows;
}

SimResponse list_response(GraphCall& call, const ListShape& shape, std::vector<ListRow> rows,
                          const std::string& context_path) {
  QueryOptions options;
  if (auto error = parse_query_options(call.request, shape, options)) {
    return graph_error(error->status, error->code, error->message, call.request);
  }
  ListPage page;
  if (auto error = select_page(std::move(rows), options, shape, page)) {
    return graph_error(error->status, error->code, error->message, call.request);
  }
  Json body = Json::object();
  body["@odata.context"] = context_url(context_path, options, false);
  if (options.count) body["@odata.count"] = page.total;
  if (page.next_skiptoken) body["@odata.nextLink"] = next_link(call.request, *page.next_skiptoken);
  Json values = Json::array();
  for (const auto& row : page.rows) {
    bool with_type = shape.set == nullptr;
    values.push_back(render_object(*row.object, *row.set, options, with_type));
  }
  body["value"] = std::move(values);
  return graph_json(200, body, call.request);
}

SimResponse entity_response(GraphCall& call, const EntitySet& set, const Json& object, const std::string& context_path,
                            int status) {
  QueryOptions options;
  if (status == 200) {
    if (auto error = parse_query_options(call.request, ListShape{&set, false}, options)) {
      return graph_error(error->status, error->code, error->message, call.request);
    }
  }
  Json body = Json::object();
  body["@odata.context"] = context_url(context_path, options, true);
  QueryOptions render_options = options;
  if (status == 201) {
    // A create response carries the whole object, like the documented examples.
    Json rendered = Json::object();
    for (const auto& [key, value] : object.items()) {
      if (key != "@odata.context") rendered[key] = value;
    }
    if (!set.polymorphic) rendered.erase("@odata.type");
    for (const auto& [key, value] : rendered.items()) body[key] = value;
    return graph_json(status, body, call.request);
  }
  Json rendered = render_object(object, set, render_options, false);
  for (const auto& [key, value] : rendered.items()) body[key] = value;
  return graph_json(status, body, call.request);
}

std::string new_object_id() { return new_uuid(); }

std::string now_timestamp() { return SimClock::utc_timestamp_seconds() + "Z"; }

}  // namespace idp_sim::graph
