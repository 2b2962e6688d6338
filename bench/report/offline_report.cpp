// The offline part of the report: `idform validate` and `idform plan` of sandbox tenants of
// growing size (wall time, CPU time, peak RSS, and the fitted growth exponent), each beside the
// cost of merely parsing the same files (bench-parse-floor), an apply of a fixed number of
// changes, and the CPU profile when the largest plan misses a goal.

#include <fstream>

#include "bench/report/report.hpp"

namespace bench::report {
namespace {

std::vector<std::string> offline_shapes(const Context& context) {
  std::vector<std::string> out;
  std::istringstream list(context.meta.value("offline_shapes", "local-5k local-10k local-20k"));
  for (std::string shape; list >> shape;) out.push_back(shape);
  return out;
}

long long changes_in(const json& plan) {
  if (!plan.is_object() || !plan.contains("summary")) return -1;
  const json& s = plan["summary"];
  return s.value("create", 0LL) + s.value("update", 0LL) + s.value("delete", 0LL);
}

std::string cell(const Section& section, const char* what) {
  if (!section.ok()) return section.status;
  if (std::string(what) == "wall") return seconds_text(section.measure.value("wall_seconds", 0.0));
  if (std::string(what) == "cpu") return seconds_text(section.measure.value("cpu_seconds", 0.0));
  return megabytes(section.measure.value("max_rss_kb", 0.0));
}

void profile_section(Context& context) {
  Section profile = load_section(context.raw, "profile");
  auto& md = context.md;
  md << "### CPU profile of the largest plan\n\n";
  if (!profile.ok()) {
    md << "_" << (profile.reason.empty() ? profile.status : profile.reason) << "_\n\n";
    context.out["offline"]["profile"] = {{"status", profile.status}, {"reason", profile.reason}};
    return;
  }
  json lines = json::array();
  const std::string shape = profile.params.value("shape", "");
  md << "`perf record --call-graph dwarf` of `idform plan` on the " << shape
     << " tenant (the same code as the largest plan, in seconds instead of minutes). Functions by self time:\n\n```\n";
  std::ifstream top(context.raw / "profile" / "top-self.txt");
  for (std::string line; std::getline(top, line);) {
    md << line << "\n";
    lines.push_back(line);
  }
  md << "```\n\n";
  json inclusive = json::array();
  std::ifstream children(context.raw / "profile" / "top-children.txt");
  md << "idform, yaml-cpp and valijson functions by inclusive time (callees included):\n\n```\n";
  for (std::string line; std::getline(children, line);) {
    md << line << "\n";
    inclusive.push_back(line);
  }
  md << "```\n\n";
  context.out["offline"]["profile"] = {{"status", "ok"}, {"shape", shape}, {"self", lines}, {"inclusive", inclusive}};
}

// The goals of the offline plan, each against parsing the same input files with idform's own
// readers in the same run (bench-parse-floor): what reading them costs before any checking,
// modelling or comparing. The plan parses the same files and then validates them against the
// schemas, builds the model, reads the sandbox and compares: all of that may cost as much again as
// the parse (2 ×). Its memory may not exceed what holding the parsed input takes (1 ×): the plan
// keeps a model, not the documents.
constexpr double kPlanTimeFactor = 2.0;
constexpr double kPlanMemoryFactor = 1.0;

void offline_goals(Context& context, const std::string& largest) {
  Section plan = load_section(context.raw, "offline-plan-" + largest);
  Section parse = load_section(context.raw, "offline-parse-" + largest);
  const long long objects = context.tenants.value(largest, json::object()).value("objects", 0LL);
  const std::string what = "Offline plan of " + thousands(objects) + " objects: ";
  const std::string floor = " parsing its input files (idform's YAML reader + nlohmann json, same run)";
  Goal time_goal{"offline-plan-time", what + "wall time ≤ " + fixed(kPlanTimeFactor, 1) + " ×" + floor, "",
                 Verdict::unavailable, plan.ok() ? parse.reason : plan.reason};
  Goal memory_goal{"offline-plan-memory", what + "peak RSS ≤ " + fixed(kPlanMemoryFactor, 1) + " ×" + floor, "",
                   Verdict::unavailable, plan.ok() ? parse.reason : plan.reason};
  if (plan.ok() && parse.ok()) {
    const double wall = plan.measure.value("wall_seconds", 0.0), parse_wall = parse.measure.value("wall_seconds", 0.0);
    const double cpu = plan.measure.value("cpu_seconds", 0.0), parse_cpu = parse.measure.value("cpu_seconds", 0.0);
    const double rss = plan.measure.value("max_rss_kb", 0.0), parse_rss = parse.measure.value("max_rss_kb", 0.0);
    const double time_ratio = parse_wall > 0 ? wall / parse_wall : 0, rss_ratio = parse_rss > 0 ? rss / parse_rss : 0;
    time_goal.measured = fixed(time_ratio, 2) + " × (" + seconds_text(wall) + " / " + seconds_text(parse_wall) +
                         "; CPU " + fixed(parse_cpu > 0 ? cpu / parse_cpu : 0, 2) + " ×: " + seconds_text(cpu) + " / " +
                         seconds_text(parse_cpu) + ")";
    time_goal.verdict = time_ratio > 0 && time_ratio <= kPlanTimeFactor ? Verdict::met : Verdict::not_met;
    time_goal.detail = "";
    memory_goal.measured = fixed(rss_ratio, 2) + " × (" + megabytes(rss) + " / " + megabytes(parse_rss) + ")";
    memory_goal.verdict = rss_ratio > 0 && rss_ratio <= kPlanMemoryFactor ? Verdict::met : Verdict::not_met;
    memory_goal.detail = "";
  }
  context.goals.push_back(time_goal);
  context.goals.push_back(memory_goal);
}

}  // namespace

void report_offline(Context& context) {
  auto& md = context.md;
  md << "## Offline: the sandbox provider (CPU and memory)\n\n";
  md << "| tenant | objects | memberships | parse wall | parse CPU | parse RSS | validate wall | validate CPU | "
        "validate RSS | "
        "plan wall | plan CPU | plan RSS | plan / parse (wall, RSS) | plan changes |\n"
     << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  std::vector<double> objects, validate_walls, plan_walls, plan_cpus, plan_rss;
  json points = json::array();
  const auto shapes = offline_shapes(context);
  for (const auto& shape : shapes) {
    Section validate = load_section(context.raw, "offline-validate-" + shape);
    Section plan = load_section(context.raw, "offline-plan-" + shape);
    Section parse = load_section(context.raw, "offline-parse-" + shape);
    const json& manifest = context.tenants.value(shape, json::object());
    std::string ratios;
    if (plan.ok() && parse.ok() && parse.measure.value("wall_seconds", 0.0) > 0 &&
        parse.measure.value("max_rss_kb", 0.0) > 0)
      ratios = fixed(plan.measure.value("wall_seconds", 0.0) / parse.measure.value("wall_seconds", 0.0), 2) + " ×, " +
               fixed(plan.measure.value("max_rss_kb", 0.0) / parse.measure.value("max_rss_kb", 0.0), 2) + " ×";
    md << "| " << shape << " | " << thousands(manifest.value("objects", 0LL)) << " | "
       << thousands(manifest.value("memberships", 0LL)) << " | " << cell(parse, "wall") << " | " << cell(parse, "cpu")
       << " | " << cell(parse, "rss") << " | " << cell(validate, "wall") << " | " << cell(validate, "cpu") << " | "
       << cell(validate, "rss") << " | " << cell(plan, "wall") << " | " << cell(plan, "cpu") << " | "
       << cell(plan, "rss") << " | " << ratios << " | " << (plan.ok() ? thousands(changes_in(plan.plan)) : "")
       << " |\n";
    json point = {{"shape", shape}, {"objects", manifest.value("objects", 0)}, {"memberships", manifest.value("memberships", 0)}};
    if (parse.ok()) point["parse"] = parse.measure;
    if (validate.ok()) point["validate"] = validate.measure;
    if (plan.ok()) {
      point["plan"] = plan.measure;
      point["plan_changes"] = changes_in(plan.plan);
      objects.push_back(manifest.value("objects", 0.0));
      plan_walls.push_back(plan.measure.value("wall_seconds", 0.0));
      plan_cpus.push_back(plan.measure.value("cpu_seconds", 0.0));
      plan_rss.push_back(plan.measure.value("max_rss_kb", 0.0));
      validate_walls.push_back(validate.ok() ? validate.measure.value("wall_seconds", 0.0) : 0.0);
    }
    if (!validate.ok() || !plan.ok())
      point["problem"] = validate.ok() ? plan.reason : validate.reason;
    points.push_back(point);
  }
  md << "\n";
  const std::string last = shapes.empty() ? "local-20k" : shapes.back();
  Section yaml_cpp = load_section(context.raw, "offline-parse-yaml-cpp-" + last);
  md << "Parse: `bench-parse-floor` reads every YAML file of the config with idform's own reader "
        "(`config::parse_yaml`: the block-YAML scanner, yaml-cpp for anything it does not accept, positions kept) "
        "on the config loader's threads, and the sandbox file with nlohmann json, keeps what it parsed, and does "
        "nothing else: what reading these files costs the plan before any checking, measured in the same run.";
  if (yaml_cpp.ok())
    md << " Loading the " << last << " YAML with yaml-cpp alone (`YAML::LoadAllFromFile`, one thread) and parsing "
       << "the JSON took " << seconds_text(yaml_cpp.measure.value("wall_seconds", 0.0)) << " wall, "
       << megabytes(yaml_cpp.measure.value("max_rss_kb", 0.0)) << " peak RSS.";
  md << "\n\n";
  for (const auto& point : points)
    if (point.contains("problem")) md << "- " << point["shape"].get<std::string>() << ": " << point["problem"].get<std::string>() << "\n";

  const std::string largest = shapes.empty() ? "local-20k" : shapes.back();
  offline_goals(context, largest);

  auto plan_slope = loglog_slope(objects, plan_walls), rss_slope = loglog_slope(objects, plan_rss);
  auto validate_slope = loglog_slope(objects, validate_walls), cpu_slope = loglog_slope(objects, plan_cpus);
  if (objects.size() >= 2) {
    md << "\nFitted exponents against objects (log-log slope): validate wall time ^" << fixed(validate_slope.value_or(0), 2)
       << ", plan wall time ^" << fixed(plan_slope.value_or(0), 2) << ", plan CPU time ^" << fixed(cpu_slope.value_or(0), 2)
       << ", plan peak RSS ^" << fixed(rss_slope.value_or(0), 2) << ".\n\n";
  }

  Section apply = load_section(context.raw, "offline-apply");
  md << "### Apply\n\n";
  json apply_out = {{"status", apply.status}, {"reason", apply.reason}};
  if (apply.ok()) {
    json before = read_json_file(context.raw / "offline-apply" / "before.json");
    json after = read_json_file(context.raw / "offline-apply" / "after.json");
    long long planned = changes_in(before), remaining = changes_in(after);
    md << "`idform apply --auto-approve` of " << thousands(planned) << " changes ("
       << thousands(before.is_object() ? before["summary"].value("create", 0LL) : 0) << " creates, "
       << thousands(before.is_object() ? before["summary"].value("update", 0LL) : 0) << " updates) on the "
       << apply.params.value("shape", "") << " sandbox tenant: wall " << seconds_text(apply.measure.value("wall_seconds", 0.0))
       << ", CPU " << seconds_text(apply.measure.value("cpu_seconds", 0.0)) << ", peak RSS "
       << megabytes(apply.measure.value("max_rss_kb", 0.0)) << "; the plan after it has " << thousands(remaining)
       << " changes.\n\n";
    apply_out = {{"status", "ok"}, {"changes", planned}, {"changes_after", remaining}, {"measure", apply.measure}};
  } else {
    md << "_" << (apply.status == "unavailable" ? "Not yet available" : "Failed") << ": " << apply.reason << "_\n\n";
  }
  context.out["offline"] = {{"points", points},
                            {"plan_time_exponent", plan_slope ? json(*plan_slope) : json(nullptr)},
                            {"plan_rss_exponent", rss_slope ? json(*rss_slope) : json(nullptr)},
                            {"plan_cpu_exponent", cpu_slope ? json(*cpu_slope) : json(nullptr)},
                            {"validate_time_exponent", validate_slope ? json(*validate_slope) : json(nullptr)},
                            {"apply", apply_out}};
  profile_section(context);
}

}  // namespace bench::report
