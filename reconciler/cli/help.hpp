#pragma once
#include <string_view>

namespace idform::cli {

// The help text of a command ("" = the overview); empty view when the command is unknown.
std::string_view help_text(std::string_view command);

}  // namespace idform::cli
