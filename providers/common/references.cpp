// Reference translation both cloud providers share: ids by unique name, names by id.
#include "providers/common/references.hpp"

#include "reconciler/model/resource.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::common {

void drop_shared_names(NameMap& names) {
  std::map<std::string, int> uses;
  for (const auto& [id, name] : names) ++uses[name];
  for (auto& [id, name] : names)
    if (uses[name] > 1) name.clear();
}

std::string name_or_id(const NameMap& names, std::string_view prefix, const std::string& key, const std::string& id) {
  auto found = names.find(key);
  if (found == names.end() || found->second.empty()) return std::string(prefix) + "id:" + id;
  return std::string(prefix) + found->second;
}

std::optional<std::string> resolve_reference(const std::map<std::string, std::string>& ids, const std::string& reference) {
  auto found = ids.find(reference);
  if (found != ids.end()) return found->second;
  model::Reference ref = model::Reference::parse(reference);
  if (ref.type == "user") {
    found = ids.find("user:" + util::to_lower(ref.value));
    if (found != ids.end()) return found->second;
  }
  if (ref.value.starts_with("id:")) return ref.value.substr(3);  // "group:id:<id>"
  return std::nullopt;
}

}  // namespace idform::providers::common
