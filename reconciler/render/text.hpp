#pragma once
// The human-readable plan, in the style users know from `terraform plan`.

#include <string>

#include "reconciler/plan/plan.hpp"

namespace idform::render {

struct TextOptions {
  bool color = false;
  bool show_unmanaged = false;
};

// Opens with render_attention, then every change, unmanaged objects, temporary access, summary.
std::string render_text(const plan::Plan& plan, const TextOptions& options);

// What needs a reviewer's attention (guards, deletions, access removed, weakening, remediation,
// access expiring soon); empty when nothing does. The apply prompt repeats it.
std::string render_attention(const plan::Plan& plan, const TextOptions& options);

// "Plan: 2 to create, 3 to update, 1 to delete; 4 member additions, 2 member removals."
std::string summary_line(const plan::Plan& plan);

}  // namespace idform::render
