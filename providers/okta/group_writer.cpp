// Groups: POST /api/v1/groups (always an OKTA_GROUP), PUT of the whole profile for a rename or a
// new description, and members one request each (Okta has no bulk membership call):
// PUT / DELETE /api/v1/groups/{id}/users/{userId}, a few in parallel.

#include "providers/okta/group_mapping.hpp"
#include "providers/okta/json_fields.hpp"
#include "providers/okta/parallel.hpp"
#include "providers/okta/writers.hpp"
#include "reconciler/model/spec_path.hpp"

namespace idform::providers::okta {
namespace {

using model::strings_at;

Result<void> change_members(OktaClient& okta, const std::string& group_id, const std::vector<std::string>& user_ids,
                            bool add) {
  int workers = std::max(1, okta.settings().tuning.max_concurrency / 2);
  return parallel_for(user_ids.size(), workers, [&](size_t i) -> Result<void> {
    std::string path = "/api/v1/groups/" + group_id + "/users/" + user_ids[i];
    if (add) IDFORM_TRY(write(okta, "PUT", path));
    else IDFORM_TRY(write(okta, "DELETE", path, nullptr, {404}));
    return {};
  });
}

Result<std::string> create_group(OktaClient& okta, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  std::vector<std::string> members = IDFORM_TRY(resolve_all(ids, strings_at(change.desired, "members")));
  nlohmann::json body = {{"profile", group_profile(nlohmann::json::object(), change.name, change.desired)}};
  auto find_existing = [&]() -> Result<nlohmann::json> {
    std::string search = "profile.name eq " + filter_quote(change.name) + " and type eq \"OKTA_GROUP\"";
    auto found = IDFORM_TRY(okta.list("/api/v1/groups?search=" + http::url_encode(search)));
    return found.empty() ? nlohmann::json() : found.front();
  };
  nlohmann::json created = IDFORM_TRY(create_object(okta, "/api/v1/groups", body, find_existing));
  std::string id = text(created, "id");
  if (id.empty()) return fail("POST /api/v1/groups answered without an id");
  IDFORM_TRY(wait_until_visible(okta, "/api/v1/groups/" + id));
  IDFORM_TRY(change_members(okta, id, members, true));
  return id;
}

Result<std::string> update_group(OktaClient& okta, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  const std::string path = "/api/v1/groups/" + change.id;
  if (attribute(change, "name") || attribute(change, "description")) {
    OktaResponse current = IDFORM_TRY(write(okta, "GET", path));
    nlohmann::json body = {{"profile", group_profile(child(current.body, "profile"), change.name, change.desired)}};
    IDFORM_TRY(write(okta, "PUT", path, body));
  }
  if (const auto* members = attribute(change, "members")) {
    IDFORM_TRY(change_members(okta, change.id, IDFORM_TRY(resolve_all(ids, members->added)), true));
    IDFORM_TRY(change_members(okta, change.id, IDFORM_TRY(resolve_all(ids, members->removed)), false));
  }
  return change.id;
}

}  // namespace

Result<std::string> apply_group(OktaClient& okta, const provider::ApplyRequest& request) {
  IdResolver ids(request.ids);
  const plan::Change& change = request.change;
  switch (change.action) {
    case plan::Action::create: return create_group(okta, request, ids);
    case plan::Action::update: return update_group(okta, request, ids);
    case plan::Action::delete_:
      IDFORM_TRY(write(okta, "DELETE", "/api/v1/groups/" + change.id, nullptr, {404}));
      return change.id;
    case plan::Action::no_op: return change.id;
  }
  return change.id;
}

}  // namespace idform::providers::okta
