// Builds a model::Resource from a schema-valid resource document.
#include "reconciler/config/resource_builder.hpp"
#include "reconciler/model/reference_forms.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <chrono>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_set>

#include "reconciler/config/network_checks.hpp"

namespace idform::config {
namespace {

using model::FieldType;
using nlohmann::json;

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The schema admits 2026-02-30; the calendar does not.
bool is_calendar_date(const std::string& text) {
  if (text.size() != 10) return false;
  int year = std::stoi(text.substr(0, 4));
  unsigned month = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  unsigned day = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month},
                                     std::chrono::day{day}}
      .ok();
}

// The schema's IPv6 pattern is deliberately loose; the C library knows the real grammar.
bool is_valid_ipv6_range(const std::string& text) {
  std::string address = text.substr(0, text.find('/'));
  in6_addr parsed{};
  return inet_pton(AF_INET6, address.c_str(), &parsed) == 1;
}

class ResourceBuilder {
 public:
  ResourceBuilder(const YamlDocument& document, model::Kind kind, Diagnostics& diagnostics,
                  model::Locations::Completer completer)
      : m_document(document), m_diagnostics(diagnostics), m_completer(std::move(completer)) {
    m_resource.kind = kind;
  }

  model::Resource build() {
    take_identity();
    for (const model::Field& field : model::fields_of(m_resource.kind)) take_field(field);
    if (!m_left_out) m_completer = nullptr;
    m_resource.locations =
        model::Locations(m_document.sources.file(), std::move(m_locations), std::move(m_completer));
    return std::move(m_resource);
  }

 private:
  const json& root() const { return m_document.root; }

  void report(const JsonPointer& pointer, std::string message) {
    std::string path = display_path(root(), pointer);
    m_diagnostics.push_back(Error{path + ": " + std::move(message), {}, m_resource.address(),
                                  m_document.sources.value_at(pointer)});
  }

  void take_identity() {
    m_resource.name = root().at("name").get<std::string>();
    m_resource.id = root().value("id", "");
    m_resource.where = m_document.start();
    m_resource.additive_members = root().value("membership", "") == "additive";
    bool absent = root().value("state", "") == "absent";
    if (absent) m_resource.lifecycle = model::Lifecycle::absent;

    // Lists are replaced by their normalised elements below, so they are not copied here.
    for (const auto& [key, value] : root().items()) {
      if (key == "kind" || key == "name" || key == "id" || key == "membership") continue;
      bool list_field = value.is_array() && model::find_field(m_resource.kind, key);
      m_resource.spec[key] = list_field ? json::array() : value;
    }
    // A policy's enabled/disabled/report-only is a managed attribute; "absent" is a lifecycle.
    if (m_resource.kind != model::Kind::conditional_access_policy || absent)
      m_resource.spec.erase("state");
  }

  void take_field(const model::Field& field) {
    JsonPointer pointer = field_pointer(field.path);
    if (!root().contains(pointer)) return;
    record_location_with_parents(field.path, pointer);
    const json& value = root().at(pointer);
    if (!value.is_array()) return;

    json elements = json::array();
    elements.get_ref<json::array_t&>().reserve(value.size());
    // A list of plain addresses has no entry info; its entries' locations can wait for the
    // completer (see model::Locations).
    const bool leave_out = m_completer && field.type == FieldType::members &&
                           std::all_of(value.begin(), value.end(), [](const json& entry) { return entry.is_string(); });
    if (!leave_out) m_locations.reserve(m_locations.size() + value.size());
    // Views of the kept elements' strings, which stay where they are as the list grows.
    std::unordered_set<std::string_view> seen;
    seen.reserve(value.size());
    const std::string list_pointer = pointer.to_string();
    for (std::size_t i = 0; i < value.size(); ++i) {
      Item item{list_pointer + "/" + std::to_string(i), {}, {}};
      if (!leave_out) item.position = m_document.sources.position_at(item.pointer);
      std::string element = normalise(field.type, value[i], item);
      if (seen.contains(element)) {
        report(JsonPointer(item.pointer), "\"" + element + "\" is listed twice");
        continue;
      }
      if (leave_out) {
        m_left_out = true;
        elements.push_back(std::move(element));
        seen.insert(elements.back().get_ref<const std::string&>());
        continue;
      }
      if (item.info) m_resource.entry_info.emplace(element, std::move(*item.info));
      std::string key;
      key.reserve(field.path.size() + element.size() + 2);
      key.append(field.path).append("[").append(element).append("]");
      m_locations.push_back({std::move(key), item.position.line, item.position.column});
      elements.push_back(std::move(element));
      seen.insert(elements.back().get_ref<const std::string&>());
    }
    m_resource.spec[pointer] = std::move(elements);
  }

