#pragma once
// The plan as plain data: what would change, attribute by attribute, and why it may be blocked.
// No behaviour lives here; the differ builds it, renderers read it, the applier executes it, and
// plan_json.hpp gives it the versioned JSON form that is the public contract.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconciler/model/kind.hpp"

namespace idform::plan {

inline constexpr int kFormatVersion = 1;

enum class Action { create, update, delete_, no_op };
std::string_view action_name(Action action);  // "create", "update", "delete", "no-op"

// One attribute of one object. Scalars carry before/after; set-like attributes (members,
// assignments, owners, URIs, include/exclude lists) carry the elements added and removed.
struct AttributeChange {
  std::string path;  // "description", "sso.saml.acs_urls", "members"
  bool is_set = false;
  nlohmann::json before;  // null when absent
  nlohmann::json after;
  std::vector<std::string> added;
  std::vector<std::string> removed;
  // Removed elements whose `expires:` date has passed -> "expired on 2026-01-31". Only those
  // carry a note, so a note marks an expired entry (removes_expired).
  std::map<std::string, std::string> notes;
};

// Whether `attribute` removes `element` because its entry expired (it has a note).
bool removes_expired(const AttributeChange& attribute, const std::string& element);

struct Change {
  std::string address;  // "group:payments-admins"
  model::Kind kind = model::Kind::group;
  std::string name;
  std::string id;  // live id; empty for creates
  Action action = Action::no_op;
  std::string reason;  // why a delete happens, for people: "state: absent", "not in config (manage.groups.prune)"
  bool declared_absent = false;  // deletes: the config says `state: absent` (else it is pruned)
  std::vector<AttributeChange> attributes;
  nlohmann::json desired;              // the desired spec (create/update); null for deletes
  nlohmann::json live;                 // the live spec the change was computed from; null for creates
  std::vector<std::string> depends_on;  // addresses of changes that must be applied first
  // Deletes only: the create of the same kind that replaces this object (it took over the
  // references to it, or it is the only create of its kind in the plan). It is in depends_on.
  std::string replaced_by;
  std::string fingerprint;              // of the live object; empty for creates
  std::vector<std::string> guards;      // guards this change trips
};

struct GuardFinding {
  std::string guard;    // "max_deletes", "max_member_removals", "protected", "policy_weakening"
  std::string message;  // why, with figures
  std::vector<std::string> addresses;
};

// An access entry written with `expires:` or `reason:`, as this plan leaves it.
struct Grant {
  std::string address;  // the group or application: "group:payments-admins"
  std::string element;  // "user:carol@acme.example", "group:sales|role:Standard User"
  std::string path;     // "members", "assignments"
  std::string expires;  // "YYYY-MM-DD"; empty when permanent
  std::string reason;
  std::string status;   // "added" (by this plan), "kept" (already there), "expired" (removed by it)
  int days_left = -1;   // days from the plan's date to expires; -1 when permanent
};

struct UnmanagedObject {
  std::string address;
  std::string id;
};

struct ConfigSource {
  std::string commit;  // empty when not a git repository
  bool dirty = false;
  std::string hash;    // sha256 of the config files
};

struct Plan {
  int format_version = kFormatVersion;
  std::string target;
  std::string provider;
  ConfigSource source;
  std::vector<Change> changes;  // actionable changes only, in apply order
  int unchanged = 0;            // managed objects with nothing to do
  std::vector<UnmanagedObject> unmanaged;
  std::vector<GuardFinding> guards;
  // Changes a guard looked at and let through, called out for the reviewer (removing members a
  // protected group gained outside the config, which restores what the config says).
  std::vector<GuardFinding> remediations;
  std::vector<Grant> grants;        // every entry with expires: or reason:, by address and element
  int expiring_within_days = 14;    // grants expiring this soon are listed on their own

  bool blocked() const { return !guards.empty(); }
  bool has_changes() const { return !changes.empty(); }
};

struct Summary {
  int create = 0, update = 0, destroy = 0;
  int member_additions = 0, member_removals = 0;
};
Summary summarize(const Plan& plan);

// Grants still in force (added or kept) that expire within plan.expiring_within_days.
std::vector<const Grant*> expiring_soon(const Plan& plan);

}  // namespace idform::plan
