// Import writes one file per object under groups/, apps/, policies/ and locations/. Objects are
// sorted by (name, id) before file names are chosen, so collisions — two names that make the same
// file name, or two objects with the same name — are resolved the same way every time (-2, -3,
// ...). Objects whose name is not unique in their kind keep their `id:` (they always do) and the
// import warns, because the config cannot tell them apart by name; references to them are
// already written "group:id:<ID>" by the provider.

#include "reconciler/importer/importer.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>

#include "reconciler/importer/yaml_writer.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::importer {
namespace {

std::string_view directory_of(model::Kind kind) {
  switch (kind) {
    case model::Kind::group: return "groups";
    case model::Kind::application: return "apps";
    case model::Kind::conditional_access_policy: return "policies";
    case model::Kind::named_location: return "locations";
  }
  return "other";
}

struct PlannedFile {
  std::filesystem::path relative;
  std::string content;
};

}  // namespace

std::string safe_file_name(std::string_view name) {
  std::string out;
  for (unsigned char c : util::to_lower(name)) {
    bool keep = std::isalnum(c) || c == '.' || c == '_' || c == '-';
    char next = keep ? static_cast<char>(c) : '-';
    if (next == '-' && (out.empty() || out.back() == '-')) continue;
    out += next;
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  while (!out.empty() && (out.front() == '.' || out.front() == '-')) out.erase(out.begin());
  if (out.size() > 80) out.resize(80);
  if (out.empty()) out = "unnamed";
  return out;
}

Result<ImportReport> import_tenant(const provider::ReadResponse& live, const ImportOptions& options) {
  ImportReport report;
  std::optional<std::regex> pattern;
  if (!options.match.empty()) {
    try {
      pattern.emplace(options.match);
    } catch (const std::regex_error& error) {
      return fail("--match is not a valid regular expression: " + options.match, error.what());
    }
  }

  std::vector<const model::Resource*> selected;
  std::map<std::pair<model::Kind, std::string>, int> name_uses;
  for (const model::Resource& resource : live.state.resources) {
    if (!options.kinds.empty() && !options.kinds.contains(resource.kind)) continue;
    if (pattern && !std::regex_search(resource.name, *pattern)) {
      ++report.skipped_filtered;
      continue;
    }
    if (resource.read_only && !options.include_builtin) {
      ++report.skipped_builtin;
      continue;
    }
    selected.push_back(&resource);
    ++name_uses[{resource.kind, resource.name}];
  }
  std::sort(selected.begin(), selected.end(), [](const model::Resource* a, const model::Resource* b) {
    return std::tie(a->kind, a->name, a->id) < std::tie(b->kind, b->name, b->id);
  });

  std::vector<PlannedFile> files;
  std::set<std::string> taken;  // lower-cased relative paths: case-insensitive filesystems too
  for (const model::Resource* resource : selected) {
    if (name_uses[{resource->kind, resource->name}] > 1)
      report.warnings.push_back(resource->address() + " (id " + resource->id + ") shares its name with another " +
                                std::string(model::kind_label(resource->kind)) +
                                "; both are written with their ids, and references to them use ids");
    std::string base = std::string(directory_of(resource->kind)) + "/" + safe_file_name(resource->name);
    std::string candidate = base + ".yaml";
    for (int suffix = 2; taken.contains(util::to_lower(candidate)); ++suffix)
      candidate = base + "-" + std::to_string(suffix) + ".yaml";
    taken.insert(util::to_lower(candidate));
    auto defaults = live.defaults.find(resource->kind);
    files.push_back({candidate, to_yaml(*resource, defaults == live.defaults.end() ? nlohmann::json() : defaults->second)});
  }
  if (!options.idform_yaml.empty() && !std::filesystem::exists(options.out / "idform.yaml"))
    files.push_back({"idform.yaml", options.idform_yaml});

  if (!options.force) {
    std::vector<std::string> existing;
    for (const PlannedFile& file : files)
      if (std::filesystem::exists(options.out / file.relative)) existing.push_back(file.relative.string());
    if (!existing.empty())
      return fail(std::to_string(existing.size()) + " file(s) already exist in " + options.out.string() +
                      "; nothing was written",
                  "first: " + existing.front() + " (use --force to overwrite)");
  }
  for (const PlannedFile& file : files) {
    std::filesystem::path path = options.out / file.relative;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream stream(path, std::ios::trunc | std::ios::binary);
    stream << file.content;
    if (!stream.flush()) return fail("cannot write " + path.string());
    report.written.push_back(file.relative);
  }
  return report;
}

}  // namespace idform::importer
