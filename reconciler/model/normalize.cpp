// Canonical forms, so that values which mean the same compare equal.
#include "reconciler/model/normalize.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "reconciler/model/resource.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"
#include "reconciler/model/reference_forms.hpp"

namespace idform::model {
std::string normalize_duration(const std::string& text) {
  if (text.size() < 2) return text;
  long long amount = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size() - 1, amount);
  if (error != std::errc{} || end != text.data() + text.size() - 1) return text;
  long long minutes = 0;
  switch (text.back()) {
    case 'm': minutes = amount; break;
    case 'h': minutes = amount * 60; break;
    case 'd': minutes = amount * 60 * 24; break;
    default: return text;
  }
  if (minutes % (60 * 24) == 0) return std::to_string(minutes / (60 * 24)) + "d";
  if (minutes % 60 == 0) return std::to_string(minutes / 60) + "h";
  return std::to_string(minutes) + "m";
}

std::string normalize_cidr(const std::string& text) {
  std::string address = text;
  std::string prefix;
  if (auto slash = text.find('/'); slash != std::string::npos) {
    address = text.substr(0, slash);
    prefix = text.substr(slash + 1);
  }
  unsigned char bytes[16];
  char buffer[INET6_ADDRSTRLEN];
  int family = inet_pton(AF_INET, address.c_str(), bytes) == 1    ? AF_INET
               : inet_pton(AF_INET6, address.c_str(), bytes) == 1 ? AF_INET6
                                                                   : 0;
  if (family == 0) return text;
  const int bits = family == AF_INET ? 32 : 128;
  int length = bits;
  if (!prefix.empty()) {
    auto [end, error] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), length);
    if (error != std::errc{} || end != prefix.data() + prefix.size() || length < 0 || length > bits) return text;
  }
  // The network the range denotes: an identity provider may return 1.2.3.4/24 as written, and
  // it is the same range as 1.2.3.0/24.
  for (int bit = length; bit < bits; ++bit) bytes[bit / 8] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));
  inet_ntop(family, bytes, buffer, sizeof buffer);
  return std::string(buffer) + "/" + std::to_string(length);
}

// The same as parsing the element as a Reference (or AssignmentElement), lower-casing a user's
// part and printing it again, without the copies: this runs once per member on both sides.
std::string normalize_element(FieldType type, const std::string& element) {
  switch (type) {
    case FieldType::set_ci: return user_value_key(element);
    case FieldType::reference_set:
    case FieldType::members: {
      std::string out = element;
      if (out.starts_with("user:")) lower_user_part(out, 5, out.size());
      return out;
    }
    case FieldType::assignments: {
      std::string out = element;
      auto bar = out.find("|role:");
      // An empty role is no role.
      if (bar != std::string::npos && bar + 6 == out.size()) out.resize(bar);
      if (out.starts_with("user:")) lower_user_part(out, 5, bar);
      return out;
    }
    case FieldType::cidr_set: return normalize_cidr(element);
    case FieldType::country_set: return util::to_upper(element);
    default: return element;
  }
}

nlohmann::json normalize_spec(Kind kind, const nlohmann::json& spec) {
  // Top-level lists (members, assignments) are rewritten below, so they are not copied first. No
  // field's path lies inside another's, so reading `spec` is reading what `out` would hold.
  nlohmann::json out;
  if (spec.is_object()) {
    out = nlohmann::json::object();
    for (const auto& [key, value] : spec.items()) {
      const Field* field = find_field(kind, key);
      out[key] = field && value.is_array() ? nlohmann::json::array() : value;
    }
  } else {
    out = spec;
  }
  for (const Field& field : fields_of(kind)) {
    const nlohmann::json* value = find_path(spec, field.path);
    if (!value || value->is_null()) continue;
    if (field.type == FieldType::duration && value->is_string()) {
      set_path(out, field.path, normalize_duration(value->get<std::string>()));
      continue;
    }
    if (!value->is_array()) continue;
    // Sorted and unique, as a std::set would give them, from one vector.
    std::vector<std::string> elements;
    elements.reserve(value->size());
    for (const auto& item : *value)
      if (item.is_string()) elements.push_back(normalize_element(field.type, item.get_ref<const std::string&>()));
    if (!std::is_sorted(elements.begin(), elements.end())) std::sort(elements.begin(), elements.end());
    elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
    nlohmann::json list = nlohmann::json::array();
    auto& array = list.get_ref<nlohmann::json::array_t&>();
    array.reserve(elements.size());
    for (std::string& element : elements) array.emplace_back(std::move(element));
    set_path(out, field.path, std::move(list));
  }
  return out;
}

}  // namespace idform::model
