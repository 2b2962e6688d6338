#pragma once
// Entra's filter rules (device filters, application and service principal filters), parsed once
// and evaluated against a sign-in's properties:
//
//   device.trustType -eq "ServerAD" -and (device.isCompliant -eq True -or device.model -startsWith "Surface")
//
// Operators: -eq -ne -startsWith -notStartsWith -endsWith -notEndsWith -contains -notContains
// -in -notIn (with ["a", "b"]), joined by -and / -or (-and binds tighter) and parentheses.
// Values compare case-insensitively. A property the sign-in does not have is null: the positive
// operators are false on it and the negated ones true, which is how an unregistered device (every
// property null) meets an include or exclude filter.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::whatif {

class FilterRule {
 public:
  static Result<FilterRule> parse(const std::string& text);
  // `properties` by full name ("device.isCompliant"), values as text ("True", "ServerAD").
  bool matches(const std::map<std::string, std::string>& properties) const;

  struct Node;

 private:
  std::shared_ptr<const Node> m_root;
};

}  // namespace idform::whatif
