// Resources, references and users as both sides of a plan see them.
#include "reconciler/model/resource.hpp"

#include <algorithm>
#include <deque>
#include <unordered_set>

#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::model {
namespace {

// "user:alice@acme.example" -> ("user", "alice@acme.example"); a keyword -> ("", text).
std::pair<std::string_view, std::string_view> split_reference(std::string_view text) {
  static constexpr std::string_view kTypes[] = {"group", "user", "app", "location", "role"};
  auto colon = text.find(':');
  if (colon != std::string_view::npos) {
    std::string_view type = text.substr(0, colon);
    for (std::string_view known : kTypes)
      if (type == known) return {type, text.substr(colon + 1)};
  }
  return {{}, text};
}

}  // namespace

std::string make_address(Kind kind, std::string_view name) {
  return std::string(kind_prefix(kind)) + ":" + std::string(name);
}

std::string Resource::address() const { return make_address(kind, name); }

Reference Reference::parse(std::string_view text) {
  auto [type, value] = split_reference(text);
  return {std::string(type), std::string(value)};
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

void for_each_reference(const Resource& resource,
                        const std::function<void(std::string_view type, std::string_view value)>& visit) {
  for (const Field& field : fields_of(resource.kind)) {
    const nlohmann::json* value = find_path(resource.spec, field.path);
    if (!value || !value->is_array()) continue;
    for (const auto& item : *value) {
      if (!item.is_string()) continue;
      std::string_view text = item.get_ref<const std::string&>();
      switch (field.type) {
        case FieldType::members:
        case FieldType::reference_set: {
          auto [type, name] = split_reference(text);
          if (!type.empty()) visit(type, name);
          break;
        }
        case FieldType::assignments: {  // "group:sales|role:Standard User": the principal
          auto [type, name] = split_reference(text.substr(0, text.find("|role:")));
          visit(type, name);
          break;
        }
        case FieldType::set_ci:  // owners are users
          visit("user", text);
          break;
        default:
          break;
      }
    }
  }
}

std::vector<Reference> references_of(const Resource& resource) {
  std::vector<Reference> out;
  for_each_reference(resource, [&](std::string_view type, std::string_view value) {
    out.push_back({std::string(type), std::string(value)});
  });
  return out;
}

// A large config names over a million members, so the users are collected as views into the
// specs; they are mostly lower case already (the loader lower-cases members), and only those that
// are not are copied, lower-cased.
std::vector<std::string> referenced_users(const DesiredState& desired) {
  std::unordered_set<std::string_view> emails;
  std::deque<std::string> lowered;
  for (const Resource& resource : desired.resources) {
    for_each_reference(resource, [&](std::string_view type, std::string_view text) {
      if (type != "user" || text.starts_with("id:")) return;  // known by id: nothing to look up
      if (std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        lowered.push_back(util::to_lower(text));
        text = lowered.back();
      }
      emails.insert(text);
    });
  }
  std::vector<std::string_view> sorted(emails.begin(), emails.end());
  std::sort(sorted.begin(), sorted.end());
  return {sorted.begin(), sorted.end()};
}

}  // namespace idform::model
