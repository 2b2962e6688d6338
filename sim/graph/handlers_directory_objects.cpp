// /directoryObjects/{id} and POST /directoryObjects/getByIds (GRAPH-DC directoryobject-get.md,
// directoryobject-getbyids.md): resolve ids of any directory type, e.g. to look users up in bulk.
#include "graph/graph_errors.hpp"
#include "graph/graph_flavor.hpp"

namespace idp_sim::graph {

namespace {

constexpr std::size_t kMaxGetByIds = 1000;

SimResponse get_directory_object(GraphCall& call) {
  auto object = find_directory_object(call, call.param("id"), false);
  if (!object) return not_found(call.param("id"), call.request);
  SimResponse response = entity_response(call, *object->set, object->record->data, "directoryObjects");
  Json body = Json::parse(response.body);
  Json typed = Json::object();
  typed["@odata.context"] = body["@odata.context"];
  typed["@odata.type"] = "#microsoft.graph." + object->set->type;
  for (const auto& [key, value] : body.items()) {
    if (key != "@odata.context") typed[key] = value;
  }
  response.body = typed.dump();
  return response;
}

SimResponse get_by_ids(GraphCall& call) {
  SimResponse failure;
  auto body = parse_json_body(call, failure);
  if (!body) return failure;
  if (!body->is_object() || !body->contains("ids") || !(*body)["ids"].is_array()) {
    return bad_request("Invalid request body: 'ids' is required.", call.request);
  }
  if ((*body)["ids"].size() > kMaxGetByIds) {
    return bad_request("The number of ids exceeds the maximum of 1000.", call.request);
  }
  std::set<std::string> types;
  for (const auto& type : body->value("types", Json::array())) {
    if (type.is_string()) types.insert(to_lower(type.get<std::string>()));
  }
  std::vector<ListRow> rows;
  for (const auto& id : (*body)["ids"]) {
    if (!id.is_string()) continue;
    auto object = find_directory_object(call, id.get<std::string>(), false);
    if (!object) continue;
    if (!types.empty() && !types.count(to_lower(object->set->type))) continue;
    rows.push_back(ListRow{&object->record->data, object->set, rows.size()});
  }
  Json values = Json::array();
  QueryOptions options;
  for (const auto& row : rows) values.push_back(render_object(*row.object, *row.set, options, true));
  return graph_json(200, Json{{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#directoryObjects"},
                              {"value", values}},
                    call.request);
}

}  // namespace

void register_directory_object_routes(GraphRouter& router) {
  router.add("GET", "/directoryObjects/{id}", get_directory_object);
  router.add("POST", "/directoryObjects/getByIds", get_by_ids);
}

}  // namespace idp_sim::graph
