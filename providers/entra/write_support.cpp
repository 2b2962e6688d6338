// Graph writes that must not be repeated blindly: creates that look before retrying, and waits for new objects.
#include "providers/entra/consistency.hpp"
#include "providers/entra/json_fields.hpp"
#include "providers/entra/writers.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

constexpr int kCreateAttempts = 6;

bool already_exists(const GraphResponse& response) {
  return response.status == 409 ||
         (response.status == 400 && util::to_lower(response.error_message()).find("already exist") != std::string::npos);
}

}  // namespace

std::vector<std::string> touched_paths(const plan::Change& change) {
  std::vector<std::string> paths;
  if (change.action == plan::Action::create) {
    for (const model::Field& field : model::fields_of(change.kind))
      if (change.desired.is_object() && model::find_path(change.desired, field.path))
        paths.emplace_back(field.path);
    return paths;
  }
  for (const plan::AttributeChange& attribute : change.attributes) paths.push_back(attribute.path);
  return paths;
}

const plan::AttributeChange* attribute(const plan::Change& change, std::string_view path) {
  for (const plan::AttributeChange& attribute : change.attributes)
    if (attribute.path == path) return &attribute;
  return nullptr;
}

std::string directory_object_url(const GraphClient& graph, const std::string& id) {
  return graph.settings().graph_endpoint + "/directoryObjects/" + id;
}

Result<nlohmann::json> find_first(GraphClient& graph, const std::string& path) {
  GraphResponse response = IDFORM_TRY(graph.call("GET", path));
  if (!response.ok()) return fail(response_error("GET", path, response));
  if (response.body.contains("value") && response.body["value"].is_array() && !response.body["value"].empty())
    return response.body["value"][0];
  return nlohmann::json();
}

Result<nlohmann::json> create_object(GraphClient& graph, const std::string& path, const nlohmann::json& body,
                                     const Finder& find_existing) {
  const Tuning& tuning = graph.settings().tuning;
  std::string last_problem;
  for (int attempt = 0; attempt < kCreateAttempts; ++attempt) {
    if (attempt > 0) graph.sleep(graph.backoff(attempt, tuning.consistency_first_wait, tuning.consistency_max_wait));
    auto sent = retry_unreplicated(graph, [&] { return graph.call("POST", path, body); });
    if (sent && sent->ok()) return sent->body;
    if (sent && already_exists(*sent)) {  // made meanwhile (a lost answer, another writer): adopt it
      nlohmann::json existing = IDFORM_TRY(find_existing());
      if (!existing.is_null()) return existing;
    }
    if (sent && sent->status < 500 && sent->status != 429) return fail(response_error("POST", path, *sent));
    last_problem = sent ? describe_failure("POST", path, *sent) : sent.error().summary;
    // The POST may or may not have happened: look before trying again. A new object can take a
    // while to show, so keep looking for the adopt window.
    auto give_up = graph.clock().steady_now() + tuning.adopt_window;
    for (int look = 0;; ++look) {
      nlohmann::json existing = IDFORM_TRY(find_existing());
      if (!existing.is_null()) return existing;
      if (graph.clock().steady_now() >= give_up) break;
      graph.sleep(graph.backoff(look, tuning.consistency_first_wait, tuning.consistency_max_wait));
    }
  }
  return fail("could not create the object after " + std::to_string(kCreateAttempts) + " attempts", last_problem);
}

Result<void> add_reference(GraphClient& graph, const std::string& path, const std::string& object_id) {
  nlohmann::json body = {{"@odata.id", directory_object_url(graph, object_id)}};
  std::string last_problem;
  for (int attempt = 0; attempt < kCreateAttempts; ++attempt) {
    if (attempt > 0) graph.sleep(graph.backoff(attempt, graph.settings().tuning.consistency_first_wait,
                                               graph.settings().tuning.consistency_max_wait));
    auto sent = retry_unreplicated(graph, [&] { return graph.call("POST", path, body); });
    if (sent && (sent->ok() || already_exists(*sent))) return {};
    if (sent && sent->status < 500 && sent->status != 429) return fail(response_error("POST", path, *sent));
    // Adding a reference twice is harmless: a lost answer is simply retried.
    last_problem = sent ? describe_failure("POST", path, *sent) : sent.error().summary;
  }
  return fail("could not add " + object_id + " after " + std::to_string(kCreateAttempts) + " attempts", last_problem);
}

nlohmann::json deep_merge(nlohmann::json base, const nlohmann::json& overlay) {
  if (!base.is_object() || !overlay.is_object()) return overlay;
  // A typed value (externalTenants: all or enumerated) or an inline reference ({id} of an
  // authentication strength) is given whole: merging would keep properties of the old type.
  if (overlay.contains("@odata.type") || overlay.contains("id")) return overlay;
  // redirectUriSettings restates redirectUris with indexes: stale once the URIs change.
  if (overlay.contains("redirectUris")) base.erase("redirectUriSettings");
  for (const auto& [key, value] : overlay.items())
    base[key] = base.contains(key) ? deep_merge(base[key], value) : value;
  return base;
}

Result<nlohmann::json> complete_patch(GraphClient& graph, const std::string& path, nlohmann::json patch) {
  std::vector<std::string> complex;
  for (const auto& [key, value] : patch.items())
    if (value.is_object() && key.find('@') == std::string::npos) complex.push_back(key);
  if (complex.empty()) return patch;
  GraphResponse current = IDFORM_TRY(write(graph, "GET", path + "?$select=" + util::join(complex, ",")));
  for (const std::string& key : complex) patch[key] = deep_merge(child(current.body, key.c_str()), patch[key]);
  return patch;
}

Result<void> delete_all(GraphClient& graph, const std::vector<std::string>& paths) {
  if (paths.empty()) return {};
  std::vector<BatchItem> items;
  for (const std::string& path : paths) items.push_back({"DELETE", path, nullptr});
  std::vector<BatchOutcome> outcomes = IDFORM_TRY(graph.batch(items));
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const GraphResponse& response = outcomes[i].response;
    if (!response.ok() && response.status != 404) return fail(response_error("DELETE", paths[i], response));
  }
  return {};
}

}  // namespace idform::providers::entra
