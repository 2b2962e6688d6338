// Formats errors and source locations for people.
#include "reconciler/util/result.hpp"

namespace idform {

namespace {
constexpr std::pair<ErrorCategory, std::string_view> kCategoryNames[] = {
    {ErrorCategory::auth, "auth"},           {ErrorCategory::throttled, "throttled"},
    {ErrorCategory::not_found, "not_found"}, {ErrorCategory::conflict, "conflict"},
    {ErrorCategory::invalid, "invalid"},     {ErrorCategory::transient, "transient"},
    {ErrorCategory::internal, "internal"},   {ErrorCategory::cancelled, "cancelled"},
};
}  // namespace

std::string_view category_name(ErrorCategory category) {
  for (const auto& [value, name] : kCategoryNames)
    if (value == category) return name;
  return "internal";
}

std::optional<ErrorCategory> category_from_name(std::string_view name) {
  for (const auto& [value, known] : kCategoryNames)
    if (known == name) return value;
  return std::nullopt;
}

std::string SourceLocation::to_string() const {
  if (file.empty()) return {};
  if (!known()) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Error::to_string() const {
  std::string out;
  if (where.known() || !where.file.empty()) {
    out = where.to_string() + ": ";
  } else if (!address.empty()) {
    out = address + ": ";
  }
  out += summary;
  if (!detail.empty()) out += "\n  " + detail;
  return out;
}

}  // namespace idform
