#pragma once
// Small string helpers that know nothing about identity providers.

#include <string>
#include <string_view>
#include <vector>

namespace idform::util {

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool starts_with(std::string_view text, std::string_view prefix);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::vector<std::string> split(std::string_view text, char separator);
std::string trim(std::string_view text);
// Lowercase hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);
// The value of an environment variable of this process, "" when unset.
std::string environment_variable(const std::string& name);

}  // namespace idform::util
