// A plan says what apply would do; drift says what is different now. The two are the same
// comparison read in opposite directions: an element the plan would add is missing in the
// tenant, one it would remove is extra in the tenant, a value it would set back is a value
// someone changed.

#include "reconciler/render/drift.hpp"

#include <map>

#include "reconciler/model/resource.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/render/printable.hpp"

namespace idform::render {
namespace {

constexpr size_t kDetailsPerRow = 25;

struct DriftItem {
  std::string address;
  std::string id;
  std::string kind;  // "missing", "changed", "unexpected"
  std::vector<std::string> details;
};

std::vector<DriftItem> drift_items(const plan::Plan& plan) {
  std::vector<DriftItem> items;
  for (const plan::Change& change : plan.changes) {
    DriftItem item{change.address, change.id, "", {}};
    switch (change.action) {
      case plan::Action::create:
        item.kind = "missing";
        item.details.push_back("declared in the configuration but missing from the tenant");
        break;
      case plan::Action::delete_:
        item.kind = change.declared_absent ? "changed" : "unexpected";
        item.details.push_back(change.declared_absent
                                   ? "present in the tenant although the configuration says state: absent"
                                   : "present in the tenant but not in the configuration (" + change.reason + ")");
        break;
      case plan::Action::update:
        item.kind = "changed";
        for (const plan::AttributeChange& attribute : change.attributes) {
          if (!attribute.is_set) {
            item.details.push_back(attribute.path + ": tenant has " + attribute.before.dump() +
                                   ", configuration says " + attribute.after.dump());
            continue;
          }
          for (const std::string& element : attribute.removed) {
            auto note = attribute.notes.find(element);
            item.details.push_back(attribute.path + ": " + model::describe_element(element) +
                                   (note != attribute.notes.end() ? " is still present (" + note->second + ")"
                                                                  : " is in the tenant but not in the configuration"));
          }
          for (const std::string& element : attribute.added)
            item.details.push_back(attribute.path + ": " + model::describe_element(element) +
                                   " is in the configuration but missing from the tenant");
        }
        break;
      case plan::Action::no_op:
        continue;
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::string headline(const plan::Plan& plan, size_t count) {
  if (count == 0) return "No drift: the tenant (target \"" + plan.target + "\") matches the configuration.";
  return "Drift on target \"" + plan.target + "\" (" + plan.provider + "): " + std::to_string(count) + " object" +
         (count == 1 ? "" : "s") + " differ" + (count == 1 ? "s" : "") + " from the configuration.";
}

}  // namespace

std::string render_drift_text(const plan::Plan& unsafe_plan, const TextOptions& options) {
  std::optional<plan::Plan> escaped;
  const plan::Plan& plan = printable_plan(unsafe_plan, escaped);
  std::vector<DriftItem> items = drift_items(plan);
  std::string out = headline(plan, items.size()) + "\n";
  for (const DriftItem& item : items) {
    out += "\n  " + item.address + (item.id.empty() ? "" : " (id " + item.id + ")") + ": " + item.kind + "\n";
    for (const std::string& detail : item.details) out += "    - " + detail + "\n";
  }
  if (!plan.unmanaged.empty()) {
    out += "\n" + std::to_string(plan.unmanaged.size()) + " unmanaged object(s) in the tenant are not in the configuration";
    if (options.show_unmanaged) {
      out += ":\n";
      for (const plan::UnmanagedObject& object : plan.unmanaged) out += "  ? " + object.address + " (id " + object.id + ")\n";
    } else {
      out += " (not drift; --show-unmanaged lists them).\n";
    }
  }
  if (!items.empty()) out += "\nRun idform plan to review the changes that would restore the configuration.\n";
  return out;
}

std::string render_drift_markdown(const plan::Plan& unsafe_plan, const MarkdownOptions& options) {
  std::optional<plan::Plan> escaped;
  const plan::Plan& plan = printable_plan(unsafe_plan, escaped);
  std::vector<DriftItem> items = drift_items(plan);
  std::string out = "## idform drift report for `" + plan.target + "`\n\n" + headline(plan, items.size()) + "\n\n";
  if (items.empty()) return out;
  out += "| object | drift | details |\n|---|---|---|\n";
  // Rows go in while they fit; what does not is counted in a closing note, which is given room
  // before the first row is placed.
  constexpr size_t kNoteRoom = 400;
  size_t budget = options.limit > out.size() + kNoteRoom ? options.limit - kNoteRoom : out.size();
  std::map<std::string, size_t> left_out;
  size_t shown = 0;
  for (const DriftItem& item : items) {
    std::string details;
    for (size_t i = 0; i < item.details.size() && i < kDetailsPerRow; ++i)
      details += (details.empty() ? "" : "<br>") + item.details[i];
    if (item.details.size() > kDetailsPerRow)
      details += "<br>… and " + std::to_string(item.details.size() - kDetailsPerRow) + " more";
    std::string row = "| `" + item.address + "` | " + item.kind + " | " + details + " |\n";
    if (left_out.empty() && out.size() + row.size() <= budget) {
      out += row;
      ++shown;
    } else {
      ++left_out[item.kind];
    }
  }
  if (!left_out.empty()) {
    std::string counts;
    for (const auto& [kind, count] : left_out) counts += (counts.empty() ? "" : ", ") + std::to_string(count) + " " + kind;
    out += "\n**" + std::to_string(items.size() - shown) + " more object(s) not shown** (" + counts +
           ") to stay within GitHub's " + std::to_string(options.limit) +
           "-character limit; `idform drift --format json` lists every one.\n";
  }
  return out;
}

nlohmann::json drift_json(const plan::Plan& plan) {
  // Each object carries the plan's own change object, so tools read drift and plans alike.
  std::map<std::string, const plan::Change*> changes;
  for (const plan::Change& change : plan.changes) changes[change.address] = &change;
  nlohmann::json objects = nlohmann::json::array();
  for (const DriftItem& item : drift_items(plan))
    objects.push_back({{"address", item.address},
                       {"id", item.id},
                       {"drift", item.kind},
                       {"change", plan::change_to_json(*changes.at(item.address))}});
  return {{"format_version", plan::kFormatVersion},
          {"target", plan.target},
          {"provider", plan.provider},
          {"drift", !objects.empty()},
          {"objects", std::move(objects)},
          {"unmanaged", plan.unmanaged.size()}};
}

}  // namespace idform::render
