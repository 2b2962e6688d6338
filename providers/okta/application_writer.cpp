// Applications: POST /api/v1/apps?activate=true with the SAML or OIDC settings, GET + PUT for
// changed settings, group assignments one PUT / DELETE /api/v1/apps/{id}/groups/{groupId} each
// (a role goes into the assignment's profile), and deletion in the only order Okta accepts:
// deactivate, then delete.

#include <set>

#include "providers/okta/application_mapping.hpp"
#include "providers/okta/json_fields.hpp"
#include "providers/okta/writers.hpp"
#include "reconciler/model/spec_path.hpp"

namespace idform::providers::okta {
namespace {

using model::strings_at;

using nlohmann::json;

std::string app_path(const std::string& id) { return "/api/v1/apps/" + id; }

// Adds `added` assignments and removes `removed` ones. A group whose role changes appears in
// both lists: it is re-assigned with the new profile, never unassigned in between.
Result<void> change_assignments(OktaClient& okta, const std::string& app_id, const std::vector<std::string>& added,
                                const std::vector<std::string>& removed, const IdResolver& ids) {
  std::set<std::string> readded, had_role;
  for (const std::string& entry : added)
    readded.insert(IDFORM_TRY(ids.id_of(model::AssignmentElement::parse(entry).principal.to_string())));
  for (const std::string& entry : removed) {
    model::AssignmentElement element = model::AssignmentElement::parse(entry);
    std::string group = IDFORM_TRY(ids.id_of(element.principal.to_string()));
    if (!element.role.empty()) had_role.insert(group);
    if (readded.contains(group)) continue;
    IDFORM_TRY(write(okta, "DELETE", app_path(app_id) + "/groups/" + group, nullptr, {404}));
  }
  for (const std::string& entry : added) {
    model::AssignmentElement element = model::AssignmentElement::parse(entry);
    std::string group = IDFORM_TRY(ids.id_of(element.principal.to_string()));
    json body = nullptr;
    if (!element.role.empty()) body = {{"profile", {{"role", element.role}}}};
    else if (had_role.contains(group)) body = {{"profile", {{"role", nullptr}}}};  // the role is dropped
    IDFORM_TRY(write(okta, "PUT", app_path(app_id) + "/groups/" + group, body));
  }
  return {};
}

Result<std::string> create_application(OktaClient& okta, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  json body = IDFORM_TRY(new_app_body(change.name, change.desired));
  auto find_existing = [&]() -> Result<json> {
    auto apps = IDFORM_TRY(okta.list("/api/v1/apps?q=" + http::url_encode(change.name) + "&limit=200"));
    for (const auto& app : apps)
      if (text(app, "label") == change.name && text(app, "signOnMode") == text(body, "signOnMode")) return app;
    return json();
  };
  json created = IDFORM_TRY(create_object(okta, "/api/v1/apps?activate=true", body, find_existing));
  std::string id = text(created, "id");
  if (id.empty()) return fail("POST /api/v1/apps answered without an id");
  IDFORM_TRY(wait_until_visible(okta, app_path(id)));
  IDFORM_TRY(change_assignments(okta, id, strings_at(change.desired, "assignments"), {}, ids));
  return id;
}

Result<std::string> update_application(OktaClient& okta, const provider::ApplyRequest& request, const IdResolver& ids) {
  const plan::Change& change = request.change;
  if (touches_other_than(change, {"assignments"})) {
    OktaResponse current = IDFORM_TRY(write(okta, "GET", app_path(change.id)));
    json app = current.body;
    IDFORM_TRY(apply_app_fields(app, change.name, change.desired));
    IDFORM_TRY(write(okta, "PUT", app_path(change.id), app));
  }
  if (const auto* assignments = attribute(change, "assignments"))
    IDFORM_TRY(change_assignments(okta, change.id, assignments->added, assignments->removed, ids));
  return change.id;
}

}  // namespace

Result<std::string> apply_application(OktaClient& okta, const provider::ApplyRequest& request) {
  IdResolver ids(request.ids);
  const plan::Change& change = request.change;
  switch (change.action) {
    case plan::Action::create: return create_application(okta, request, ids);
    case plan::Action::update: return update_application(okta, request, ids);
    case plan::Action::delete_:
      // Okta deletes only inactive apps (E0000056 otherwise).
      IDFORM_TRY(write(okta, "POST", app_path(change.id) + "/lifecycle/deactivate", nullptr, {404}));
      IDFORM_TRY(write(okta, "DELETE", app_path(change.id), nullptr, {404}));
      return change.id;
    case plan::Action::no_op: return change.id;
  }
  return change.id;
}

}  // namespace idform::providers::okta
