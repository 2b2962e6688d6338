#include "reconciler/model/normalize.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "reconciler/model/resource.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::model {
namespace {

std::string lower_user_part(const std::string& element) {
  Reference ref = Reference::parse(element);
  if (ref.type == "user") ref.value = util::to_lower(ref.value);
  return ref.to_string();
}

}  // namespace

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
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1) {
    inet_ntop(AF_INET, bytes, buffer, sizeof buffer);
    return std::string(buffer) + "/" + (prefix.empty() ? "32" : prefix);
  }
  if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
    inet_ntop(AF_INET6, bytes, buffer, sizeof buffer);
    return std::string(buffer) + "/" + (prefix.empty() ? "128" : prefix);
  }
  return text;
}

std::string normalize_element(FieldType type, const std::string& element) {
  switch (type) {
    case FieldType::set_ci: return util::to_lower(element);
    case FieldType::reference_set:
    case FieldType::members: return lower_user_part(element);
    case FieldType::assignments: {
      AssignmentElement parsed = AssignmentElement::parse(element);
      if (parsed.principal.type == "user") parsed.principal.value = util::to_lower(parsed.principal.value);
      return parsed.to_string();
    }
    case FieldType::cidr_set: return normalize_cidr(element);
    case FieldType::country_set: return util::to_upper(element);
    default: return element;
  }
}

nlohmann::json normalize_spec(Kind kind, const nlohmann::json& spec) {
  nlohmann::json out = spec;
  for (const Field& field : fields_of(kind)) {
    const nlohmann::json* value = find_path(out, field.path);
    if (!value || value->is_null()) continue;
    if (field.type == FieldType::duration && value->is_string()) {
      set_path(out, field.path, normalize_duration(value->get<std::string>()));
      continue;
    }
    if (!value->is_array()) continue;
    std::set<std::string> elements;
    for (const auto& item : *value)
      if (item.is_string()) elements.insert(normalize_element(field.type, item.get<std::string>()));
    set_path(out, field.path, nlohmann::json(std::vector<std::string>(elements.begin(), elements.end())));
  }
  return out;
}

}  // namespace idform::model
