// `idform import`: reads the tenant through the target's provider and writes the config tree.

#include <yaml-cpp/yaml.h>

#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/workspace.hpp"
#include "reconciler/importer/importer.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::cli {
namespace {

Result<std::set<model::Kind>> parse_kinds(const std::string& text) {
  std::set<model::Kind> kinds;
  if (text.empty()) return kinds;
  for (const std::string& raw : util::split(text, ',')) {
    std::string name = util::trim(raw);
    std::optional<model::Kind> kind = model::kind_from_plural(name);
    if (!kind) kind = model::kind_from_prefix(name);
    if (!kind && name == "application") kind = model::Kind::application;
    if (!kind && name == "conditional_access_policy") kind = model::Kind::conditional_access_policy;
    if (!kind && name == "named_location") kind = model::Kind::named_location;
    if (!kind) return fail("--kinds: unknown kind \"" + name + "\"",
                           "use groups, applications, conditional_access_policies, named_locations");
    kinds.insert(*kind);
  }
  return kinds;
}

YAML::Node to_yaml_node(const nlohmann::json& value) {
  if (value.is_object()) {
    YAML::Node node(YAML::NodeType::Map);
    for (const auto& [key, item] : value.items()) node[key] = to_yaml_node(item);
    return node;
  }
  if (value.is_array()) {
    YAML::Node node(YAML::NodeType::Sequence);
    for (const auto& item : value) node.push_back(to_yaml_node(item));
    return node;
  }
  if (value.is_boolean()) return YAML::Node(value.get<bool>());
  if (value.is_number_integer()) return YAML::Node(value.get<long long>());
  if (value.is_string()) return YAML::Node(value.get<std::string>());
  return YAML::Node();
}

// The idform.yaml for a freshly imported tree: the target, pruning off everywhere (switch it on
// per kind once the imported files are reviewed), and a conservative guard budget.
std::string project_file(const Workspace& workspace, const std::filesystem::path& out) {
  nlohmann::json settings = workspace.target.settings;
  if (workspace.target.provider == "local") {
    std::filesystem::path file = settings.value("path", ".idform/sandbox.json");
    if (file.is_relative()) file = workspace.config.root / file;
    std::error_code ec;
    auto relative = std::filesystem::relative(std::filesystem::absolute(file, ec), std::filesystem::absolute(out, ec), ec);
    settings["path"] = ec ? file.string() : relative.generic_string();
  }
  YAML::Node root(YAML::NodeType::Map);
  root["version"] = 1;
  root["default_target"] = workspace.target.name;
  root["targets"][workspace.target.name] = to_yaml_node(settings);
  for (model::Kind kind : model::kAllKinds) root["manage"][std::string(model::kind_plural(kind))]["prune"] = false;
  root["guards"]["max_deletes"] = 5;
  root["guards"]["max_member_removals"] = 25;
  YAML::Emitter emitter;
  emitter << root;
  return "# Written by idform import. Review the imported files, commit them, then switch on\n"
         "# pruning (manage.<kind>.prune) per kind when you are ready for idform to own it.\n" +
         std::string(emitter.c_str()) + "\n";
}

void print_report(const importer::ImportReport& report, const std::filesystem::path& out, Io& io) {
  for (const std::string& warning : report.warnings) io.err << "warning: " << util::redact(warning) << "\n";
  io.out << "Imported " << report.written.size() << " file(s) into " << out.string() << ".\n";
  if (report.skipped_builtin)
    io.out << "Skipped " << report.skipped_builtin << " built-in object(s) (--include-builtin writes them).\n";
  if (report.builtin_referenced)
    io.out << "Wrote " << report.builtin_referenced
           << " built-in object(s) as name and id only, because other objects refer to them.\n";
  if (report.skipped_filtered) io.out << "Skipped " << report.skipped_filtered << " object(s) not matching --match.\n";
  if (!report.left_out.empty() || !report.not_written.empty()) {
    io.out << "idform cannot manage the following; they stay unmanaged (each file says so in a comment):\n";
    for (const std::string& line : report.not_written) io.out << "  not written: " << util::redact(line) << "\n";
    for (const std::string& line : report.left_out) io.out << "  left out: " << util::redact(line) << "\n";
  }
  if (report.validation_warnings)
    io.out << report.validation_warnings
           << " value(s) the identity provider accepts draw a warning from idform validate (it still exits 0).\n";
  for (const Error& finding : report.findings) io.out << "finding: " << util::redact(finding.to_string()) << "\n";
  if (!report.findings.empty())
    io.out << "idform validate reports the finding(s) above; they describe the tenant or idform.yaml, not the import.\n";
  io.out << "Next: idform validate, idform plan (expect no changes), review and commit.\n";
}

}  // namespace

int run_import(const Options& options, const provider::Registry& registry, Io& io) {
  auto report_error = [&](const Error& error) {
    io.err << "error: " << util::redact(error.to_string()) << "\n";
    return 1;
  };
  if (options.target.empty()) return report_error(Error{"import needs --target NAME", "the tenant to read", {}, {}});
  Result<std::set<model::Kind>> kinds = parse_kinds(options.kinds);
  if (!kinds) return report_error(kinds.error());
  // Only idform.yaml is read: its guards and emergency_access may name objects this import
  // is about to write, and the files already there are about to be replaced.
  Result<Workspace> workspace = open_workspace(options, registry, io, true);
  if (!workspace) return report_error(workspace.error());

  provider::ReadRequest request;
  request.kinds = *kinds;
  request.progress = workspace->progress();
  if (request.progress) request.progress->start_phase("reading target \"" + workspace->target.name + "\"");
  Result<provider::ReadResponse> live = workspace->provider->read(request);
  workspace->stop_progress();
  if (!live) return report_error(live.error());

  importer::ImportOptions import_options;
  import_options.out = options.out_file.empty() ? workspace->config.root : std::filesystem::path(options.out_file);
  import_options.kinds = *kinds;
  import_options.match = options.match;
  import_options.include_builtin = options.include_builtin;
  import_options.force = options.force;
  import_options.idform_yaml = project_file(*workspace, import_options.out);
  import_options.provider_check = [&](const model::DesiredState& desired) { return workspace->provider->check(desired); };
  if (io.err_tty)
    import_options.progress = [&](std::size_t done, std::size_t all) {
      io.err << "Writing files: " << done << " of " << all << "\r" << std::flush;
    };
  Result<importer::ImportReport> report = importer::import_tenant(*live, import_options);
  if (!report) return report_error(report.error());
  print_report(*report, import_options.out, io);
  return 0;
}

}  // namespace idform::cli
