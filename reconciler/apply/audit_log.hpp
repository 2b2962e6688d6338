#pragma once
// The audit log: one JSON line per change of an apply — applied, failed, skipped, held back or
// refused — appended to a file that an IAM team keeps as evidence of who changed what, when,
// from which configuration, and under which accepted guards. Each line follows
// schemas/audit-line.schema.json (docs/audit-log.md).

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "reconciler/apply/applier.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/util/clock.hpp"
#include "reconciler/util/result.hpp"

namespace idform::apply {

inline constexpr int kAuditFormatVersion = 1;

struct AuditContext {
  std::string target;
  std::string provider;
  plan::ConfigSource source;  // commit, dirty, hash of the config the plan was made from
  std::string actor;          // GITHUB_ACTOR, else the git user, else the login name
  std::vector<std::string> accepted_guards;
  bool skip_blocked = false;
};

// The outcomes only the audit log knows: the applier never sees a refused change.
inline constexpr const char* kOutcomeRefused = "refused";

class AuditLog {
 public:
  // `plan` is the whole plan as reviewed (its grants give the reason and expiry of entries); it
  // must outlive the log. Each line's time is `clock`'s.
  static Result<AuditLog> open(const std::string& path, AuditContext context, const plan::Plan& plan,
                               util::Clock& clock = util::real_clock());
  // Appends and flushes one line for `change`; messages pass through redaction first.
  void record(const plan::Change& change, std::string_view outcome, const std::string& detail,
              const std::string& id = {});
  void record(const plan::Change& change, const Outcome& outcome);
  // One "refused" line per change of the plan, all with `why`.
  void refuse_all(const std::string& why);

  const std::string& run_id() const { return m_run; }
  const std::string& fingerprint() const { return m_fingerprint; }

 private:
  AuditLog(std::ofstream stream, AuditContext context, const plan::Plan& plan, util::Clock& clock);
  std::ofstream m_stream;
  AuditContext m_context;
  const plan::Plan* m_plan;
  std::string m_fingerprint;
  util::Clock* m_clock;
  std::string m_run;
  std::map<std::pair<std::string, std::string>, const plan::Grant*> m_grants;  // (address, element)
};

// sha256 over the plan's changes in their JSON form: the same for a saved plan and its apply.
std::string plan_fingerprint(const plan::Plan& plan);

}  // namespace idform::apply
