#pragma once
// Entra is eventually consistent: an object just created can answer 404, or make a request
// that refers to it fail with "does not exist", for seconds after the create succeeded. Writes
// that may meet such an object retry for a bounded time (Tuning::consistency_budget) with
// exponential backoff; creates and deletes wait until a read sees the result, so the plan
// right after an apply reads what the apply wrote.

#include <functional>
#include <string>

#include "providers/entra/graph_client.hpp"

namespace idform::providers::entra {

// 404, or a 400 that says a referenced object does not exist (yet).
bool looks_unreplicated(const GraphResponse& response);

// Calls `attempt` until its answer no longer looks unreplicated or the budget is spent; returns
// the last answer either way.
Result<GraphResponse> retry_unreplicated(GraphClient& graph, const std::function<Result<GraphResponse>()>& attempt);

// One call, retried while the target looks unreplicated, which must succeed (2xx; `also_ok`
// statuses count as success, e.g. 404 for a delete). The error names method, path, status,
// Graph error code and request-id.
Result<GraphResponse> write(GraphClient& graph, const std::string& method, const std::string& path,
                            const nlohmann::json& body = nullptr, std::initializer_list<long> also_ok = {});

// Lists `path` until every key in `present` is among its items' keys (`keys_of` gives an item's
// keys) and none in `absent` is, or until the consistency budget is spent: the writes succeeded
// either way, so running out of budget is not an error. Used after relationship writes (members,
// owners, app role assignments), so that the plan right after an apply reads what it wrote.
Result<void> wait_until_listed(GraphClient& graph, const std::string& path,
                               const std::function<std::vector<std::string>(const nlohmann::json&)>& keys_of,
                               const std::vector<std::string>& present, const std::vector<std::string>& absent);

// Polls GET `path` until it answers 200 (visible) or 404 (gone), within the budget.
Result<void> wait_until_visible(GraphClient& graph, const std::string& path);
Result<void> wait_until_gone(GraphClient& graph, const std::string& path);

}  // namespace idform::providers::entra
