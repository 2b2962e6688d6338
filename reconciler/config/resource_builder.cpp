#include "reconciler/config/resource_builder.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <chrono>
#include <set>

namespace idform::config {
namespace {

using model::FieldType;
using nlohmann::json;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

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
  ResourceBuilder(const YamlDocument& document, model::Kind kind, Diagnostics& diagnostics)
      : m_document(document), m_diagnostics(diagnostics) {
    m_resource.kind = kind;
  }

  model::Resource build() {
    take_identity();
    for (const model::Field& field : model::fields_of(m_resource.kind)) take_field(field);
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

    m_resource.spec = root();
    for (const char* identity : {"kind", "name", "id", "membership"}) m_resource.spec.erase(identity);
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
    std::set<std::string> seen;
    for (std::size_t i = 0; i < value.size(); ++i) {
      JsonPointer item = pointer / i;
      std::string element = normalise(field.type, value[i], item);
      std::string key = std::string(field.path) + "[" + element + "]";
      if (!seen.insert(element).second) {
        report(item, "\"" + element + "\" is listed twice");
        continue;
      }
      m_resource.locations[key] = m_document.sources.value_at(item);
      elements.push_back(element);
    }
    m_resource.spec[pointer] = std::move(elements);
  }

  void record_location_with_parents(std::string_view path, const JsonPointer& pointer) {
    m_resource.locations[std::string(path)] = m_document.sources.value_at(pointer);
    auto dot = path.rfind('.');
    if (dot != std::string_view::npos)
      record_location_with_parents(path.substr(0, dot), pointer.parent_pointer());
  }

  std::string normalise(FieldType type, const json& entry, const JsonPointer& item) {
    switch (type) {
      case FieldType::members: return member_element(entry, item);
      case FieldType::assignments: return assignment_element(entry, item);
      case FieldType::set_ci: return lower(entry.get<std::string>());
      case FieldType::country_set: return upper(entry.get<std::string>());
      case FieldType::reference_set: {
        std::string text = entry.get<std::string>();
        return text.rfind("user:", 0) == 0 ? lower(text) : text;
      }
      case FieldType::cidr_set: {
        std::string text = entry.get<std::string>();
        if (text.find(':') != std::string::npos && !is_valid_ipv6_range(text))
          report(item, "\"" + text + "\" is not a valid IPv6 address");
        return text;
      }
      default: return entry.is_string() ? entry.get<std::string>() : entry.dump();
    }
  }

  std::string member_element(const json& entry, const JsonPointer& item) {
    model::EntryInfo info;
    info.where = m_document.sources.value_at(item);
    std::string element;
    if (entry.is_string()) {
      element = "user:" + lower(entry.get<std::string>());
    } else {
      element = entry.contains("user") ? "user:" + lower(entry["user"].get<std::string>())
                                       : "group:" + entry["group"].get<std::string>();
      info.expires = entry.value("expires", "");
      info.reason = entry.value("reason", "");
      if (!info.expires.empty() && !is_calendar_date(info.expires))
        report(item / "expires", info.expires + " is not a date in the calendar");
    }
    m_resource.entry_info.emplace(element, std::move(info));
    return element;
  }

  std::string assignment_element(const json& entry, const JsonPointer& item) {
    model::AssignmentElement element;
    element.principal = entry.contains("group")
                            ? model::Reference{"group", entry["group"].get<std::string>()}
                            : model::Reference{"user", lower(entry["user"].get<std::string>())};
    element.role = entry.value("role", "");
    std::string text = element.to_string();
    m_resource.entry_info.emplace(text, model::EntryInfo{{}, {}, m_document.sources.value_at(item)});
    return text;
  }

  const YamlDocument& m_document;
  Diagnostics& m_diagnostics;
  model::Resource m_resource;
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
                               Diagnostics& diagnostics) {
  return ResourceBuilder(document, kind, diagnostics).build();
}

}  // namespace idform::config
