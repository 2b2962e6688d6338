#pragma once
// Typing of YAML scalars by the YAML 1.2 core schema, and the checks every scalar must pass.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace idform::config {

// An unquoted scalar as the core schema reads it: null, boolean, integer, float, else string.
// (Unlike YAML 1.1, "yes", "no", "on", "off" and "NO" stay strings.)
nlohmann::json resolve_plain_scalar(const std::string& text);

// Why a scalar's text cannot be accepted (not UTF-8, too long), or nullopt when it can.
std::optional<std::string> scalar_problem(const std::string& text);

}  // namespace idform::config
