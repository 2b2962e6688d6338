#pragma once
// What both cloud providers do around every change they apply: find the users the change names
// that the applier could not map to an id (a saved plan applied after they joined, say), have
// the provider look them up in bulk, then hand the change to the writer for its kind. Any error
// carries the change's address.

#include <functional>
#include <map>
#include <set>
#include <string>

#include "reconciler/provider/provider.hpp"

namespace idform::providers::common {

using UserIds = std::map<std::string, std::string>;  // "user:<email, lower case>" -> id

// Email addresses (lower case) of the users the change names, in what it sends or what it
// removes, that `ids` has no id for. References by id ("id:<id>") need no lookup.
std::set<std::string> unresolved_users(const plan::Change& change, const UserIds& ids);

struct KindWriters {
  using Writer = std::function<Result<std::string>(const provider::ApplyRequest&)>;
  Writer group, application, policy, location;
};

// `lookup` receives the unresolved addresses and returns "user:<email>" -> id for those it found.
Result<provider::ApplyResponse> apply_change(const provider::ApplyRequest& request,
                                             const std::function<Result<UserIds>(const std::set<std::string>&)>& lookup,
                                             const KindWriters& writers);

}  // namespace idform::providers::common
