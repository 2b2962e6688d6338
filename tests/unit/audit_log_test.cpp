// The audit log's lines are timed by the clock the log was opened with (util::Clock), so the
// time a line records is the apply's clock, not whatever the machine said.

#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "reconciler/apply/audit_log.hpp"
#include "reconciler/util/clock.hpp"
#include "support/temp_dir.hpp"

using namespace idform;
using namespace std::chrono_literals;

TEST_CASE("audit lines carry the time of the log's clock, to the millisecond", "[apply]") {
  testing::TempDir temp;
  util::FakeClock clock;  // 2026-01-01T00:00:00Z
  clock.advance(1500ms);
  plan::Plan plan;
  plan.target = "sandbox";
  plan::Change change;
  change.address = "group:payments-admins";
  change.name = "payments-admins";
  change.action = plan::Action::create;
  plan.changes.push_back(change);
  const auto path = temp.path() / "audit.log";
  {
    auto log = apply::AuditLog::open(path.string(), apply::AuditContext{}, plan, clock);
    REQUIRE(log);
    log->record(plan.changes[0], "applied", "");
    clock.advance(2000ms);
    log->record(plan.changes[0], "failed", "the tenant refused it");
  }
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["time"] == "2026-01-01T00:00:01.500Z");
  CHECK(lines[1]["time"] == "2026-01-01T00:00:03.500Z");
  CHECK(lines[0]["run"] == lines[1]["run"]);
}
