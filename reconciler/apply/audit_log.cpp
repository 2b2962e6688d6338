// Writing audit lines. A line is built from the planned change (the attribute diff, the
// members and assignments added and removed with their expiry and reason from the plan's
// grants), the outcome, and the context of the whole run (target, config commit and dirtiness,
// actor, accepted guards, plan fingerprint, run id). Every string from outside — provider
// errors in particular — passes through redaction before it is written.

#include "reconciler/apply/audit_log.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "reconciler/plan/plan_json.hpp"
#include "reconciler/util/log_line.hpp"
#include "reconciler/util/private_file.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::apply {
namespace {

nlohmann::json redacted(const nlohmann::json& value) {
  if (value.is_string()) return util::redact(value.get<std::string>());
  if (!value.is_array() && !value.is_object()) return value;
  nlohmann::json out = value;
  for (auto& item : out) item = redacted(item);
  return out;
}

}  // namespace

std::string plan_fingerprint(const plan::Plan& plan) {
  return util::sha256_hex(plan::to_json(plan)["changes"].dump());
}

AuditLog::AuditLog(std::ofstream stream, AuditContext context, const plan::Plan& plan, util::Clock& clock)
    : m_stream(std::move(stream)),
      m_context(std::move(context)),
      m_plan(&plan),
      m_fingerprint(apply::plan_fingerprint(plan)),
      m_clock(&clock) {
  m_run =
      util::sha256_hex(util::utc_timestamp(m_clock->now()) + m_fingerprint + std::to_string(::getpid())).substr(0, 16);
  for (const plan::Grant& grant : plan.grants) m_grants[{grant.address, grant.element}] = &grant;
}

Result<AuditLog> AuditLog::open(const std::string& path, AuditContext context, const plan::Plan& plan,
                                util::Clock& clock) {
  IDFORM_TRY(util::prepare_private_file(path, false));  // new logs are owner-only
  std::ofstream stream(path, std::ios::app);
  if (!stream) return fail("cannot open audit log " + path + " for appending");
  return AuditLog(std::move(stream), std::move(context), plan, clock);
}

void AuditLog::record(const plan::Change& change, std::string_view outcome, const std::string& detail,
                      const std::string& id) {
  nlohmann::json attributes = nlohmann::json::array();
  nlohmann::json access = nlohmann::json::array();
  for (const plan::AttributeChange& attribute : change.attributes) {
    bool entries = attribute.path == "members" || attribute.path == "assignments";
    if (!attribute.is_set) {
      attributes.push_back({{"path", attribute.path}, {"before", redacted(attribute.before)}, {"after", redacted(attribute.after)}});
      continue;
    }
    attributes.push_back({{"path", attribute.path}, {"added", attribute.added}, {"removed", attribute.removed}});
    if (!entries) continue;
    for (const auto* list : {&attribute.added, &attribute.removed}) {
      for (const std::string& element : *list) {
        nlohmann::json entry = {{"path", attribute.path}, {"element", element},
                                {"change", list == &attribute.added ? "added" : "removed"}};
        if (auto grant = m_grants.find({change.address, element}); grant != m_grants.end()) {
          if (!grant->second->expires.empty()) entry["expires"] = grant->second->expires;
          if (!grant->second->reason.empty()) entry["reason"] = grant->second->reason;
        }
        if (auto note = attribute.notes.find(element); note != attribute.notes.end()) entry["note"] = note->second;
        access.push_back(std::move(entry));
      }
    }
  }
  nlohmann::json line = {
      {"format_version", kAuditFormatVersion},
      {"time", util::utc_timestamp(m_clock->now())},
      {"run", m_run},
      {"target", m_context.target},
      {"provider", m_context.provider},
      {"actor", m_context.actor},
      {"config",
       {{"commit", m_context.source.commit}, {"dirty", m_context.source.dirty}, {"hash", m_context.source.hash}}},
      {"plan_fingerprint", m_fingerprint},
      {"accepted_guards", m_context.accepted_guards},
      {"skip_blocked", m_context.skip_blocked},
      {"address", change.address},
      {"kind", model::kind_prefix(change.kind)},
      {"id", id.empty() ? change.id : id},
      {"action", plan::action_name(change.action)},
      {"outcome", outcome},
      {"detail", util::redact(detail)},
      {"guards", change.guards},
      {"attributes", std::move(attributes)},
      {"access", std::move(access)},
  };
  if (!change.reason.empty()) line["reason"] = change.reason;
  if (!change.replaced_by.empty()) line["replaced_by"] = change.replaced_by;
  m_stream << line.dump() << "\n";
  m_stream.flush();
}

void AuditLog::record(const plan::Change& change, const Outcome& outcome) {
  record(change, status_name(outcome.status), outcome.error, outcome.id);
}

void AuditLog::refuse_all(const std::string& why) {
  for (const plan::Change& change : m_plan->changes) record(change, kOutcomeRefused, why);
}

}  // namespace idform::apply
