// Groups: POST /groups with up to 20 owners and members bound in the same request (Graph's
// limit at creation), the rest added afterwards; updates PATCH description and name, add
// members 20 per PATCH (members@odata.bind) and remove them with DELETE .../members/{id}/$ref
// through $batch. The /$ref matters: without it Graph deletes the member object itself.

#include <algorithm>
#include <set>

#include "providers/entra/json_fields.hpp"
#include "providers/entra/consistency.hpp"
#include "providers/entra/group_mapping.hpp"
#include "providers/entra/writers.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

using model::strings_at;

constexpr size_t kBindLimit = 20;  // members@odata.bind: at most 20 per request

Result<std::vector<std::string>> resolve_all(const IdResolver& ids, const std::vector<std::string>& references) {
  std::vector<std::string> out;
  for (const std::string& reference : references) out.push_back(IDFORM_TRY(ids.id_of(reference)));
  return out;
}

std::vector<std::string> owner_references(const std::vector<std::string>& owners) {
  std::vector<std::string> out;
  for (const std::string& owner : owners) out.push_back(is_raw_object_reference(owner) ? owner : "user:" + owner);
  return out;
}

nlohmann::json bind_urls(const GraphClient& graph, const std::vector<std::string>& ids, size_t from, size_t count) {
  nlohmann::json urls = nlohmann::json::array();
  for (size_t i = from; i < std::min(ids.size(), from + count); ++i) urls.push_back(directory_object_url(graph, ids[i]));
  return urls;
}

Result<void> add_members(GraphClient& graph, const std::string& group_id, const std::vector<std::string>& ids,
                         size_t from = 0) {
  const std::string path = "/groups/" + group_id;
  for (size_t start = from; start < ids.size(); start += kBindLimit) {
    nlohmann::json body = {{"members@odata.bind", bind_urls(graph, ids, start, kBindLimit)}};
    GraphResponse response = IDFORM_TRY(retry_unreplicated(graph, [&] { return graph.call("PATCH", path, body); }));
    if (response.ok()) continue;
    // All or nothing: if one of the 20 is a member already (a retried request, another tool),
    // add them one by one, where "already a member" is success.
    if (response.status == 400 && util::to_lower(response.error_message()).find("already exist") != std::string::npos) {
      for (size_t i = start; i < std::min(ids.size(), start + kBindLimit); ++i)
        IDFORM_TRY(add_reference(graph, path + "/members/$ref", ids[i]));
      continue;
    }
    return fail(response_error("PATCH", path, response));
  }
  return {};
}

// The ids a members or owners list answers with, for wait_until_listed.
std::vector<std::string> object_id(const nlohmann::json& item) { return {text(item, "id")}; }

Result<std::string> create_group(GraphClient& graph, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  std::vector<std::string> members = IDFORM_TRY(resolve_all(ids, strings_at(change.desired, "members")));
  std::vector<std::string> owners = IDFORM_TRY(resolve_all(ids, owner_references(strings_at(change.desired, "owners"))));
  nlohmann::json body = new_group_body(change.name, change.desired);
  // Without owners an app-only creator may be unable to manage the group later: bind them now.
  // Graph takes at most 20 relationships in a create, owners and members together.
  const size_t owners_now = std::min(owners.size(), kBindLimit);
  const size_t members_now = std::min(members.size(), kBindLimit - owners_now);
  if (owners_now > 0) body["owners@odata.bind"] = bind_urls(graph, owners, 0, owners_now);
  if (members_now > 0) body["members@odata.bind"] = bind_urls(graph, members, 0, members_now);
  auto find_existing = [&]() {
    return find_first(graph, "/groups?$filter=" + http::url_encode("displayName eq " + odata_quote(change.name)) +
                                 "&$select=id");
  };
  nlohmann::json created = IDFORM_TRY(create_object(graph, "/groups", body, find_existing));
  std::string id = text(created, "id");
  if (id.empty()) return fail("POST /groups answered without an id");
  IDFORM_TRY(add_members(graph, id, members, members_now));
  for (size_t i = owners_now; i < owners.size(); ++i) IDFORM_TRY(add_reference(graph, "/groups/" + id + "/owners/$ref", owners[i]));
  IDFORM_TRY(wait_until_visible(graph, "/groups/" + id + "?$select=id"));
  IDFORM_TRY(wait_until_listed(graph, "/groups/" + id + "/members?$select=id&$top=999", object_id, members, {}));
  IDFORM_TRY(wait_until_listed(graph, "/groups/" + id + "/owners?$select=id&$top=999", object_id, owners, {}));
  return id;
}

Result<std::string> update_group(GraphClient& graph, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  const std::string path = "/groups/" + change.id;
  nlohmann::json patch = nlohmann::json::object();
  if (const auto* rename = attribute(change, "name")) patch["displayName"] = rename->after;
  if (const auto* description = attribute(change, "description")) {
    std::string text = description->after.is_string() ? description->after.get<std::string>() : "";
    patch["description"] = text.empty() ? nlohmann::json() : nlohmann::json(text);
  }
  if (!patch.empty()) IDFORM_TRY(write(graph, "PATCH", path, patch));

  if (const auto* owners = attribute(change, "owners")) {
    std::vector<std::string> added = IDFORM_TRY(resolve_all(ids, owner_references(owners->added)));
    for (const std::string& id : added) IDFORM_TRY(add_reference(graph, path + "/owners/$ref", id));
    std::vector<std::string> removed = IDFORM_TRY(resolve_all(ids, owner_references(owners->removed)));
    std::vector<std::string> removals;
    for (const std::string& id : removed) removals.push_back(path + "/owners/" + id + "/$ref");
    IDFORM_TRY(delete_all(graph, removals));
    IDFORM_TRY(wait_until_listed(graph, path + "/owners?$select=id&$top=999", object_id, added, removed));
  }
  if (const auto* members = attribute(change, "members")) {
    std::vector<std::string> added = IDFORM_TRY(resolve_all(ids, members->added));
    std::vector<std::string> removed = IDFORM_TRY(resolve_all(ids, members->removed));
    IDFORM_TRY(add_members(graph, change.id, added));
    std::vector<std::string> removals;
    for (const std::string& id : removed) removals.push_back(path + "/members/" + id + "/$ref");
    IDFORM_TRY(delete_all(graph, removals));
    IDFORM_TRY(wait_until_listed(graph, path + "/members?$select=id&$top=999", object_id, added, removed));
  }
  return change.id;
}

}  // namespace

Result<std::string> apply_group(GraphClient& graph, const provider::ApplyRequest& request) {
  IdResolver ids(request.ids);
  const plan::Change& change = request.change;
  switch (change.action) {
    case plan::Action::create: return create_group(graph, request, ids);
    case plan::Action::update: return update_group(graph, request, ids);
    case plan::Action::delete_: {
      IDFORM_TRY(write(graph, "DELETE", "/groups/" + change.id, nullptr, {404}));
      IDFORM_TRY(wait_until_gone(graph, "/groups/" + change.id + "?$select=id"));
      return change.id;
    }
    case plan::Action::no_op: return change.id;
  }
  return change.id;
}

}  // namespace idform::providers::entra
