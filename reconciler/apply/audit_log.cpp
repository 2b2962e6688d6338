#include "reconciler/apply/audit_log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "reconciler/util/redact.hpp"

namespace idform::apply {
namespace {

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<long long>(millis));
  return text;
}

}  // namespace

AuditLog::AuditLog(std::ofstream stream, AuditContext context)
    : m_stream(std::move(stream)), m_context(std::move(context)) {}

Result<AuditLog> AuditLog::open(const std::string& path, AuditContext context) {
  std::ofstream stream(path, std::ios::app);
  if (!stream) return fail("cannot open audit log " + path + " for appending");
  return AuditLog(std::move(stream), std::move(context));
}

void AuditLog::record(const Outcome& outcome) {
  nlohmann::json line = {
      {"time", utc_now()},
      {"target", m_context.target},
      {"address", outcome.address},
      {"action", plan::action_name(outcome.action)},
      {"outcome", status_name(outcome.status)},
      {"error", util::redact(outcome.error)},
      {"id", outcome.id},
      {"commit", m_context.commit},
      {"actor", m_context.actor},
  };
  m_stream << line.dump() << "\n";
  m_stream.flush();
}

}  // namespace idform::apply
