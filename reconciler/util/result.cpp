// Formats errors and source locations for people.
#include "reconciler/util/result.hpp"

namespace idform {

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
