// Import writes one file per object under groups/, apps/, policies/ and locations/, in four steps.
//
// 1. Select: the objects of the kinds asked for whose names match, minus the built-in ones
//    (read-only: Okta's Everyone group, Entra's dynamic groups, ...) unless asked for. A built-in
//    object that a selected one refers to is written anyway, as its name and id only, so that the
//    reference resolves; the plan never changes it.
// 2. Lay out: objects sorted by (kind, name, id) are given file names in that order, so collisions
//    — two names that make the same file name, on a case-insensitive filesystem too, or two
//    objects of the same name — are resolved the same way every time (-2, -3, ...). Objects whose
//    name is shared keep their `id:` (every object does) and import warns; references to them are
//    already written "group:id:<ID>" by the provider.
// 3. Write every file (after refusing, before writing anything, to overwrite existing files
//    without --force).
// 4. Review (import_review.hpp): validate what was written; a field that validate or the
//    provider rejects is left out and the file written again with a comment saying why, an
//    object whose name itself is rejected is not written at all, and the review runs again —
//    leaving a field out can make another one unresolvable — until nothing is rejected.

#include "reconciler/model/reference_forms.hpp"
#include "reconciler/importer/importer.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <tuple>

#include "reconciler/importer/import_review.hpp"
#include "reconciler/importer/yaml_writer.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::importer {
namespace {

namespace fs = std::filesystem;

// Leaving out fields can make others fail (a reference to an object not written); each round
// settles at least one object, and real tenants settle in one or two.
constexpr int kMaxReviewRounds = 8;

std::string_view directory_of(model::Kind kind) {
  switch (kind) {
    case model::Kind::group: return "groups";
    case model::Kind::application: return "apps";
    case model::Kind::conditional_access_policy: return "policies";
    case model::Kind::named_location: return "locations";
  }
  return "other";
}

struct Entry {
  const model::Resource* resource = nullptr;
  bool identity_only = false;  // a built-in object: name and id only
  bool referenced = false;     // ... written because another object refers to it
  fs::path relative;
  std::map<std::string, std::string> left_out;  // field -> why
  std::string not_written;                      // why, when the object is not written at all
};

bool is_reserved_on_windows(const std::string& stem) {
  static const std::regex kReserved("^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?$");
  return std::regex_match(stem, kReserved);
}

// Step 1: the objects to write, and the built-in objects they refer to.
std::vector<Entry> select(const provider::ReadResponse& live, const ImportOptions& options,
                          const std::optional<std::regex>& pattern, ImportReport& report) {
  std::vector<Entry> entries;
  std::map<std::pair<model::Kind, std::string>, std::vector<const model::Resource*>> by_name;
  std::map<std::pair<model::Kind, std::string>, const model::Resource*> by_id;
  for (const model::Resource& resource : live.state.resources) {
    by_name[{resource.kind, resource.name}].push_back(&resource);
    by_id[{resource.kind, resource.id}] = &resource;
    if (!options.kinds.empty() && !options.kinds.contains(resource.kind)) continue;
    if (pattern && !std::regex_search(resource.name, *pattern)) {
      ++report.skipped_filtered;
      continue;
    }
    if (resource.read_only && !options.include_builtin) {
      ++report.skipped_builtin;
      continue;
    }
    Entry entry;
    entry.resource = &resource;
    entry.identity_only = resource.read_only;  // --include-builtin: declared, never managed
    if (!entry.identity_only) entry.left_out = unwritable_fields(resource);
    entries.push_back(std::move(entry));
  }
  std::set<const model::Resource*> chosen;
  for (const Entry& entry : entries) chosen.insert(entry.resource);
  std::vector<Entry> referenced;
  for (const Entry& entry : entries) {
    for (const model::Reference& ref : model::references_of(*entry.resource)) {
      auto kind = model::kind_from_prefix(ref.type);
      if (!kind || model::is_external_app(ref)) continue;
      const model::Resource* target = nullptr;
      if (model::is_by_id(ref)) {
        auto found = by_id.find({*kind, ref.value.substr(3)});
        if (found != by_id.end()) target = found->second;
      } else if (auto found = by_name.find({*kind, ref.value}); found != by_name.end() && found->second.size() == 1) {
        target = found->second.front();
      }
      if (!target || !target->read_only || chosen.contains(target)) continue;
      chosen.insert(target);
      Entry entry;
      entry.resource = target;
      entry.identity_only = true;
      entry.referenced = true;
      referenced.push_back(std::move(entry));
    }
  }
  report.builtin_referenced = static_cast<int>(referenced.size());
  report.skipped_builtin -= std::min(report.skipped_builtin, report.builtin_referenced);
  for (Entry& entry : referenced) entries.push_back(std::move(entry));
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.resource->kind, a.resource->name, a.resource->id) <
           std::tie(b.resource->kind, b.resource->name, b.resource->id);
  });
  return entries;
}

