// Renders a plan as text, in the style users know from `terraform plan`.
#include "reconciler/render/text.hpp"

#include <algorithm>

#include "reconciler/model/resource.hpp"
#include "reconciler/render/attention.hpp"
#include "reconciler/render/printable.hpp"

namespace idform::render {
namespace {

struct Palette {
  bool on;
  std::string paint(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m";
  }
  std::string green(std::string_view text) const { return paint("32", text); }
  std::string yellow(std::string_view text) const { return paint("33", text); }
  std::string red(std::string_view text) const { return paint("31", text); }
  std::string bold(std::string_view text) const { return paint("1", text); }
};

std::string value_text(const nlohmann::json& value) {
  if (value.is_null()) return "(unset)";
  return value.dump();
}

std::string plural(int count, std::string_view word) {
  return std::to_string(count) + " " + std::string(word) + (count == 1 ? "" : "s");
}

size_t name_width(const plan::Change& change) {
  size_t width = 0;
  for (const auto& attribute : change.attributes)
    if (!attribute.is_set) width = std::max(width, attribute.path.size());
  return width;
}

void render_attributes(std::string& out, const plan::Change& change, const Palette& palette, const GrantNotes& grants) {
  const size_t width = name_width(change);
  for (const plan::AttributeChange& attribute : change.attributes) {
    std::string padded = attribute.path + std::string(width - std::min(width, attribute.path.size()), ' ');
    if (!attribute.is_set) {
      if (change.action == plan::Action::create)
        out += "      " + palette.green("+") + " " + padded + " = " + value_text(attribute.after) + "\n";
      else
        out += "      " + palette.yellow("~") + " " + padded + " = " + value_text(attribute.before) +
               " -> " + value_text(attribute.after) + "\n";
      continue;
    }
    const char* marker = change.action == plan::Action::create ? "+" : "~";
    std::string heading = attribute.path;
    if (attribute.added.empty() && attribute.removed.empty()) heading += " = []";
    out += "      " + (change.action == plan::Action::create ? palette.green(marker) : palette.yellow(marker)) +
           " " + heading + "\n";
    for (const std::string& element : attribute.added)
      out += "          " + palette.green("+") + " " + model::describe_element(element) +
             grants.note(change.address, element) + "\n";
    for (const std::string& element : attribute.removed) {
      out += "          " + palette.red("-") + " " + model::describe_element(element);
      auto note = attribute.notes.find(element);
      if (note != attribute.notes.end()) out += "   (" + note->second + ")";
      out += "\n";
    }
  }
}

std::string headline(const plan::Change& change) {
  switch (change.action) {
    case plan::Action::create: return change.address + " will be created";
    case plan::Action::update: return change.address + " will be updated in place";
    case plan::Action::delete_:
      return change.address + " will be deleted" + (change.reason.empty() ? "" : " (" + change.reason + ")");
    case plan::Action::no_op: return change.address + " is unchanged";
  }
  return change.address;
}

void render_change(std::string& out, const plan::Change& change, const Palette& palette, const GrantNotes& grants) {
  std::string label = std::string(model::kind_prefix(change.kind)) + " \"" + change.name + "\"";
  out += "  " + palette.bold("# " + headline(change)) + "\n";
  for (const std::string& guard : change.guards) out += "  " + palette.red("! blocked by guard " + guard) + "\n";
  switch (change.action) {
    case plan::Action::create:
      out += "  " + palette.green("+") + " " + label + " {\n";
      render_attributes(out, change, palette, grants);
      out += "    }\n";
      break;
    case plan::Action::update:
      out += "  " + palette.yellow("~") + " " + label + " {\n";
      out += "        id = " + change.id + "\n";
      render_attributes(out, change, palette, grants);
      out += "    }\n";
      break;
    case plan::Action::delete_:
      out += "  " + palette.red("-") + " " + label + " (id " + change.id + ")\n";
      if (!change.replaced_by.empty()) out += "    (after " + change.replaced_by + ", which replaces it, is created)\n";
      break;
    case plan::Action::no_op:
      break;
  }
  out += "\n";
}

void attention_list(std::string& out, const std::string& title, const std::vector<AttentionItem>& items,
                    const Palette& palette) {
  if (items.empty()) return;
  out += "  " + palette.bold(title + " (" + std::to_string(items.size()) + "):") + "\n";
  for (size_t i = 0; i < items.size() && i < kAttentionItems; ++i) {
    const AttentionItem& item = items[i];
    std::string line = item.subject;
    if (!item.detail.empty()) line += (line.empty() ? "" : " ") + item.detail;
    if (!item.note.empty()) line += " (" + item.note + ")";
    out += "    - " + line + "\n";
  }
  if (items.size() > kAttentionItems)
    out += "    - ... and " + std::to_string(items.size() - kAttentionItems) + " more, in the plan below\n";
}

// Entries with an expiry that stay or arrive, so that temporary access is visible in review.
void temporary_access(std::string& out, const plan::Plan& plan) {
  std::vector<const plan::Grant*> grants;
  for (const plan::Grant& grant : plan.grants)
    if (grant.status != "expired" && !grant.expires.empty()) grants.push_back(&grant);
  if (grants.empty()) return;
  out += "\nTemporary access (" + std::to_string(grants.size()) + " entries with expires:):\n";
  for (size_t i = 0; i < grants.size() && i < kAttentionItems; ++i)
    out += "  " + grants[i]->address + " " + model::describe_element(grants[i]->element) + ": " +
           (grants[i]->status == "added" ? "added by this plan, " : "") + "expires " + describe_expiry(*grants[i]) + "\n";
  if (grants.size() > kAttentionItems)
    out += "  ... and " + std::to_string(grants.size() - kAttentionItems) + " more (--format json lists them all)\n";
}

}  // namespace

std::string render_attention(const plan::Plan& unsafe_plan, const TextOptions& options) {
  std::optional<plan::Plan> escaped;
  const plan::Plan& plan = printable_plan(unsafe_plan, escaped);
  Palette palette{options.color};
  std::string out;
  if (!plan.guards.empty()) {
    out += palette.red(palette.bold("This plan is blocked by " + plural(static_cast<int>(plan.guards.size()), "guard") + ":")) + "\n";
    for (const plan::GuardFinding& finding : plan.guards)
      out += "  - " + finding.guard + ": " + finding.message + "\n";
    out += "  Apply refuses it unless each guard is accepted with --accept GUARD, or applies only the rest with "
           "--skip-blocked.\n\n";
  }
  Attention attention = collect_attention(plan);
  attention.blocked.clear();  // listed above, with what to do about them
  if (attention.empty()) return out;
  out += palette.bold("Needs attention:") + "\n";
  attention_list(out, "Deletions", attention.deletions, palette);
  attention_list(out, "Access removed (members, assignments, owners)", attention.removals, palette);
  attention_list(out, "Conditional access weakened", attention.weakening, palette);
  attention_list(out, "Remediation (called out, not blocked)", attention.remediations, palette);
  attention_list(out, "Access expiring within " + std::to_string(plan.expiring_within_days) + " days",
                 attention.expiring, palette);
  return out + "\n";
}

std::string summary_line(const plan::Plan& plan) {
  plan::Summary summary = plan::summarize(plan);
  std::string line = "Plan: " + std::to_string(summary.create) + " to create, " +
                     std::to_string(summary.update) + " to update, " + std::to_string(summary.destroy) +
                     " to delete";
  if (summary.member_additions || summary.member_removals)
    line += "; " + plural(summary.member_additions, "member addition") + ", " +
            plural(summary.member_removals, "member removal");
  line += ".";
  return line;
}

std::string render_text(const plan::Plan& unsafe_plan, const TextOptions& options) {
  std::optional<plan::Plan> escaped;
  const plan::Plan& plan = printable_plan(unsafe_plan, escaped);
  Palette palette{options.color};
  GrantNotes grants(plan);
  std::string out = render_attention(plan, options);
  if (plan.changes.empty()) {
    out += "No changes. The tenant (target \"" + plan.target + "\") matches the configuration.\n";
  } else {
    out += "idform will perform the following actions on target \"" + plan.target + "\" (" + plan.provider + "):\n\n";
    for (const plan::Change& change : plan.changes) render_change(out, change, palette, grants);
  }
  if (!plan.unmanaged.empty()) {
    out += "\n" + plural(static_cast<int>(plan.unmanaged.size()), "object") +
           " in the tenant " + (plan.unmanaged.size() == 1 ? "is" : "are") +
           " not in the configuration (unmanaged; left alone)";
    if (options.show_unmanaged) {
      out += ":\n";
      for (const plan::UnmanagedObject& object : plan.unmanaged)
        out += "  ? " + object.address + " (id " + object.id + ")\n";
    } else {
      out += ". Use --show-unmanaged to list them.\n";
    }
  }
  temporary_access(out, plan);
  out += "\n" + palette.bold(summary_line(plan)) + "\n";
  return out;
}

}  // namespace idform::render
