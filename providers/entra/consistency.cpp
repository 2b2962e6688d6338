// Waiting out Entra's eventual consistency after a write (404s and stale reads of new objects).
#include "providers/entra/consistency.hpp"

#include <algorithm>
#include <set>

#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

Result<void> poll(GraphClient& graph, const std::string& path, long wanted, const char* what) {
  const Tuning& tuning = graph.settings().tuning;
  auto deadline = graph.clock().steady_now() + tuning.consistency_budget;
  for (int attempt = 0;; ++attempt) {
    GraphResponse response = IDFORM_TRY(graph.call("GET", path));
    if (response.status == wanted) return {};
    if (response.status != 200 && response.status != 404) return fail(response_error("GET", path, response));
    if (graph.clock().steady_now() >= deadline)
      return fail(std::string("the change was applied but is not ") + what + " after " +
                  std::to_string(tuning.consistency_budget.count() / 1000) + " s (replication delay)",
                  "GET " + path + " still answers " + std::to_string(response.status));
    graph.sleep(graph.backoff(attempt, tuning.consistency_first_wait, tuning.consistency_max_wait));
  }
}

}  // namespace

bool looks_unreplicated(const GraphResponse& response) {
  if (response.status == 404) return true;
  if (response.status != 400) return false;
  std::string message = util::to_lower(response.error_message());
  // The last one: an app role just added to the application has not reached its service
  // principal yet ("Permission being assigned was not found on application ...").
  for (const char* phrase : {"does not exist", "not present", "does not reference a valid application object",
                             "resource not found", "were not found", "was not found on application"})
    if (message.find(phrase) != std::string::npos) return true;
  return false;
}

Result<GraphResponse> retry_unreplicated(GraphClient& graph, const std::function<Result<GraphResponse>()>& attempt) {
  const Tuning& tuning = graph.settings().tuning;
  auto deadline = graph.clock().steady_now() + tuning.consistency_budget;
  for (int round = 0;; ++round) {
    GraphResponse response = IDFORM_TRY(attempt());
    if (!looks_unreplicated(response) || graph.clock().steady_now() >= deadline) return response;
    graph.sleep(graph.backoff(round, tuning.consistency_first_wait, tuning.consistency_max_wait));
  }
}

Result<GraphResponse> write(GraphClient& graph, const std::string& method, const std::string& path,
                            const nlohmann::json& body, std::initializer_list<long> also_ok) {
  auto accepted = [&](const GraphResponse& response) {
    return response.ok() || std::find(also_ok.begin(), also_ok.end(), response.status) != also_ok.end();
  };
  // An accepted status (a 404 for a delete) ends the retries at once.
  GraphResponse response = IDFORM_TRY(retry_unreplicated(graph, [&]() -> Result<GraphResponse> {
    GraphResponse answer = IDFORM_TRY(graph.call(method, path, body));
    if (accepted(answer) && !answer.ok()) answer.status = 204;
    return answer;
  }));
  if (!accepted(response)) return fail(response_error(method, path, response));
  return response;
}

Result<void> wait_until_listed(GraphClient& graph, const std::string& path,
                               const std::function<std::vector<std::string>(const nlohmann::json&)>& keys_of,
                               const std::vector<std::string>& present, const std::vector<std::string>& absent) {
  if (present.empty() && absent.empty()) return {};
  const Tuning& tuning = graph.settings().tuning;
  auto deadline = graph.clock().steady_now() + tuning.consistency_budget;
  for (int attempt = 0;; ++attempt) {
    std::set<std::string> listed;
    for (const auto& item : IDFORM_TRY(graph.list(path)))
      for (std::string& key : keys_of(item)) listed.insert(std::move(key));
    bool seen = std::all_of(present.begin(), present.end(), [&](const std::string& key) { return listed.contains(key); }) &&
                std::none_of(absent.begin(), absent.end(), [&](const std::string& key) { return listed.contains(key); });
    if (seen || graph.clock().steady_now() >= deadline) return {};
    graph.sleep(graph.backoff(attempt, tuning.consistency_first_wait, tuning.consistency_max_wait));
  }
}

Result<void> wait_until_visible(GraphClient& graph, const std::string& path) {
  return poll(graph, path, 200, "visible");
}

Result<void> wait_until_gone(GraphClient& graph, const std::string& path) { return poll(graph, path, 404, "gone"); }

}  // namespace idform::providers::entra
