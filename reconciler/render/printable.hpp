#pragma once
// Tenant data is written by whoever can edit the tenant, and a plan shows it to a reviewer's
// terminal or a pull-request comment. Control characters in it (terminal escape sequences, a
// carriage return that overwrites a line, a newline that forges one, C1 controls, bidirectional
// overrides) are shown as visible escapes (`\x1b`, `\u009b`, `\u202e`) rather than passed on.

#include <optional>
#include <string>
#include <string_view>

#include "reconciler/plan/plan.hpp"

namespace idform::render {

// `text` with every control character written as a visible escape; other text unchanged.
std::string printable(std::string_view text);

// `plan` itself when none of its text needs escaping (the usual case, at no cost), else a copy
// with every string made printable, kept in `storage`.
const plan::Plan& printable_plan(const plan::Plan& plan, std::optional<plan::Plan>& storage);

}  // namespace idform::render
