#pragma once
// Applying one planned change to Okta, one function per kind. Each returns the object's id (the
// new id for creates).
//
// Okta replaces objects on PUT, so an update reads the object first (one GET, on the write path
// only), writes the fields the config states into it and sends it back: settings the config has
// no word for survive. Members, assignments and policy-to-app attachments are sent as the planned
// additions and removals, never as a rewrite of the whole list.

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "providers/okta/okta_client.hpp"
#include "providers/okta/references.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::providers::okta {

Result<std::string> apply_group(OktaClient& okta, const provider::ApplyRequest& request);
Result<std::string> apply_application(OktaClient& okta, const provider::ApplyRequest& request);
Result<std::string> apply_policy(OktaClient& okta, const provider::ApplyRequest& request);
Result<std::string> apply_location(OktaClient& okta, const provider::ApplyRequest& request);

// Shared by the writers ----------------------------------------------------------------------

const plan::AttributeChange* attribute(const plan::Change& change, std::string_view path);
// Whether the update touches any field outside `paths` (and "name").
bool touches_other_than(const plan::Change& change, std::initializer_list<std::string_view> paths);

// One call that must succeed (2xx; `also_ok` statuses count as success, such as 404 for a
// delete). A 404 right after a create is Okta's eventual consistency and is retried for a while;
// lifecycle POSTs (activate/deactivate) are retried on 5xx and dropped connections, since
// repeating them is harmless. The error names method, path, status, errorCode and errorId.
Result<OktaResponse> write(OktaClient& okta, const std::string& method, const std::string& path,
                           const nlohmann::json& body = nullptr, std::initializer_list<long> also_ok = {});

// POST that creates an object. Okta has no idempotency key, so when the outcome is unknown (a
// dropped connection, a 5xx) `find_existing` looks for the object before the POST is repeated;
// an object it finds is adopted instead of created twice.
using Finder = std::function<Result<nlohmann::json>()>;  // the object, or null when absent
Result<nlohmann::json> create_object(OktaClient& okta, const std::string& path, const nlohmann::json& body,
                                     const Finder& find_existing);

// Polls GET `path` until it answers 200, within the consistency budget.
Result<void> wait_until_visible(OktaClient& okta, const std::string& path);

// Resolves every reference, failing on the first that has no id.
Result<std::vector<std::string>> resolve_all(const IdResolver& ids, const std::vector<std::string>& references);

}  // namespace idform::providers::okta
