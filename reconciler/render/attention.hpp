#pragma once
// What a reviewer must not miss, collected once for every renderer: tripped guards, deletions,
// access removed, policy weakening, remediations, and temporary access about to expire. The text
// plan opens with it, the markdown comment too, and the apply prompt repeats it.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace idform::render {

struct AttentionItem {
  std::string subject;  // a guard name or an address
  std::string detail;   // the element or message
  std::string note;     // "expired on ...", a reason; may be empty
};

struct Attention {
  std::vector<AttentionItem> blocked;       // subject: guard, detail: message
  std::vector<AttentionItem> deletions;     // subject: address, note: why
  std::vector<AttentionItem> removals;      // subject: address, detail: "members: user:x"
  std::vector<AttentionItem> weakening;     // detail: the guard's message (it names the object)
  std::vector<AttentionItem> remediations;  // detail: the message (it names the object)
  std::vector<AttentionItem> expiring;      // subject: address, detail: element, note: when and why
  bool empty() const;
};

Attention collect_attention(const plan::Plan& plan);

// How many items of one attention list a renderer shows before "... and N more".
inline constexpr size_t kAttentionItems = 30;

// The expiry and reason of entries written with them, by (address, element): " (expires
// 2026-12-31: INC-4411 on-call cover)" or "".
class GrantNotes {
 public:
  explicit GrantNotes(const plan::Plan& plan);
  std::string note(const std::string& address, const std::string& element) const;

 private:
  std::map<std::pair<std::string, std::string>, const plan::Grant*> m_grants;
};

// "2026-12-31 (in 3 days): INC-4411 on-call cover"
std::string describe_expiry(const plan::Grant& grant);

}  // namespace idform::render
