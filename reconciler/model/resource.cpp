// Resources, references and users as both sides of a plan see them.
#include "reconciler/model/resource.hpp"

#include "reconciler/model/spec_path.hpp"

namespace idform::model {

std::string make_address(Kind kind, std::string_view name) {
  return std::string(kind_prefix(kind)) + ":" + std::string(name);
}

std::string Resource::address() const { return make_address(kind, name); }

Reference Reference::parse(std::string_view text) {
  static constexpr std::string_view kTypes[] = {"group", "user", "app", "location", "role"};
  auto colon = text.find(':');
  if (colon != std::string_view::npos) {
    std::string_view type = text.substr(0, colon);
    for (std::string_view known : kTypes)
      if (type == known) return {std::string(type), std::string(text.substr(colon + 1))};
  }
  return {"", std::string(text)};
}

std::string Reference::to_string() const { return type.empty() ? value : type + ":" + value; }

AssignmentElement AssignmentElement::parse(std::string_view text) {
  AssignmentElement element;
  auto bar = text.find("|role:");
  element.principal = Reference::parse(text.substr(0, bar));
  if (bar != std::string_view::npos) element.role = std::string(text.substr(bar + 6));
  return element;
}

std::string AssignmentElement::to_string() const {
  std::string out = principal.to_string();
  if (!role.empty()) out += "|role:" + role;
  return out;
}

std::string describe_element(std::string_view element) {
  auto bar = element.find("|role:");
  if (bar == std::string_view::npos) return std::string(element);
  return std::string(element.substr(0, bar)) + " (role: " + std::string(element.substr(bar + 6)) + ")";
}

std::vector<Reference> references_of(const Resource& resource) {
  std::vector<Reference> out;
  for (const Field& field : fields_of(resource.kind)) {
    const nlohmann::json* value = find_path(resource.spec, field.path);
    if (!value || !value->is_array()) continue;
    for (const auto& item : *value) {
      if (!item.is_string()) continue;
      const std::string text = item.get<std::string>();
      switch (field.type) {
        case FieldType::members:
        case FieldType::reference_set: {
          Reference ref = Reference::parse(text);
          if (!ref.type.empty()) out.push_back(std::move(ref));
          break;
        }
        case FieldType::assignments: {
          AssignmentElement element = AssignmentElement::parse(text);
          out.push_back(element.principal);
          break;
        }
        case FieldType::set_ci:  // owners are users
          out.push_back({"user", text});
          break;
        default:
          break;
      }
    }
  }
  return out;
}

}  // namespace idform::model
