// The provider registry: built-in providers by name, and discovery of plugins for the others.

#include "reconciler/provider/provider.hpp"

#include <unistd.h>

#include <filesystem>

#include "reconciler/provider/plugin_provider.hpp"
#include "reconciler/provider/settings_check.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::provider {

namespace {

std::string known_names(const std::map<std::string, ProviderFactory>& factories) {
  std::string known;
  for (const auto& [key, factory] : factories) known += (known.empty() ? "" : ", ") + key;
  return known;
}

// `program` as written in idform.yaml: a bare name is looked up on PATH when started, a relative
// path is taken from the config directory.
std::string resolve_program(const std::string& program, const std::string& config_root) {
  if (program.find('/') == std::string::npos || program.starts_with("/")) return program;
  return (std::filesystem::path(config_root) / program).lexically_normal().string();
}

std::optional<std::string> find_on_path(const std::string& program) {
  std::string path = util::environment_variable("PATH");
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / program;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
    start = end + 1;
  }
  return std::nullopt;
}

// The command that runs the target's plugin: `plugin:` (a program, or a program and its
// arguments), else idform-provider-NAME on PATH when NAME is not built in; nullopt for a
// built-in provider.
Result<std::optional<std::vector<std::string>>> plugin_command(const std::string& name, const nlohmann::json& settings,
                                                               const std::string& config_root, bool built_in) {
  std::vector<std::string> argv;
  if (auto plugin = settings.find("plugin"); settings.is_object() && plugin != settings.end()) {
    if (plugin->is_string()) argv.push_back(plugin->get<std::string>());
    else if (plugin->is_array())
      for (const nlohmann::json& part : *plugin)
        if (part.is_string()) argv.push_back(part.get<std::string>());
    if (argv.empty() || argv.front().empty())
      return fail("the plugin: setting of a " + name + " target must name a program",
                  "write plugin: PATH or plugin: [PATH, ARGUMENT, ...]");
    argv.front() = resolve_program(argv.front(), config_root);
    return argv;
  }
  if (built_in) return std::nullopt;
  auto found = find_on_path("idform-provider-" + name);
  if (!found) return std::nullopt;
  argv.push_back(*found);
  return argv;
}

// The settings a provider sees, as one mapping: the target's own keys (path:, url:, ...) and those
// under settings: (which win), without the host's plugin:.
nlohmann::json merged_settings(const nlohmann::json& target) {
  nlohmann::json merged = target;
  if (!merged.is_object()) return merged;
  nlohmann::json nested = merged.value("settings", nlohmann::json::object());
  merged.erase("plugin");
  merged.erase("settings");
  if (nested.is_object()) merged.update(nested);
  return merged;
}

// A plugin's settings checked against its handshake's schema: by `settings_check` (each problem
// at its line), else listed under one error at the target.
Result<void> check_plugin_settings(const std::string& name, const TargetContext& context, const nlohmann::json& schema,
                                   const SourceLocation& where, const SettingsCheck& settings_check) {
  std::vector<std::string> problems;
  if (settings_check) {
    for (const Error& problem : settings_check(schema)) problems.push_back(problem.to_string());
  } else {
    // Without provider:, which is the host's.
    nlohmann::json checked = merged_settings(context.settings);
    if (checked.is_object()) checked.erase("provider");
    problems = settings_problems(schema, checked);
  }
  if (problems.empty()) return {};
  return fail(Error{"target " + context.target_name + ": settings the " + name + " plugin does not accept",
                    util::join(problems, "\n  "),
                    {},
                    where});
}

