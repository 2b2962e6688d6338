#pragma once
// Writes resources back as config YAML: the inverse of the loader's normalisation.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/model/resource.hpp"

namespace idform::importer {

struct YamlWriteOptions {
  std::set<std::string> left_out;     // field paths not written
  std::vector<std::string> comments;  // lines written first, each as "# <line>"
  bool identity_only = false;         // kind, name and id only
};

// One YAML document (no leading "---") for `resource`: kind, name, id, then the spec's fields in
// catalogue order, members and assignments in their config forms, short lists in flow style.
// Fields whose value equals `defaults` (same spec form) are left out.
std::string to_yaml(const model::Resource& resource, const nlohmann::json& defaults,
                    const YamlWriteOptions& options = {});

// The member and assignment lists of `resource` that name a principal the config has no word for
// (a service principal, a device, a contact), by field path, with why: written, such an entry
// would not even be valid YAML for the schema, so import leaves the field out.
std::map<std::string, std::string> unwritable_fields(const model::Resource& resource);

// `text` as one comment line: control characters (a name's line breaks, escapes) become spaces.
std::string comment_line(std::string_view text);

}  // namespace idform::importer
