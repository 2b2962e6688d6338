// Builds a Project from a schema-valid idform.yaml document.
#include "reconciler/config/project_builder.hpp"

#include <regex>

#include "reconciler/config/suggest.hpp"

namespace idform::config {
namespace {

using nlohmann::json;

std::vector<std::string> strings_at(const json& root, const JsonPointer& pointer) {
  std::vector<std::string> out;
  if (!root.contains(pointer) || !root.at(pointer).is_array()) return out;
  for (const json& item : root.at(pointer))
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

class ProjectBuilder {
 public:
  ProjectBuilder(const YamlDocument& document, Diagnostics& diagnostics)
      : m_document(document), m_diagnostics(diagnostics) {}

  Project build() {
    const json& root = m_document.root;
    m_project.version = root.value("version", 1);
    m_project.default_target = root.value("default_target", "");
    take_targets();
    take_manage();
    if (root.contains("guards")) take_guards(root["guards"]);
    m_project.emergency_access = strings_at(root, JsonPointer("/emergency_access"));
    m_project.ignore = ignore_entries(root);
    check_default_target();
    return std::move(m_project);
  }

 private:
  void report(const JsonPointer& pointer, std::string message) {
    std::string path = display_path(m_document.root, pointer);
    m_diagnostics.push_back(
        Error{path + ": " + std::move(message), {}, {}, m_document.sources.value_at(pointer)});
  }

  void take_targets() {
    if (!m_document.root.contains("targets")) return;
    for (const auto& [name, settings] : m_document.root["targets"].items()) {
      const std::string at = (JsonPointer("/targets") / name).to_string();
      Target target{name, settings.value("provider", ""), settings, m_document.sources.value_at(at)};
      target.provider_settings = provider_settings_of(settings);
      target.settings_sources = SourceMap(m_document.sources.file());
      target.settings_sources.add_subtree(m_document.sources, at, "");
      target.settings_sources.add_subtree(m_document.sources, at + "/settings", "", false);
      m_project.targets.emplace(name, std::move(target));
    }
  }

  // The mapping a provider's settings schema describes (Target::provider_settings).
  static json provider_settings_of(const json& target) {
    json out = json::object();
    if (!target.is_object()) return out;
    for (const auto& [key, value] : target.items())
      if (key != "provider" && key != "plugin" && key != "settings") out[key] = value;
    if (auto nested = target.find("settings"); nested != target.end() && nested->is_object())
      for (const auto& [key, value] : nested->items()) out[key] = value;
    return out;
  }

  void take_manage() {
    if (!m_document.root.contains("manage")) return;
    for (const auto& [plural, settings] : m_document.root["manage"].items()) {
      auto kind = model::kind_from_plural(plural);
      if (!kind) continue;  // the schema only lets the four plurals through
      Ownership ownership{settings.value("prune", false), settings.value("match", "")};
      check_regex(ownership.match, JsonPointer("/manage") / plural / "match");
      m_project.manage[*kind] = std::move(ownership);
    }
  }

  void check_regex(const std::string& pattern, const JsonPointer& pointer) {
    if (pattern.empty()) return;
    try {
      std::regex compiled(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      report(pointer, "invalid regular expression: " + std::string(error.what()));
    }
  }

  void take_guards(const json& guards) {
    if (guards.contains("max_deletes")) m_project.guards.max_deletes = guards["max_deletes"].get<int>();
    if (guards.contains("max_member_removals"))
      m_project.guards.max_member_removals = guards["max_member_removals"].get<int>();
    m_project.guards.protected_addresses = strings_at(m_document.root, JsonPointer("/guards/protected"));
  }

  void check_default_target() {
    const std::string& name = m_project.default_target;
    if (name.empty() || m_project.targets.contains(name)) return;
    std::vector<std::string> known;
    for (const auto& [target, _] : m_project.targets) known.push_back(target);
    std::string hint = did_you_mean(name, known);
    if (hint.empty()) {
      hint = known.empty() ? " (no targets are defined)" : "; targets are:";
      for (const std::string& target : known) hint += " " + target;
    }
    report(JsonPointer("/default_target"), "no target named \"" + name + "\"" + hint);
  }

  const YamlDocument& m_document;
  Diagnostics& m_diagnostics;
  Project m_project;
};

}  // namespace

Project build_project(const YamlDocument& document, Diagnostics& diagnostics) {
  return ProjectBuilder(document, diagnostics).build();
}

std::vector<std::string> ignore_entries(const nlohmann::json& root) {
  if (!root.is_object()) return {};
  return strings_at(root, JsonPointer("/ignore"));
}

}  // namespace idform::config
