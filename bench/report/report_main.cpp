// bench-report --raw DIR --out PREFIX: reads bench/run.sh's raw measurements and writes
// PREFIX.md (the human report: goals first, then each section with its formulas) and PREFIX.json
// (every figure, for tools and for comparing runs). Every goal is a ratio of two figures of the
// same run (docs/performance.md). bench-report --floor-seconds graph|okta --manifest FILE prints
// a tenant's rate-limit floor in vendor seconds (run.sh picks the throttled run's time scale by it).

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "bench/report/report.hpp"

namespace bench::report {

json read_json_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return nullptr;
  json value = json::parse(in, nullptr, false);
  return value.is_discarded() ? json(nullptr) : value;
}

Section load_section(const std::filesystem::path& raw, const std::string& name) {
  Section section;
  section.name = name;
  const auto dir = raw / name;
  json status = read_json_file(dir / "status.json");
  if (status.is_object()) {
    section.status = status.value("status", "missing");
    section.reason = status.value("reason", "");
  } else {
    section.reason = "the section did not run";
  }
  section.params = read_json_file(dir / "params.json");
  if (!section.params.is_object()) section.params = json::object();
  section.measure = read_json_file(dir / "measure.json");
  if (!section.measure.is_object()) section.measure = json::object();
  section.stats = read_json_file(dir / "stats.json");
  if (!section.stats.is_object()) section.stats = json::object();
  section.plan = read_json_file(dir / "plan.json");
  section.replay = read_json_file(dir / "replay.json");
  if (!section.replay.is_object()) section.replay = json::object();
  return section;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string thousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (value < 0 ? "-" : "") + out;
}

std::string seconds_text(double seconds) {
  if (seconds >= 120) return fixed(seconds / 60.0, 1) + " min";
  if (seconds >= 10) return fixed(seconds, 1) + " s";
  return fixed(seconds, 2) + " s";
}

std::string megabytes(double kilobytes) { return fixed(kilobytes / 1024.0, 0) + " MB"; }

std::string verdict_text(Verdict verdict) {
  switch (verdict) {
    case Verdict::met: return "**met**";
    case Verdict::not_met: return "**not met**";
    case Verdict::unavailable: return "not yet available";
  }
  return "";
}

}  // namespace bench::report

int main(int argc, char** argv) {
  using namespace bench::report;
  std::filesystem::path raw, out, manifest;
  std::string floor_flavor;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--raw") raw = argv[i + 1];
    else if (arg == "--out") out = argv[i + 1];
    else if (arg == "--floor-seconds")
      floor_flavor = argv[i + 1];
    else if (arg == "--manifest")
      manifest = argv[i + 1];
  }
  // run.sh asks for a tenant's floor before the throttled run, to pick its time scale.
  if (!floor_flavor.empty()) {
    json tenant = read_json_file(manifest);
    if (!tenant.is_object()) {
      std::cerr << "bench-report: cannot read the manifest " << manifest << "\n";
      return 2;
    }
    std::cout << fixed((floor_flavor == "graph" ? graph_minimum(tenant) : okta_minimum(tenant)).floor_seconds, 3)
              << "\n";
    return 0;
  }
  if (raw.empty() || out.empty()) {
    std::cerr << "usage: bench-report --raw DIR --out PREFIX | --floor-seconds graph|okta --manifest FILE\n";
    return 2;
  }
  Context context;
  context.raw = raw;
  context.meta = read_json_file(raw / "meta.json");
  if (!context.meta.is_object()) context.meta = json::object();
  context.tenants = json::object();
  if (std::filesystem::is_directory(raw / "tenants"))
    for (const auto& entry : std::filesystem::directory_iterator(raw / "tenants"))
      context.tenants[entry.path().stem().string()] = read_json_file(entry.path());

  report_online(context, "graph");
  report_online(context, "okta");
  report_offline(context);

  std::ostringstream md;
  const json& meta = context.meta;
  md << "# idform benchmark results\n\n";
  md << "Run " << meta.value("date", "?") << " at commit `" << meta.value("commit", "?") << "`"
     << (meta.value("dirty", false) ? " (with uncommitted changes in reconciler/, providers/ or sim/)" : "") << " on "
     << meta.value("cpus", 0) << " × " << meta.value("cpu_model", "?") << ", " << meta.value("memory_gb", 0.0) << " GB; build "
     << meta.value("build_type", "?") << " (`" << meta.value("build_flags", "") << "`); the suite took "
     << seconds_text(meta.value("duration_seconds", 0.0)) << (meta.value("quick", false) ? "; **--quick run (smaller tenants)**" : "")
     << ". Load average at start / end: " << meta.value("load_average_start", "?") << " / "
     << meta.value("load_average_end", "?")
     << " (other work on the machine shows as wall time above CPU time). Produced by `bench/run.sh`; method in "
        "docs/performance.md.\n\n";
  md << "## Goals\n\n| goal | measured | verdict | note |\n|---|---|---|---|\n";
  json goals = json::array();
  for (const auto& goal : context.goals) {
    md << "| " << goal.text << " | " << goal.measured << " | " << verdict_text(goal.verdict) << " | " << goal.detail << " |\n";
    goals.push_back({{"id", goal.id},
                     {"goal", goal.text},
                     {"measured", goal.measured},
                     {"verdict", goal.verdict == Verdict::met ? "met" : goal.verdict == Verdict::not_met ? "not met" : "not yet available"},
                     {"note", goal.detail}});
  }
  md << "\n## Tenants\n\n| tenant | users | groups | memberships | applications | assignments | policies | locations | objects |\n"
     << "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& [shape, manifest] : context.tenants.items()) {
    if (!manifest.is_object()) continue;
    md << "| " << shape << " | " << thousands(manifest.value("users", 0LL)) << " | " << thousands(manifest.value("groups", 0LL))
       << " | " << thousands(manifest.value("memberships", 0LL)) << " | " << thousands(manifest.value("applications", 0LL)) << " | "
       << thousands(manifest.value("assignments", 0LL)) << " | " << thousands(manifest.value("policies", 0LL)) << " | "
       << thousands(manifest.value("locations", 0LL)) << " | " << thousands(manifest.value("objects", 0LL)) << " |\n";
  }
  md << "\n" << context.md.str();

  json result = context.out;
  result["meta"] = meta;
  result["tenants"] = context.tenants;
  result["goals"] = goals;
  std::ofstream(out.string() + ".md") << md.str();
  std::ofstream(out.string() + ".json") << result.dump(1) << "\n";
  return 0;
}
