// The apply shell both cloud providers share: users looked up in bulk, dispatch by kind, addresses on errors.
#include "providers/common/apply_dispatch.hpp"

#include "reconciler/model/resource.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::common {

std::set<std::string> unresolved_users(const plan::Change& change, const UserIds& ids) {
  std::set<std::string> missing;
  // The desired spec is what the change sends; the live spec holds everything it may remove.
  for (const nlohmann::json* spec : {&change.desired, &change.live}) {
    if (!spec->is_object()) continue;
    model::Resource view;
    view.kind = change.kind;
    view.name = change.name;
    view.spec = *spec;
    for (const model::Reference& ref : model::references_of(view)) {
      if (ref.type != "user") continue;
      std::string email = util::to_lower(ref.value);
      bool an_address = email.find(':') == std::string::npos;  // not "id:<id>" or a typed principal
      if (an_address && !ids.contains("user:" + email)) missing.insert(std::move(email));
    }
  }
  return missing;
}

Result<provider::ApplyResponse> apply_change(const provider::ApplyRequest& request,
                                             const std::function<Result<UserIds>(const std::set<std::string>&)>& lookup,
                                             const KindWriters& writers) {
  const plan::Change& change = request.change;
  auto with_address = [&](Error error) {
    error.address = change.address;
    return std::unexpected<Error>(std::move(error));
  };
  provider::ApplyRequest completed{change, request.ids};
  if (std::set<std::string> missing = unresolved_users(change, request.ids); !missing.empty()) {
    auto found = lookup(missing);
    if (!found) return with_address(found.error());
    completed.ids.insert(found->begin(), found->end());
  }
  const KindWriters::Writer* writer = nullptr;
  switch (change.kind) {
    case model::Kind::group: writer = &writers.group; break;
    case model::Kind::application: writer = &writers.application; break;
    case model::Kind::conditional_access_policy: writer = &writers.policy; break;
    case model::Kind::named_location: writer = &writers.location; break;
  }
  if (!writer || !*writer) return with_address(fail("no writer for this kind").error());
  Result<std::string> id = (*writer)(completed);
  if (!id) return with_address(id.error());
  return provider::ApplyResponse{*id};
}

}  // namespace idform::providers::common
