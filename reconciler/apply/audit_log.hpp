#pragma once
// The audit log: one JSON line per change applied, failed or skipped, appended to a file that
// an IAM team keeps as evidence of who changed what, when, from which commit.

#include <fstream>
#include <string>

#include "reconciler/apply/applier.hpp"
#include "reconciler/util/result.hpp"

namespace idform::apply {

struct AuditContext {
  std::string target;
  std::string commit;
  std::string actor;  // GITHUB_ACTOR, else the git user, else the login name
};

class AuditLog {
 public:
  static Result<AuditLog> open(const std::string& path, AuditContext context);
  // Appends and flushes one line; errors from the provider are passed through redaction first.
  void record(const Outcome& outcome);

 private:
  AuditLog(std::ofstream stream, AuditContext context);
  std::ofstream m_stream;
  AuditContext m_context;
};

}  // namespace idform::apply
