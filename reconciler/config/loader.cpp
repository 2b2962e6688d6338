// Loading runs in three passes so that one run reports every problem: (1) read idform.yaml and
// every resource file, validating each document against its schema; (2) declare every object a
// document names, even from invalid documents, so that a typo in one field does not also turn
// every reference to that object into an "unknown" error; (3) check names, ids and references
// across documents. Diagnostics are finally ordered by file (idform.yaml first) and position.
//
// Resource files are independent until pass (3), so pass (1) and (2) run on a few threads, each
// file's outcome kept apart and merged in file order: the result is the same as reading the files
// one after another.

#include "reconciler/config/loader.hpp"

#include "reconciler/config/emergency_access.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <thread>

#include "reconciler/config/file_discovery.hpp"
#include "reconciler/config/location_source.hpp"
#include "reconciler/config/project_builder.hpp"
#include "reconciler/config/reference_check.hpp"
#include "reconciler/config/resource_builder.hpp"
#include "reconciler/config/schema_check.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::config {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxFileSize = 10 * 1024 * 1024;
constexpr unsigned kMaxLoadThreads = 4;

// Paths in messages start with the directory as the user gave it: "examples/acme/groups/x.yaml".
std::string display_name(const fs::path& dir, const fs::path& relative) {
  if (dir.empty() || dir == ".") return relative.generic_string();
  return (dir / relative).generic_string();
}

Result<std::string> read_text(const fs::path& path, const std::string& shown) {
  auto error_at = [&](std::string message) {
    return fail(Error{std::move(message), {}, {}, {shown, 0, 0}});
  };
  std::error_code error;
  if (fs::file_size(path, error) > kMaxFileSize && !error)
    return error_at("file is larger than 10 MB; config files are small");
  std::ifstream in(path, std::ios::binary);
  if (!in) return error_at("cannot read file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<Declaration> declaration_of(const YamlDocument& document) {
  auto kind = document_kind(document);
  const nlohmann::json& root = document.root;
  if (!kind || !root.contains("name") || !root["name"].is_string()) return std::nullopt;
  Declaration declaration;
  declaration.kind = *kind;
  declaration.name = root["name"].get<std::string>();
  declaration.where = document.sources.value_at(JsonPointer("/name"));
  if (root.contains("id") && root["id"].is_string()) {
    declaration.id = root["id"].get<std::string>();
    declaration.id_where = document.sources.value_at(JsonPointer("/id"));
  }
  declaration.absent = root.value("state", nlohmann::json()) == "absent";
  return declaration;
}

// What one resource file contributes, in the order a sequential reading would report it.
struct FileOutcome {
  std::string shown;
  bool read = false;      // the file could be read (it counts for the config hash)
  bool complete = true;   // read and parsed without errors
  Diagnostics diagnostics;
  Diagnostics warnings;
  std::vector<Declaration> declarations;
  std::vector<model::Resource> resources;
};

FileOutcome read_resource_file(const fs::path& dir, const fs::path& relative, const SchemaSet& schemas) {
  FileOutcome out;
  out.shown = display_name(dir, relative);
  auto text = read_text(dir / relative, out.shown);
  if (!text) {
    out.diagnostics.push_back(text.error());
    out.complete = false;
    return out;
  }
  out.read = true;
  YamlFile file = parse_yaml(*text, out.shown);
  text->clear();
  text->shrink_to_fit();
  if (!file.diagnostics.empty()) out.complete = false;
  out.diagnostics = std::move(file.diagnostics);
  auto locations = std::make_shared<LocationSource>(dir / relative, out.shown);
  for (std::size_t index = 0; index < file.documents.size(); ++index) {
    const YamlDocument& document = file.documents[index];
    auto declaration = declaration_of(document);
    if (declaration) out.declarations.push_back(*declaration);
    Diagnostics errors = schemas.check_resource(document);
    if (declaration)
      for (Error& error : errors)
        error.address = model::make_address(declaration->kind, declaration->name);
    if (errors.empty()) {
      for (Error& warning : schemas.warn_resource(document)) {
        if (declaration) warning.address = model::make_address(declaration->kind, declaration->name);
        out.warnings.push_back(std::move(warning));
      }
      model::Kind kind = *document_kind(document);
      auto completer = [locations, index] { return locations->of_document(index); };
      out.resources.push_back(build_resource(document, kind, errors, completer));
    }
    for (Error& error : errors) out.diagnostics.push_back(std::move(error));
  }
  return out;
}

// Reads every file, on one thread per core (at most kMaxLoadThreads); outcomes in the order of
// `files`.
std::vector<FileOutcome> read_resource_files(const fs::path& dir, const std::vector<fs::path>& files,
                                             const SchemaSet& schemas) {
  std::vector<FileOutcome> outcomes(files.size());
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxLoadThreads);
  threads = std::min<unsigned>(threads, static_cast<unsigned>(files.size() / 2 + 1));
  // Third-party code may throw; the first file's exception reaches the caller as it would have.
  util::for_each_index(files.size(), threads,
                       [&](std::size_t i) { outcomes[i] = read_resource_file(dir, files[i], schemas); });
  return outcomes;
}