  void record_location_with_parents(std::string_view path, const JsonPointer& pointer) {
    Position position = m_document.sources.position_at(pointer.to_string());
    m_locations.push_back({std::string(path), position.line, position.column});
    auto dot = path.rfind('.');
    if (dot != std::string_view::npos)
      record_location_with_parents(path.substr(0, dot), pointer.parent_pointer());
  }

  // One entry of a list: its JSON Pointer, where it was written and, for members with an expiry
  // or a reason, those.
  struct Item {
    std::string pointer;
    Position position;
    std::optional<model::EntryInfo> info;
  };

  std::string normalise(FieldType type, const json& entry, Item& item) {
    switch (type) {
      case FieldType::members: return member_element(entry, item);
      case FieldType::assignments: return assignment_element(entry);
      case FieldType::set_ci: return model::user_value_key(entry.get<std::string>());
      case FieldType::country_set: {
        std::string code = upper(entry.get<std::string>());
        if (code.size() == 2 && !is_iso_country(code))
          report(JsonPointer(item.pointer), "\"" + entry.get<std::string>() + "\" is not an ISO 3166-1 alpha-2 country code");
        return code;
      }
      case FieldType::reference_set: {
        std::string text = entry.get<std::string>();
        if (text.rfind("user:", 0) == 0) model::lower_user_part(text, 5, text.size());
        return text;
      }
      case FieldType::cidr_set: {
        std::string text = entry.get<std::string>();
        if (text.find(':') != std::string::npos && !is_valid_ipv6_range(text))
          report(JsonPointer(item.pointer), "\"" + text + "\" is not a valid IPv6 address");
        else if (auto network = network_if_host_bits(text))
          report(JsonPointer(item.pointer), "\"" + text + "\" has host bits set; write the network, " + *network);
        return text;
      }
      default: return entry.is_string() ? entry.get<std::string>() : entry.dump();
    }
  }

  std::string member_element(const json& entry, Item& item) {
    if (entry.is_string()) {
      const std::string& email = entry.get_ref<const std::string&>();
      std::string element;
      element.reserve(email.size() + 5);
      element.append("user:").append(email);
      model::lower_user_part(element, 5, element.size());
      return element;
    }
    std::string element = entry.contains("user") ? "user:" + model::user_value_key(entry["user"].get<std::string>())
                                                 : "group:" + entry["group"].get<std::string>();
    model::EntryInfo info;
    info.where = m_document.sources.located(item.position);
    info.expires = entry.value("expires", "");
    info.reason = entry.value("reason", "");
    if (!info.expires.empty() && !is_calendar_date(info.expires))
      report(JsonPointer(item.pointer) / "expires", info.expires + " is not a date in the calendar");
    if (!info.expires.empty() || !info.reason.empty()) item.info = std::move(info);
    return element;
  }

  std::string assignment_element(const json& entry) {
    model::AssignmentElement element;
    element.principal = entry.contains("group")
                            ? model::Reference{"group", entry["group"].get<std::string>()}
                            : model::Reference{"user", model::user_value_key(entry["user"].get<std::string>())};
    element.role = entry.value("role", "");
    return element.to_string();
  }

  const YamlDocument& m_document;
  Diagnostics& m_diagnostics;
  model::Resource m_resource;
  std::vector<model::Locations::Written> m_locations;
  model::Locations::Completer m_completer;
  bool m_left_out = false;  // some entries were left to the completer
};

}  // namespace

JsonPointer field_pointer(std::string_view path) {
  JsonPointer pointer;
  while (!path.empty()) {
    auto dot = path.find('.');
    pointer /= std::string(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return pointer;
}

model::Resource build_resource(const YamlDocument& document, model::Kind kind,
                               Diagnostics& diagnostics, model::Locations::Completer completer) {
  return ResourceBuilder(document, kind, diagnostics, std::move(completer)).build();
}

}  // namespace idform::config
