// Types YAML scalars by the YAML 1.2 core schema and checks each one.
#include "reconciler/config/yaml_scalar.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <regex>

#include "reconciler/config/yaml_document.hpp"

namespace idform::config {
namespace {

bool is_one_of(std::string_view text, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words)
    if (text == word) return true;
  return false;
}

std::optional<std::int64_t> parse_integer(std::string_view digits, int base) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::optional<nlohmann::json> resolve_number(const std::string& text) {
  static const std::regex kDecimal("[-+]?[0-9]+");
  static const std::regex kOctal("0o[0-7]+");
  static const std::regex kHex("0x[0-9a-fA-F]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  if (std::regex_match(text, kDecimal)) {
    std::string_view digits = text;
    if (digits.front() == '+') digits.remove_prefix(1);
    if (auto value = parse_integer(digits, 10)) return nlohmann::json(*value);
    return nlohmann::json(std::strtod(text.c_str(), nullptr));  // beyond 64 bits
  }
  if (std::regex_match(text, kOctal))
    if (auto value = parse_integer(std::string_view(text).substr(2), 8)) return nlohmann::json(*value);
  if (std::regex_match(text, kHex))
    if (auto value = parse_integer(std::string_view(text).substr(2), 16)) return nlohmann::json(*value);
  if (std::regex_match(text, kFloat)) return nlohmann::json(std::strtod(text.c_str(), nullptr));

  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  if (is_one_of(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) return kInfinity;
  if (is_one_of(text, {"-.inf", "-.Inf", "-.INF"})) return -kInfinity;
  if (is_one_of(text, {".nan", ".NaN", ".NAN"})) return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

// JSON (and so plans and messages) can only carry UTF-8; asking nlohmann's own encoder keeps
// this check exactly as strict as every later dump(). ASCII, nearly every value, needs no asking.
bool is_valid_utf8(const std::string& text) {
  bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return true;
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

}  // namespace

nlohmann::json resolve_plain_scalar(const std::string& text) {
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) return nullptr;
  if (is_one_of(text, {"true", "True", "TRUE"})) return true;
  if (is_one_of(text, {"false", "False", "FALSE"})) return false;
  // Only text that starts like a number can be one; this keeps regexes off ordinary words.
  if (text.find_first_of("0123456789.") <= 1)
    if (auto number = resolve_number(text)) return *number;
  return text;
}

std::optional<std::string> scalar_problem(const std::string& text) {
  if (text.size() > kMaxScalarLength)
    return "value is " + std::to_string(text.size()) + " characters long; the limit is " +
           std::to_string(kMaxScalarLength);
  if (!is_valid_utf8(text)) return std::string("value is not valid UTF-8 text");
  return std::nullopt;
}

}  // namespace idform::config