class Loader {
 public:
  Loader(fs::path dir, const ProjectReady& project_ready, const SettingsSchemas& settings_schemas,
         bool project_only = false)
      : m_dir(std::move(dir)),
        m_project_ready(project_ready),
        m_settings_schemas(settings_schemas),
        m_project_only(project_only) {
    m_result.config.root = m_dir;
  }

  LoadResult run() {
    if (!fs::is_directory(m_dir)) {
      report(Error{"config directory not found", {}, {}, {m_dir.string(), 0, 0}});
      return std::move(m_result);
    }
    auto schemas = SchemaSet::load();
    if (!schemas) {
      report(schemas.error());
      return std::move(m_result);
    }
    m_schemas = &*schemas;
    read_project();
    // Without a project file this is not a config directory: reading every YAML file under it
    // would only bury the one error that matters.
    if (!m_project_found) {
      sort_diagnostics();
      return std::move(m_result);
    }
    if (m_project_ready && m_project && m_result.diagnostics.empty()) m_project_ready(m_result.config.project);
    if (m_project_only) return std::move(m_result);
    std::vector<fs::path> files = find_resource_files(m_dir, m_ignore, m_result.diagnostics);
    for (FileOutcome& outcome : read_resource_files(m_dir, files, *m_schemas)) take(std::move(outcome));
    check_across_documents();
    sort_diagnostics();
    std::sort(m_result.config.files.begin(), m_result.config.files.end());
    return std::move(m_result);
  }

 private:
  void report(Error error) { m_result.diagnostics.push_back(std::move(error)); }
  void report_all(Diagnostics errors) {
    for (Error& error : errors) report(std::move(error));
  }

  // Parses one file; nullopt when it could not be read.
  std::optional<YamlFile> parse_file(const fs::path& relative) {
    std::string shown = display_name(m_dir, relative);
    m_file_order.push_back(shown);
    auto text = read_text(m_dir / relative, shown);
    if (!text) {
      report(text.error());
      m_all_read = false;
      return std::nullopt;
    }
    m_result.config.files.push_back(fs::path(shown));
    YamlFile file = parse_yaml(*text, shown);
    if (!file.diagnostics.empty()) m_all_read = false;
    report_all(std::move(file.diagnostics));
    return file;
  }

  // Why idform.yaml gave no document: "empty" only when it is.
  static std::string why_no_project(const fs::path& path) {
    auto text = read_text(path, path.string());
    bool blank = true, comments_only = true;
    for (const std::string& line : util::split(text ? *text : std::string(), '\n')) {
      std::string trimmed = util::trim(line);
      if (trimmed.empty()) continue;
      blank = false;
      if (!trimmed.starts_with("#") && trimmed != "---" && trimmed != "...") comments_only = false;
    }
    if (blank) return "idform.yaml is empty; it needs at least version: 1";
    if (comments_only) return "idform.yaml holds only comments or document markers; it needs at least version: 1";
    return "idform.yaml holds a null document, not a mapping; it needs at least version: 1";
  }

