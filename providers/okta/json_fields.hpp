#pragma once
// Okta JSON is read with the shared null-tolerant readers (providers/common/json_fields.hpp), plus
// HAL links.

#include "providers/common/json_fields.hpp"

namespace idform::providers::okta {

using common::child;
using common::flag;
using common::items;
using common::text;
using common::texts;

// The id at the end of a HAL link: _links.accessPolicy.href ".../policies/rst1" -> "rst1".
inline std::string linked_id(const nlohmann::json& object, const char* link) {
  std::string href = text(child(child(object, "_links"), link), "href");
  auto slash = href.rfind('/');
  return slash == std::string::npos ? std::string() : href.substr(slash + 1);
}

}  // namespace idform::providers::okta
