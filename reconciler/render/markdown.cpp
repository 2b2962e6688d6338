// Budgeting: the parts that must always appear (title, attention list, summary table, footer)
// are rendered first, with each attention list capped at a fixed number of entries. The
// per-object sections are then added in plan order while they fit in what remains of the limit;
// each section is itself capped in lines. Whatever is left out is counted by action and named in
// a closing note, so a reviewer knows the comment is partial and how to see the rest.

#include "reconciler/render/markdown.hpp"

#include "reconciler/model/resource.hpp"
#include "reconciler/render/attention.hpp"
#include "reconciler/render/printable.hpp"
#include "reconciler/render/text.hpp"

namespace idform::render {
namespace {

constexpr size_t kElementsPerSection = 60;

std::string code(std::string_view text) {
  std::string out = "`";
  for (char c : text) out += c == '`' ? '\'' : c;
  return out + "`";
}

std::string escape_html(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string symbol(plan::Action action) {
  switch (action) {
    case plan::Action::create: return "+";
    case plan::Action::update: return "~";
    case plan::Action::delete_: return "-";
    case plan::Action::no_op: return " ";
  }
  return " ";
}

void capped_list(std::string& out, const std::string& title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  out += "- **" + title + "** (" + std::to_string(items.size()) + "):\n";
  for (size_t i = 0; i < items.size() && i < kAttentionItems; ++i) out += "  - " + items[i] + "\n";
  if (items.size() > kAttentionItems)
    out += "  - … and " + std::to_string(items.size() - kAttentionItems) + " more (see `idform plan`)\n";
}

std::vector<std::string> items_of(const std::vector<AttentionItem>& items, bool subject_is_code, bool detail_is_code) {
  std::vector<std::string> out;
  for (const AttentionItem& item : items) {
    std::string line = subject_is_code ? code(item.subject) : escape_html(item.subject);
    if (!item.detail.empty()) {
      std::string detail = item.detail;
      if (detail_is_code && detail.find(": ") != std::string::npos)  // "members: user:x" -> members: `user:x`
        detail = detail.substr(0, detail.find(": ") + 2) + code(detail.substr(detail.find(": ") + 2));
      else detail = detail_is_code ? code(detail) : escape_html(detail);
      line += (line.empty() ? "" : " ") + detail;
    }
    if (!item.note.empty()) line += " — " + escape_html(item.note);
    out.push_back(line);
  }
  return out;
}

std::string attention(const plan::Plan& plan) {
  Attention found = collect_attention(plan);
  std::vector<std::string> blocked;
  for (const AttentionItem& item : found.blocked) blocked.push_back(code(item.subject) + ": " + escape_html(item.detail));
  std::vector<std::string> weakening, remediations;
  for (const AttentionItem& item : found.weakening) weakening.push_back(escape_html(item.detail));
  for (const AttentionItem& item : found.remediations) remediations.push_back(escape_html(item.detail));
  std::string out;
  capped_list(out, "Blocked by guards", blocked);
  capped_list(out, "Deletions", items_of(found.deletions, true, false));
  capped_list(out, "Access removed (members, assignments, owners)", items_of(found.removals, true, true));
  capped_list(out, "Conditional access weakened", weakening);
  capped_list(out, "Remediation (called out, not blocked)", remediations);
  capped_list(out, "Access expiring within " + std::to_string(plan.expiring_within_days) + " days",
              items_of(found.expiring, true, true));
  if (out.empty()) return out;
  return "### ⚠️ Needs attention\n\n" + out + "\n";
}

// Entries with an expiry that stay or arrive, so that temporary access is visible in review.
std::string temporary_access(const plan::Plan& plan) {
  std::vector<std::string> items;
  for (const plan::Grant& grant : plan.grants)
    if (grant.status != "expired" && !grant.expires.empty())
      items.push_back(code(grant.address) + " " + code(model::describe_element(grant.element)) + ": " +
                      (grant.status == "added" ? "added by this plan, " : "") + "expires " +
                      escape_html(describe_expiry(grant)));
  if (items.empty()) return "";
  std::string out;
  capped_list(out, "Temporary access", items);
  return out + "\n";
}

std::string summary_table(const plan::Plan& plan) {
  plan::Summary summary = plan::summarize(plan);
  std::string out = "| | count |\n|---|---:|\n";
  out += "| ➕ create | " + std::to_string(summary.create) + " |\n";
  out += "| 🔄 update | " + std::to_string(summary.update) + " |\n";
  out += "| ➖ delete | " + std::to_string(summary.destroy) + " |\n";
  out += "| member additions | " + std::to_string(summary.member_additions) + " |\n";
  out += "| member removals | " + std::to_string(summary.member_removals) + " |\n";
  out += "| unchanged | " + std::to_string(plan.unchanged) + " |\n";
  out += "| unmanaged (left alone) | " + std::to_string(plan.unmanaged.size()) + " |\n\n";
  return out;
}

std::string section(const plan::Change& change, const GrantNotes& grants) {
  std::string body;
  for (const plan::AttributeChange& attribute : change.attributes) {
    if (!attribute.is_set) {
      if (change.action == plan::Action::create) body += "+ " + attribute.path + " = " + attribute.after.dump() + "\n";
      else body += "~ " + attribute.path + " = " + attribute.before.dump() + " -> " + attribute.after.dump() + "\n";
      continue;
    }
    body += symbol(change.action == plan::Action::create ? plan::Action::create : plan::Action::update) + " " +
            attribute.path + "\n";
    size_t shown = 0;
    auto element_line = [&](char sign, const std::string& element) {
      if (shown++ >= kElementsPerSection) return;
      body += std::string(1, sign) + "     " + model::describe_element(element);
      auto note = attribute.notes.find(element);
      if (note != attribute.notes.end()) body += "   (" + note->second + ")";
      else if (sign == '+') body += grants.note(change.address, element);
      body += "\n";
    };
    for (const std::string& element : attribute.added) element_line('+', element);
    for (const std::string& element : attribute.removed) element_line('-', element);
    if (shown > kElementsPerSection)
      body += "  … " + std::to_string(shown - kElementsPerSection) + " more entries not shown\n";
  }
  if (change.action == plan::Action::delete_) body += "- (id " + change.id + ")\n";
  if (!change.replaced_by.empty()) body += "  after " + change.replaced_by + ", which replaces it, is created\n";
  std::string guards;
  for (const std::string& guard : change.guards) guards += " ⛔ " + guard;
  std::string verb = change.action == plan::Action::create   ? "will be created"
                     : change.action == plan::Action::update ? "will be updated"
                                                             : "will be deleted";
  // Backticks inside the fenced block cannot end it: the fence is longer than any run we emit.
  return "<details><summary><code>" + symbol(change.action) + " " + escape_html(change.address) + "</code> " + verb +
         guards + "</summary>\n\n````diff\n" + body + "````\n\n</details>\n\n";
}

}  // namespace

std::string render_markdown(const plan::Plan& unsafe_plan, const MarkdownOptions& options) {
  std::optional<plan::Plan> escaped;
  const plan::Plan& plan = printable_plan(unsafe_plan, escaped);
  std::string head = "## idform plan for " + code(plan.target) + " (" + plan.provider + ")\n\n";
  if (plan.blocked()) head += "> [!CAUTION]\n> This plan is **blocked** by guards; apply refuses it unless each is accepted with `--accept`.\n\n";
  head += "**" + summary_line(plan) + "**\n\n";
  if (!plan.source.commit.empty())
    head += "Config commit " + code(plan.source.commit.substr(0, 12)) + (plan.source.dirty ? " (with uncommitted changes)" : "") + ".\n\n";
  head += attention(plan);
  head += summary_table(plan);
  head += temporary_access(plan);
  if (!plan.has_changes()) return head + "No changes: the tenant matches the configuration.\n";

  std::string sections = "### Changes\n\n";
  const std::string reserve(400, ' ');  // room for the closing note
  size_t budget = options.limit > head.size() + reserve.size() ? options.limit - head.size() - reserve.size() : 0;
  plan::Summary left_out;
  size_t omitted = 0;
  GrantNotes grants(plan);
  for (const plan::Change& change : plan.changes) {
    std::string text = section(change, grants);
    if (omitted == 0 && sections.size() + text.size() <= budget) {
      sections += text;
      continue;
    }
    ++omitted;
    if (change.action == plan::Action::create) ++left_out.create;
    if (change.action == plan::Action::update) ++left_out.update;
    if (change.action == plan::Action::delete_) ++left_out.destroy;
  }
  if (omitted > 0)
    sections += "> [!NOTE]\n> Details of " + std::to_string(omitted) + " of " + std::to_string(plan.changes.size()) +
                " changes are left out to stay within GitHub's " + std::to_string(options.limit) +
                "-character comment limit: " + std::to_string(left_out.create) + " creates, " +
                std::to_string(left_out.update) + " updates, " + std::to_string(left_out.destroy) +
                " deletes (all counted in the table above). Run `idform plan` or download the JSON plan for the full list.\n";
  std::string out = head + sections;
  if (out.size() > options.limit) out.resize(options.limit);  // only reachable with absurdly small limits
  return out;
}

}  // namespace idform::render