  void read_project() {
    fs::path relative = "idform.yaml";
    std::string shown = display_name(m_dir, relative);
    m_file_order.push_back(shown);
    if (!fs::exists(m_dir / relative)) {
      report(Error{"missing project file: every config directory needs an idform.yaml (version: 1, "
                   "targets, ...)", {}, {}, {shown, 0, 0}});
      return;
    }
    m_project_found = true;
    auto file = parse_file(relative);
    if (!file) return;
    if (file->documents.empty()) {
      if (file->complete) report(Error{why_no_project(m_dir / relative), {}, {}, {shown, 0, 0}});
      return;
    }
    if (file->documents.size() > 1)
      report(Error{"idform.yaml holds a single document", {}, {}, file->documents[1].start()});
    m_project = std::move(file->documents[0]);
    m_ignore = ignore_entries(m_project->root);
    Diagnostics errors = m_schemas->check_project(*m_project);
    if (errors.empty()) {
      m_result.config.project = build_project(*m_project, errors);
      report_all(check_targets_settings(m_result.config.project, m_settings_schemas));
    }
    report_all(std::move(errors));
  }

  void take(FileOutcome outcome) {
    m_file_order.push_back(outcome.shown);
    if (outcome.read) m_result.config.files.push_back(fs::path(outcome.shown));
    if (!outcome.complete) m_all_read = false;
    report_all(std::move(outcome.diagnostics));
    for (Error& warning : outcome.warnings) m_result.warnings.push_back(std::move(warning));
    for (Declaration& declaration : outcome.declarations) m_declarations.push_back(std::move(declaration));
    auto& resources = m_result.config.desired.resources;
    for (model::Resource& resource : outcome.resources) resources.push_back(std::move(resource));
  }

  void check_across_documents() {
    DeclarationIndex index;
    for (Declaration& declaration : m_declarations) index.add(std::move(declaration), m_result.diagnostics);
    report_all(check_references(m_result.config.desired.resources, index, m_all_read, &m_result.warnings));
    if (m_project && m_all_read) report_all(check_project_addresses(*m_project, index));
    report_all(check_emergency_access(m_result.config.project, m_result.config.desired.resources));
  }

  // idform.yaml first, then files in the order read; within a file by line and column.
  void sort_diagnostics() {
    auto rank = [&](const Error& error) {
      auto found = std::find(m_file_order.begin(), m_file_order.end(), error.where.file);
      return std::tuple(found - m_file_order.begin(), error.where.line, error.where.column);
    };
    std::stable_sort(m_result.diagnostics.begin(), m_result.diagnostics.end(),
                     [&](const Error& a, const Error& b) { return rank(a) < rank(b); });
  }

  fs::path m_dir;
  const ProjectReady& m_project_ready;
  const SettingsSchemas& m_settings_schemas;
  LoadResult m_result;
  const SchemaSet* m_schemas = nullptr;
  std::optional<YamlDocument> m_project;
  std::vector<std::string> m_ignore;
  std::vector<Declaration> m_declarations;
  std::vector<std::string> m_file_order;
  bool m_all_read = true;
  bool m_project_found = false;
  bool m_project_only = false;
};

}  // namespace

LoadResult load_config(const fs::path& dir, const ProjectReady& project_ready,
                       const SettingsSchemas& settings_schemas) {
  return Loader(dir, project_ready, settings_schemas).run();
}

LoadResult load_project(const fs::path& dir, const SettingsSchemas& settings_schemas) {
  return Loader(dir, {}, settings_schemas, true).run();
}

}  // namespace idform::config
