#pragma once
// The halves of reference translation both cloud providers share: naming an id by a unique name
// (else "<type>:id:<id>"), and turning a reference back into an id from the ids the applier
// resolved. Each provider's references.hpp adds its vendor's id forms and error text.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace idform::providers::common {

using NameMap = std::map<std::string, std::string>;  // id (as the provider keys it) -> name

// Names used by more than one object of a kind are not names: they are emptied.
void drop_shared_names(NameMap& names);

// prefix + name for `key`, or prefix + "id:" + id when the name is unknown or shared.
std::string name_or_id(const NameMap& names, std::string_view prefix, const std::string& key, const std::string& id);

// The id `reference` stands for: from `ids` ("group:x", "user:a@b" in any case), or the id a
// "group:id:<id>" reference carries. nullopt when neither says.
std::optional<std::string> resolve_reference(const std::map<std::string, std::string>& ids, const std::string& reference);

}  // namespace idform::providers::common
