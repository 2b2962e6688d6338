#include "reconciler/render/text.hpp"

#include <algorithm>

#include "reconciler/model/resource.hpp"

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

void render_attributes(std::string& out, const plan::Change& change, const Palette& palette) {
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
      out += "          " + palette.green("+") + " " + model::describe_element(element) + "\n";
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

void render_change(std::string& out, const plan::Change& change, const Palette& palette) {
  std::string label = std::string(model::kind_prefix(change.kind)) + " \"" + change.name + "\"";
  out += "  " + palette.bold("# " + headline(change)) + "\n";
  for (const std::string& guard : change.guards) out += "  " + palette.red("! blocked by guard " + guard) + "\n";
  switch (change.action) {
    case plan::Action::create:
      out += "  " + palette.green("+") + " " + label + " {\n";
      render_attributes(out, change, palette);
      out += "    }\n";
      break;
    case plan::Action::update:
      out += "  " + palette.yellow("~") + " " + label + " {\n";
      out += "        id = " + change.id + "\n";
      render_attributes(out, change, palette);
      out += "    }\n";
      break;
    case plan::Action::delete_:
      out += "  " + palette.red("-") + " " + label + " (id " + change.id + ")\n";
      break;
    case plan::Action::no_op:
      break;
  }
  out += "\n";
}

}  // namespace

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

std::string render_text(const plan::Plan& plan, const TextOptions& options) {
  Palette palette{options.color};
  std::string out;
  if (!plan.guards.empty()) {
    out += palette.red(palette.bold("This plan is blocked by " + plural(static_cast<int>(plan.guards.size()), "guard") + ":")) + "\n";
    for (const plan::GuardFinding& finding : plan.guards)
      out += "  - " + finding.guard + ": " + finding.message + "\n";
    out += "  Apply refuses it unless each guard is accepted with --accept GUARD.\n\n";
  }
  if (plan.changes.empty()) {
    out += "No changes. The tenant (target \"" + plan.target + "\") matches the configuration.\n";
  } else {
    out += "idform will perform the following actions on target \"" + plan.target + "\" (" + plan.provider + "):\n\n";
    for (const plan::Change& change : plan.changes) render_change(out, change, palette);
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
  out += "\n" + palette.bold(summary_line(plan)) + "\n";
  return out;
}

}  // namespace idform::render
