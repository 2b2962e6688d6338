#pragma once
// The plan as a pull-request comment: what reviewers must not miss first (blocked guards,
// deletions, member removals, policy weakening), a summary table, then one collapsible section
// per object. The comment never exceeds GitHub's limit: details are cut, and the comment says
// exactly what was left out.

#include <cstddef>
#include <string>

#include "reconciler/plan/plan.hpp"

namespace idform::render {

inline constexpr size_t kGitHubCommentLimit = 65536;

struct MarkdownOptions {
  size_t limit = kGitHubCommentLimit;  // in bytes, which is never fewer than characters
};

std::string render_markdown(const plan::Plan& plan, const MarkdownOptions& options);

}  // namespace idform::render
