#pragma once
// The human-readable plan, in the style users know from `terraform plan`.

#include <string>

#include "reconciler/plan/plan.hpp"

namespace idform::render {

struct TextOptions {
  bool color = false;
  bool show_unmanaged = false;
};

std::string render_text(const plan::Plan& plan, const TextOptions& options);

// "Plan: 2 to create, 3 to update, 1 to delete; 4 member additions, 2 member removals."
std::string summary_line(const plan::Plan& plan);

}  // namespace idform::render