// Step 2: file names, and a warning per object whose name is shared.
void lay_out(std::vector<Entry>& entries, ImportReport& report) {
  std::map<std::pair<model::Kind, std::string>, int> name_uses;
  for (const Entry& entry : entries) ++name_uses[{entry.resource->kind, entry.resource->name}];
  std::set<std::string> taken;  // lower-cased relative paths: case-insensitive filesystems too
  for (Entry& entry : entries) {
    const model::Resource& resource = *entry.resource;
    if (name_uses[{resource.kind, resource.name}] > 1)
      report.warnings.push_back(resource.address() + " (id " + resource.id + ") shares its name with another " +
                                std::string(model::kind_label(resource.kind)) +
                                "; both are written with their ids, and references to them use ids");
    std::string base = std::string(directory_of(resource.kind)) + "/" + safe_file_name(resource.name);
    std::string candidate = base + ".yaml";
    for (int suffix = 2; taken.contains(util::to_lower(candidate)); ++suffix)
      candidate = base + "-" + std::to_string(suffix) + ".yaml";
    taken.insert(util::to_lower(candidate));
    entry.relative = candidate;
  }
}

std::string render(const Entry& entry, const provider::ReadResponse& live) {
  YamlWriteOptions write;
  write.identity_only = entry.identity_only;
  if (entry.identity_only)
    write.comments.push_back(entry.referenced ? "Built in to the identity provider: written (name and id only) because "
                                                "other objects refer to it. idform never changes it."
                                              : "Built in to the identity provider: written (name and id only) by "
                                                "--include-builtin. idform never changes it.");
  if (!entry.left_out.empty())
    write.comments.push_back("idform import left out what idform cannot manage here (it stays unmanaged):");
  for (const auto& [field, why] : entry.left_out) {
    write.left_out.insert(field);
    write.comments.push_back("  " + field + ": " + why);
  }
  auto defaults = live.defaults.find(entry.resource->kind);
  return to_yaml(*entry.resource, defaults == live.defaults.end() ? nlohmann::json() : defaults->second, write);
}

Result<void> write_file(const fs::path& out, const fs::path& relative, const std::string& content) {
  fs::path path = out / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream stream(path, std::ios::trunc | std::ios::binary);
  stream << content;
  if (!stream.flush()) return fail("cannot write " + path.string());
  return {};
}

// Step 4; the report keeps the findings and warnings of the last round.
Result<void> review(std::vector<Entry>& entries, const provider::ReadResponse& live, const ImportOptions& options,
                    std::map<fs::path, WrittenFile>& written, ImportReport& report) {
  std::map<fs::path, Entry*> by_file;
  for (Entry& entry : entries) by_file[entry.relative] = &entry;
  for (int round = 0; round < kMaxReviewRounds; ++round) {
    ReviewResult result = review_import(options.out, written, options.provider_check);
    report.findings = std::move(result.findings);
    report.validation_warnings = result.warnings;
    if (result.rejected.empty()) return {};
    for (const auto& [relative, rejections] : result.rejected) {
      Entry& entry = *by_file.at(relative);
      for (const Rejection& rejection : rejections) {
        bool last_round = round + 1 == kMaxReviewRounds;
        if (rejection.field.empty() || last_round || entry.left_out.contains(rejection.field)) {
          if (entry.not_written.empty()) entry.not_written = rejection.message;
        } else {
          entry.left_out.emplace(rejection.field, rejection.message);
        }
      }
      if (!entry.not_written.empty()) {
        std::error_code ec;
        fs::remove(options.out / relative, ec);
        written.erase(relative);
        continue;
      }
      written[relative].text = render(entry, live);
      IDFORM_TRY(write_file(options.out, relative, written[relative].text));
    }
  }
  return {};
}

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
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  if (out.empty()) out = "unnamed";
  if (is_reserved_on_windows(out)) out += "-";
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
  std::vector<Entry> entries = select(live, options, pattern, report);
  lay_out(entries, report);

  std::map<fs::path, WrittenFile> written;
  for (const Entry& entry : entries) {
    // Every name comes from safe_file_name: no separator, no "..", nothing outside `out`.
    if (entry.relative.has_root_path() || entry.relative.lexically_normal() != entry.relative)
      return fail("internal error: import chose the file name " + entry.relative.string());
    written[entry.relative] = {render(entry, live), entry.resource->kind};
  }
  bool write_project = !options.idform_yaml.empty() && !fs::exists(options.out / "idform.yaml");
  if (!options.force) {
    std::vector<std::string> existing;
    for (const auto& [relative, file] : written)
      if (fs::exists(options.out / relative)) existing.push_back(relative.generic_string());
    if (!existing.empty())
      return fail(std::to_string(existing.size()) + " file(s) already exist in " + options.out.string() +
                      "; nothing was written",
                  "first: " + existing.front() + " (use --force to overwrite)");
  }
  std::size_t done = 0;
  for (const auto& [relative, file] : written) {
    IDFORM_TRY(write_file(options.out, relative, file.text));
    if (options.progress && ++done % 500 == 0) options.progress(done, written.size());
  }
  if (write_project) IDFORM_TRY(write_file(options.out, "idform.yaml", options.idform_yaml));
  IDFORM_TRY(review(entries, live, options, written, report));

  for (const Entry& entry : entries) {
    std::string who = entry.resource->address() + " (id " + entry.resource->id + ")";
    if (!entry.not_written.empty()) {
      report.not_written.push_back(who + ": " + entry.not_written);
      continue;
    }
    for (const auto& [field, why] : entry.left_out)
      report.left_out.push_back(entry.relative.generic_string() + ": " + field + ": " + why);
  }
  for (const auto& [relative, file] : written) report.written.push_back(relative);
  if (write_project) report.written.push_back("idform.yaml");
  std::sort(report.written.begin(), report.written.end());
  return report;
}

}  // namespace idform::importer