Result<std::unique_ptr<Provider>> launch(const std::string& name, const std::vector<std::string>& argv,
                                         const TargetContext& context, const SourceLocation& where,
                                         const SettingsCheck& settings_check) {
  std::set<std::string> hidden = plugin::secret_variables(context.settings);
  std::map<std::string, std::string> secrets;
  for (const std::string& variable : hidden)
    if (std::string value = util::environment_variable(variable); !value.empty()) {
      util::register_secret(value);
      secrets[variable] = value;
    }
  plugin::PluginDeadlines deadlines = plugin::PluginDeadlines::from_environment();
  auto started = IDFORM_TRY(plugin::start_plugin({argv, name, {}, {}}, hidden, deadlines));
  auto provider = std::make_unique<plugin::PluginProvider>(std::move(started), deadlines);
  // The host checks the settings against the plugin's schema before configure, so that every
  // plugin reports them the same way, where they were written.
  IDFORM_TRY(check_plugin_settings(name, context, provider->info().settings_schema, where, settings_check));
  TargetContext for_plugin = context;
  for_plugin.settings = merged_settings(context.settings);
  IDFORM_TRY(provider->configure(for_plugin, secrets));
  return std::unique_ptr<Provider>(std::move(provider));
}

}  // namespace

void Registry::add(std::string name, ProviderFactory factory, CapabilityCheck check, protocol::PluginInfo info) {
  if (check) m_checks[name] = std::move(check);
  if (!info.name.empty()) m_infos[name] = std::move(info);
  m_factories[std::move(name)] = std::move(factory);
}

Diagnostics Registry::check(const std::string& name, const model::DesiredState& desired, const nlohmann::json& settings,
                            const std::string& config_root, const SettingsCheck& settings_check) const {
  auto command = plugin_command(name, settings, config_root, m_factories.contains(name));
  if (!command) return {command.error()};
  if (*command) {
    auto started = plugin::start_plugin({**command, name, {}, {}});
    if (!started) return {started.error()};
    Diagnostics found = settings_check ? settings_check(started->info.settings_schema) : Diagnostics{};
    plugin::PluginProvider provider(std::move(*started), plugin::PluginDeadlines::from_environment());
    for (Error& problem : provider.check(desired)) found.push_back(std::move(problem));
    return found;
  }
  if (!m_factories.contains(name))
    return {Error{"unknown provider \"" + name + "\"",
                  "no built-in provider of that name (" + known_names(m_factories) + ") and no idform-provider-" + name +
                      " on PATH; a target may name its plugin with plugin: PATH",
                  {}, {}}};
  auto found = m_checks.find(name);
  return found == m_checks.end() ? Diagnostics{} : found->second(desired);
}

Result<std::unique_ptr<Provider>> Registry::create(const std::string& name, const TargetContext& context,
                                                   const SourceLocation& where,
                                                   const SettingsCheck& settings_check) const {
  auto command = IDFORM_TRY(plugin_command(name, context.settings, context.config_root, m_factories.contains(name)));
  if (command) return launch(name, *command, context, where, settings_check);
  auto found = m_factories.find(name);
  if (found == m_factories.end())
    return fail("unknown provider \"" + name + "\"",
                "no built-in provider of that name (" + known_names(m_factories) + ") and no idform-provider-" + name +
                    " on PATH; a target may name its plugin with plugin: PATH");
  // A built-in provider sees its settings as a plugin would: one mapping (schema-checked as such).
  TargetContext merged = context;
  merged.settings = merged_settings(context.settings);
  return found->second(merged);
}

std::map<std::string, nlohmann::json> Registry::settings_schemas() const {
  std::map<std::string, nlohmann::json> schemas;
  for (const auto& [name, info] : m_infos) schemas[name] = info.settings_schema;
  return schemas;
}

Result<Registry::BuiltIn> Registry::built_in(const std::string& name) const {
  auto found = m_factories.find(name);
  if (found == m_factories.end())
    return fail("no built-in provider \"" + name + "\"", "built-in providers: " + known_names(m_factories));
  BuiltIn built_in{{}, found->second, {}};
  if (auto check = m_checks.find(name); check != m_checks.end()) built_in.check = check->second;
  if (auto info = m_infos.find(name); info != m_infos.end()) {
    built_in.info = info->second;
  } else {
    built_in.info.name = name;
    built_in.info.capabilities = protocol::full_capabilities({std::begin(model::kAllKinds), std::end(model::kAllKinds)});
    built_in.info.capabilities.checks = static_cast<bool>(built_in.check);
    built_in.info.settings_schema = {{"type", "object"}};
  }
  if (built_in.info.version.empty()) built_in.info.version = IDFORM_VERSION;
  return built_in;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& [key, factory] : m_factories) out.push_back(key);
  return out;
}

}  // namespace idform::provider
