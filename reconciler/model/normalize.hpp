#pragma once
// Canonical forms, so that values which mean the same compare equal: sets sorted and
// de-duplicated, emails lower-cased, CIDRs completed and canonicalised, durations in their
// largest exact unit. Both sides of a diff are normalised with the same functions, which is what
// makes a plan right after an apply empty.

#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/model/kind.hpp"

namespace idform::model {

// One element of a set-like field, in canonical form.
std::string normalize_element(FieldType type, const std::string& element);
// "24h" -> "1d", "90m" -> "90m", "every_time" unchanged; unparseable input returned as is.
std::string normalize_duration(const std::string& text);
// "10.0.0.1" -> "10.0.0.1/32", "2001:DB8::/32" -> "2001:db8::/32"; the address printed canonically and host bits cleared, so that
// "192.0.2.1/24" and "192.0.2.0/24" compare equal. Unreadable text is returned as it is.
std::string normalize_cidr(const std::string& text);
// A copy of `spec` with every catalogued field in canonical form; other keys kept as they are.
nlohmann::json normalize_spec(Kind kind, const nlohmann::json& spec);

}  // namespace idform::model
