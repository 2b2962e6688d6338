// Import's review of its own output. Rather than predict every rule validate and the provider
// apply (schemas, reference checks, role lists, nested-group cycles, what a provider can
// express), import runs them on the files it wrote and traces each diagnostic back: a diagnostic
// names file:line:col, and the catalogue field whose value starts last at or before that position
// is the one that holds it. Problems validate reports that import does not own — an
// emergency-access group a policy of the tenant does not exclude — are findings, kept apart:
// leaving a field out cannot fix them, and hiding them would be wrong.

#include "reconciler/importer/import_review.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "reconciler/config/emergency_access.hpp"
#include "reconciler/config/loader.hpp"
#include "reconciler/config/resource_builder.hpp"
#include "reconciler/config/yaml_document.hpp"

namespace idform::importer {
namespace {

// How load_config names a file in its diagnostics.
std::string shown_name(const std::filesystem::path& out, const std::filesystem::path& relative) {
  if (out.empty() || out == ".") return relative.generic_string();
  return (out / relative).generic_string();
}

bool same(const Error& a, const Error& b) {
  return a.summary == b.summary && a.where.file == b.where.file && a.where.line == b.where.line &&
         a.where.column == b.where.column;
}

}  // namespace

std::string field_at(const std::string& text, model::Kind kind, int line, int column) {
  config::YamlFile file = config::parse_yaml(text, "import");
  if (file.documents.empty()) return {};
  const config::YamlDocument& document = file.documents.front();
  // Every field and every mapping that holds fields ("sso", "sso.saml"), each from its key.
  std::set<std::string> paths;
  for (const model::Field& field : model::fields_of(kind)) {
    std::string_view path = field.path;
    paths.emplace(path);
    for (auto dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1))
      paths.emplace(path.substr(0, dot));
  }
  std::string best;
  std::tuple<int, int> best_at{0, 0};
  for (const std::string& path : paths) {
    config::JsonPointer pointer = config::field_pointer(path);
    if (!document.root.contains(pointer)) continue;
    SourceLocation at = document.sources.key_at(pointer);
    if (!at.known()) continue;
    std::tuple<int, int> position{at.line, at.column};
    if (position <= std::tuple{line, column} && position > best_at) {
      best_at = position;
      best = path;
    }
  }
  return best;
}

ReviewResult review_import(const std::filesystem::path& out, const std::map<std::filesystem::path, WrittenFile>& written,
                           const std::function<Diagnostics(const model::DesiredState&)>& provider_check) {
  ReviewResult result;
  std::map<std::string, std::filesystem::path> by_shown;
  for (const auto& [relative, file] : written) by_shown[shown_name(out, relative)] = relative;

  config::LoadResult loaded = config::load_config(out);
  Diagnostics problems = loaded.diagnostics;
  Diagnostics lint = config::check_emergency_access(loaded.config.project, loaded.config.desired.resources);
  if (loaded.ok() && provider_check)
    for (Error& error : provider_check(loaded.config.desired)) problems.push_back(std::move(error));
  for (const Error& warning : loaded.warnings)
    if (by_shown.contains(warning.where.file)) ++result.warnings;

  for (const Error& problem : problems) {
    auto file = by_shown.find(problem.where.file);
    bool owned = file != by_shown.end() &&
                 std::none_of(lint.begin(), lint.end(), [&](const Error& finding) { return same(finding, problem); });
    if (!owned) {
      result.findings.push_back(problem);
      continue;
    }
    const WrittenFile& text = written.at(file->second);
    std::string field = problem.where.known() ? field_at(text.text, text.kind, problem.where.line, problem.where.column) : "";
    std::string message = problem.summary + (problem.detail.empty() ? "" : " (" + problem.detail + ")");
    result.rejected[file->second].push_back({field, message});
  }
  return result;
}

}  // namespace idform::importer
