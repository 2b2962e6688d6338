// The ldap provider's capability check: kinds other than Group, and group owners, are refused
// with the line they are written on.

#include "providers/ldap/capabilities.hpp"

#include "reconciler/model/spec_path.hpp"

namespace idform::providers::ldap {
namespace {

SourceLocation location_of(const model::Resource& resource, const std::string& key) {
  auto found = resource.locations.find(key);
  return found != resource.locations.end() ? found->second : resource.where;
}

}  // namespace

Diagnostics check_expressible(const model::DesiredState& desired) {
  Diagnostics out;
  for (const model::Resource& resource : desired.resources) {
    if (resource.lifecycle == model::Lifecycle::absent) continue;
    if (resource.kind != model::Kind::group) {
      out.push_back(Error{std::string(model::kind_document_name(resource.kind)) + ": provider \"ldap\" cannot express this",
                          "an LDAP directory holds groups and their members only; keep " +
                              std::string(model::kind_plural(resource.kind)) + " in a target of another provider",
                          resource.address(), resource.where});
      continue;
    }
    const nlohmann::json* owners = model::find_path(resource.spec, "owners");
    if (owners && owners->is_array() && !owners->empty())
      out.push_back(Error{"owners: provider \"ldap\" cannot express this",
                          "the ldap provider manages a group's description and members, not its owners",
                          resource.address(), location_of(resource, "owners")});
  }
  return out;
}

}  // namespace idform::providers::ldap
