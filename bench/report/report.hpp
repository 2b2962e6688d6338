#pragma once
// bench-report: turns the raw measurements of bench/run.sh (bench/work/raw/<section>/...) into
// bench/results/latest.md and latest.json. This header holds what the parts share: a section as
// run.sh left it, the goals table, and the vendor formulas (minimum requests, rate-limit floor).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace bench::report {

using nlohmann::json;

// One directory of bench/work/raw: status.json, params.json and whatever the section produced
// (measure.json, stats.json, plan.json, replay.json, ...). Missing files are null.
struct Section {
  std::string name;
  std::string status = "missing";  // ok | unavailable | failed | missing
  std::string reason;
  json params, measure, stats, plan, replay;
  bool ok() const { return status == "ok"; }
};

Section load_section(const std::filesystem::path& raw, const std::string& name);
json read_json_file(const std::filesystem::path& file);

enum class Verdict { met, not_met, unavailable };

struct Goal {
  std::string id;
  std::string text;        // "Requests ≤ 1.1 × minimum (Entra)"
  std::string measured;    // "1.02 × (565 / 552)"
  Verdict verdict = Verdict::unavailable;
  std::string detail;      // why unavailable, or what missed
};

// What the vendor's page sizes, batching and rate limits imply for one tenant.
struct Minimum {
  long long requests = 0;      // HTTP requests, token included
  long long logical_reads = 0;  // GETs before batching (= pages of every list)
  double resource_units = 0;    // Graph only
  double floor_seconds = 0;     // vendor seconds
  std::string request_formula;  // with the tenant's numbers substituted
  std::string floor_formula;
  json detail;
};

Minimum graph_minimum(const json& manifest);
Minimum okta_minimum(const json& manifest);

// Sum over a sim status map of responses that are errors other than 429.
long long failed_responses(const json& stats);
long long status_count(const json& stats, const std::string& status);

// Least-squares slope of log(y) against log(x); nullopt with fewer than two usable points.
std::optional<double> loglog_slope(const std::vector<double>& x, const std::vector<double>& y);

// Text helpers.
std::string fixed(double value, int decimals);
std::string thousands(long long value);
std::string seconds_text(double seconds);
std::string megabytes(double kilobytes);
std::string verdict_text(Verdict verdict);

// The report's parts: each appends markdown to `md` and fills its part of `out`.
struct Context {
  std::filesystem::path raw;
  json meta;
  json tenants;  // shape -> manifest
  std::vector<Goal> goals;
  std::ostringstream md;
  json out = json::object();
};

void report_online(Context& context, const std::string& flavor);
void report_offline(Context& context);

}  // namespace bench::report
