// The online part of the report, per vendor: request efficiency against the theoretical minimum,
// plan time against the rate-limit floor, the peer provider's replayed read pattern, and how the
// request count and time grow with the tenant.

#include <algorithm>

#include "bench/report/report.hpp"

namespace bench::report {
namespace {

// A floor run counts as a floor measurement when idform's own CPU time is at most this share of
// the floor in real time; above it a slower machine would show a worse ratio for the same code.
constexpr double kCpuShareLimit = 1.0 / 3.0;

struct Vendor {
  std::string flavor, provider, title, peer;
};

Vendor vendor_of(const std::string& flavor) {
  if (flavor == "graph") return {"graph", "entra", "Microsoft Graph (provider entra)", "terraform-provider-azuread"};
  return {"okta", "okta", "Okta (provider okta)", "terraform-provider-okta"};
}

std::vector<std::string> shapes(const Context& context) {
  std::vector<std::string> out;
  std::istringstream list(context.meta.value("online_shapes", "small medium large"));
  for (std::string shape; list >> shape;) out.push_back(shape);
  return out;
}

long long plan_changes(const json& plan) {
  if (!plan.is_object() || !plan.contains("summary")) return -1;
  const json& summary = plan["summary"];
  return summary.value("create", 0LL) + summary.value("update", 0LL) + summary.value("delete", 0LL);
}

std::string unavailable_line(const Section& section) {
  return "_" + std::string(section.status == "failed" ? "Failed" : "Not yet available") + ": " +
         (section.reason.empty() ? section.status : section.reason) + "_\n\n";
}

void route_table(std::ostringstream& md, const json& stats) {
  md << "| route | HTTP requests | inside $batch |\n|---|---:|---:|\n";
  std::vector<std::string> routes;
  // Bound to locals: iterating items() of a temporary would dangle.
  const json direct_routes = stats.value("requests", json::object());
  const json batch_routes = stats.value("batch_items", json::object());
  for (const auto& [route, count] : direct_routes.items()) routes.push_back(route);
  for (const auto& [route, count] : batch_routes.items())
    if (std::find(routes.begin(), routes.end(), route) == routes.end()) routes.push_back(route);
  std::sort(routes.begin(), routes.end());
  for (const auto& route : routes) {
    long long direct = stats["requests"].value(route, 0LL);
    long long batched = stats.contains("batch_items") ? stats["batch_items"].value(route, 0LL) : 0;
    md << "| `" << route << "` | " << thousands(direct) << " | " << (batched ? thousands(batched) : "") << " |\n";
  }
  md << "| **total** | **" << thousands(stats.value("requests_total", 0LL)) << "** | **"
     << thousands(stats.value("batch_items_total", 0LL)) << "** |\n\n";
}

void efficiency(Context& context, const Vendor& vendor, const std::string& shape, const Minimum& minimum, json& out) {
  Section section = load_section(context.raw, vendor.flavor + "-efficiency-" + shape);
  auto& md = context.md;
  const double efficiency_scale = section.params.value("time_scale", 1.0);
  md << "### Request efficiency (" << shape << " tenant, no throttling";
  // idp-sim reports Okta's rate-limit headers with throttling off, and idform paces by them.
  if (efficiency_scale != 1.0) md << "; time scale " << fixed(efficiency_scale, 3) << ", idform still paces by the rate-limit headers";
  md << ")\n\n";
  md << "Theoretical minimum: " << minimum.request_formula << ".\n\n";
  Goal goal{vendor.provider + "-requests", "Requests ≤ 1.1 × theoretical minimum (" + vendor.provider + ", " + shape + ")", "",
            Verdict::unavailable, section.reason};
  if (!section.ok()) {
    md << unavailable_line(section);
    context.goals.push_back(goal);
    out["efficiency"] = {{"status", section.status}, {"reason", section.reason}, {"minimum", minimum.requests}};
    return;
  }
  const long long requests = section.stats.value("requests_total", 0LL);
  const double ratio = static_cast<double>(requests) / static_cast<double>(std::max<long long>(1, minimum.requests));
  route_table(md, section.stats);
  const long long changes = plan_changes(section.plan);
  md << "idform made **" << thousands(requests) << " requests** (" << thousands(section.stats.value("batch_items_total", 0LL))
     << " reads inside $batch) against a minimum of " << thousands(minimum.requests) << " (" << thousands(minimum.logical_reads)
     << " reads): **" << fixed(ratio, 3) << " × the minimum**. Plan: " << (changes == 0 ? "empty" : thousands(changes) + " changes")
     << "; wall " << seconds_text(section.measure.value("wall_seconds", 0.0)) << ", CPU "
     << seconds_text(section.measure.value("cpu_seconds", 0.0)) << ", peak RSS "
     << megabytes(section.measure.value("max_rss_kb", 0.0)) << ".\n\n";
  goal.measured = fixed(ratio, 3) + " × (" + thousands(requests) + " / " + thousands(minimum.requests) + ")";
  goal.verdict = ratio <= 1.1 ? Verdict::met : Verdict::not_met;
  goal.detail = "";
  context.goals.push_back(goal);
  out["efficiency"] = {{"status", "ok"},
                       {"shape", shape},
                       {"requests", requests},
                       {"batch_items", section.stats.value("batch_items_total", 0LL)},
                       {"minimum_requests", minimum.requests},
                       {"minimum_reads", minimum.logical_reads},
                       {"ratio", ratio},
                       {"plan_changes", changes},
                       {"by_route", section.stats.value("requests", json::object())},
                       {"batch_items_by_route", section.stats.value("batch_items", json::object())},
                       {"measure", section.measure}};
}

void floor_section(Context& context, const Vendor& vendor, const Minimum& minimum, json& out) {
  Section section = load_section(context.raw, vendor.flavor + "-floor");
  auto& md = context.md;
  const double scale = section.params.value("time_scale", 1.0);
  md << "### Rate-limit floor (throttling on, time scale " << fixed(scale, 3) << ")\n\n";
  md << "Floor: " << minimum.floor_formula << ".\n\n";
  const std::string floor_name =
      vendor.flavor == "okta" ? "rate-limit floor with idform's 20 % reserve" : "rate-limit floor";
  Goal goal{vendor.provider + "-floor",
            "Plan wall time ≤ 1.25 × " + floor_name + ", zero failed requests (" + vendor.provider + ")", "",
            Verdict::unavailable, section.reason};
  if (!section.ok()) {
    md << unavailable_line(section);
    context.goals.push_back(goal);
    out["floor"] = {{"status", section.status}, {"reason", section.reason}, {"floor_seconds", minimum.floor_seconds}};
    return;
  }
  const double wall = section.measure.value("wall_seconds", 0.0);
  const double vendor_seconds = wall / scale;
  const double ratio = minimum.floor_seconds > 0 ? vendor_seconds / minimum.floor_seconds : 0;
  const long long throttled = section.stats.value("throttled", 0LL);
  const long long failed = failed_responses(section.stats);
  md << "idform's plan took **" << seconds_text(wall) << "** of wall time = " << seconds_text(vendor_seconds)
     << " in vendor time (÷ time scale) against a floor of " << seconds_text(minimum.floor_seconds) << ": **"
     << fixed(ratio, 2) << " × the floor**. " << thousands(section.stats.value("requests_total", 0LL))
     << " HTTP requests, " << thousands(throttled) << " answered 429 (retried), " << thousands(failed)
     << " failed; " << thousands(static_cast<long long>(section.stats.value("resource_units", 0.0)))
     << " resource units charged (minimum " << thousands(static_cast<long long>(minimum.resource_units)) << ").\n\n";
  // The same plan without throttling shows what the run costs apart from the limits (idform's CPU
  // and the simulator's own request handling on this machine). The floor is only measured if that
  // is small against the floor in real time (floor × time scale): run.sh picks the time scale so.
  Section baseline = load_section(context.raw, vendor.flavor + "-efficiency-" + section.params.value("shape", ""));
  const double unthrottled = baseline.ok() ? baseline.measure.value("wall_seconds", 0.0) : 0.0;
  const double own_cpu = baseline.ok() ? baseline.measure.value("cpu_seconds", 0.0) : 0.0;
  const double scaled_floor = minimum.floor_seconds * scale;
  const double cpu_share = scaled_floor > 0 ? own_cpu / scaled_floor : 0;
  std::string cpu_note;
  if (baseline.ok()) {
    md << "Without throttling the same plan took " << seconds_text(unthrottled) << " (idform CPU "
       << seconds_text(own_cpu) << "); the floor at this time scale lasts " << seconds_text(scaled_floor)
       << " of real time, so idform's own CPU is " << fixed(100 * cpu_share, 0) << " % of it";
    if (cpu_share > kCpuShareLimit) {
      cpu_note = "idform's CPU is " + fixed(100 * cpu_share, 0) + " % of the floor in real time (more than " +
                 fixed(100 * kCpuShareLimit, 0) + " %): the run measures this machine's speed as much as the floor";
      md << " — more than " << fixed(100 * kCpuShareLimit, 0)
         << " %, so this run measures the machine as much as the floor";
    } else {
      md << " (at most " << fixed(100 * kCpuShareLimit, 0) << " %: the limits, not idform's CPU, set the pace)";
    }
    md << ".";
    if (section.params.contains("base_time_scale") && section.params.value("base_time_scale", scale) != scale)
      md << " run.sh raised the time scale from " << fixed(section.params.value("base_time_scale", scale), 2) << " to "
         << fixed(scale, 2)
         << " for this run so that the unthrottled plan's wall time is at most a third of the floor.";
    md << "\n\n";
  }
  goal.measured = fixed(ratio, 2) + " × floor (" + seconds_text(vendor_seconds) + " / " + seconds_text(minimum.floor_seconds) +
                  "), " + thousands(throttled) + " × 429, " + thousands(failed) + " failed";
  goal.verdict = (minimum.floor_seconds > 0 && ratio <= 1.25 && failed == 0) ? Verdict::met : Verdict::not_met;
  goal.detail = cpu_note;
  context.goals.push_back(goal);
  out["floor"] = {{"status", "ok"},
                  {"time_scale", scale},
                  {"wall_seconds", wall},
                  {"vendor_seconds", vendor_seconds},
                  {"floor_seconds", minimum.floor_seconds},
                  {"ratio", ratio},
                  {"requests", section.stats.value("requests_total", 0LL)},
                  {"throttled", throttled},
                  {"failed", failed},
                  {"resource_units", section.stats.value("resource_units", 0.0)},
                  {"measure", section.measure},
                  {"unthrottled_wall_seconds", unthrottled},
                  {"unthrottled_cpu_seconds", own_cpu},
                  {"cpu_share_of_scaled_floor", cpu_share},
                  {"plan_changes", plan_changes(section.plan)}};
}

void peer_section(Context& context, const Vendor& vendor, json& out) {
  Section peer = load_section(context.raw, vendor.flavor + "-peer");
  Section floor = load_section(context.raw, vendor.flavor + "-floor");
  auto& md = context.md;
  md << "### Peer read pattern (" << vendor.peer << ", parallelism " << peer.params.value("parallelism", 10) << ")\n\n";
  Goal goal{vendor.provider + "-peer", "≥ 10 × fewer requests than " + vendor.peer + "'s refresh", "", Verdict::unavailable,
            peer.reason};
  if (!peer.ok()) {
    md << unavailable_line(peer);
    context.goals.push_back(goal);
    out["peer"] = {{"status", peer.status}, {"reason", peer.reason}};
    return;
  }
  const json& replay = peer.replay;
  const long long peer_sent = replay.value("requests_total", 0LL);
  const double peer_wall = replay.value("wall_seconds", 0.0);
  // The goal compares the peer's read pattern, so its retries do not count for it: against a
  // throttled simulator they say more about the bucket than about the pattern. A read whose last
  // answer was still a 429 (after the replay's last retry) is one the refresh would fail on.
  const json steps = replay.contains("steps") && replay["steps"].is_object() ? replay["steps"] : json::object();
  long long peer_retries = 0;
  for (const auto& [step, data] : steps.items()) peer_retries += data.value("retries", 0LL);
  const long long peer_requests = peer_sent - peer_retries;
  const long long peer_gave_up = std::max(0LL, replay.value("throttled", 0LL) - peer_retries);
  md << "| request pattern (one line per Terraform resource read) | requests | retries |\n|---|---:|---:|\n";
  const json not_replayed = replay.value("not_replayed", json::object());
  for (const auto& [step, data] : steps.items())
    md << "| `" << step << "` | " << thousands(data.value("requests", 0LL)) << " | " << thousands(data.value("retries", 0LL)) << " |\n";
  md << "| **total** | **" << thousands(peer_sent) << "** | **" << thousands(peer_retries) << "** |\n\n";
  md << "Without its retries the pattern is **" << thousands(peer_requests) << " requests**, the figure compared "
     << "below. " << thousands(peer_gave_up) << " of its reads were still answered 429 after the replay's last retry "
     << "(a Terraform refresh would fail on them).\n\n";
  for (const auto& [step, status] : not_replayed.items())
    md << "- Not replayed (idp-sim answered HTTP " << status.get<long>() << ", it does not serve this path): `" << step
       << "` — the peer's real count is higher than shown.\n";
  const double peer_scale = peer.params.value("time_scale", 1.0);
  md << "\nThe replay took " << seconds_text(peer_wall) << " of wall time (" << seconds_text(peer_wall / peer_scale)
     << " in vendor time at time scale " << fixed(peer_scale, 3) << "; " << thousands(replay.value("throttled", 0LL))
     << " × 429, " << thousands(replay.value("error_responses", 0LL)) << " other errors).\n\n";
  json result = {{"status", "ok"},        {"requests", peer_requests}, {"requests_with_retries", peer_sent},
                 {"gave_up", peer_gave_up}, {"wall_seconds", peer_wall},  {"replay", replay}};
  if (floor.ok()) {
    const long long idform_requests = floor.stats.value("requests_total", 0LL);
    const double idform_wall = floor.measure.value("wall_seconds", 0.0);
    // Vendor time on both sides: the floor run may use a larger time scale than the replay.
    const double idform_vendor = idform_wall / floor.params.value("time_scale", 1.0);
    const double request_factor = static_cast<double>(peer_requests) / static_cast<double>(std::max<long long>(1, idform_requests));
    const double time_factor = idform_vendor > 0 ? (peer_wall / peer_scale) / idform_vendor : 0;
    const json floor_routes = floor.stats.value("requests", json::object());
    const long long envelopes = floor_routes.value("POST /$batch", 0LL);
    const long long idform_reads = idform_requests - envelopes + floor.stats.value("batch_items_total", 0LL);
    md << "Against the throttled simulator idform's plan made " << thousands(idform_requests) << " requests in "
       << seconds_text(idform_vendor) << " of vendor time: the peer needs **" << fixed(request_factor, 1)
       << " × the requests** and **" << fixed(time_factor, 1)
       << " × the vendor time** (idform / peer = " << fixed(1.0 / std::max(request_factor, 1e-9), 3)
       << " for requests, " << fixed(time_factor > 0 ? 1.0 / time_factor : 0, 3) << " for time). idp-sim serves the "
       << "reads inside a $batch one after another at the cost of separate requests, so its work follows reads, not "
       << "requests: idform " << thousands(idform_reads) << " reads, the peer " << thousands(peer_requests) << " ("
       << fixed(static_cast<double>(peer_requests) / static_cast<double>(std::max<long long>(1, idform_reads)), 1)
       << " ×) without retries.\n\n";
    result["idform_reads"] = idform_reads;
    goal.measured = fixed(request_factor, 1) + " × fewer requests (the peer's retries not counted), " +
                    fixed(time_factor, 1) + " × less time";
    goal.verdict = request_factor >= 10 ? Verdict::met : Verdict::not_met;
    goal.detail = "";
    result["request_factor"] = request_factor;
    result["time_factor"] = time_factor;
  } else {
    goal.detail = "the peer ran, but idform's side (" + vendor.provider + " provider, throttled plan) is " + floor.status +
                  (floor.reason.empty() ? "" : ": " + floor.reason);
    md << "_No idform run to compare with: " << goal.detail << "_\n\n";
  }
  context.goals.push_back(goal);
  out["peer"] = result;
}

void scaling_section(Context& context, const Vendor& vendor, json& out) {
  auto& md = context.md;
  std::vector<double> objects, walls, cpus, requests;
  md << "### Growth with tenant size (plan without throttling)\n\n| tenant | objects | memberships | requests | wall | CPU | peak RSS |\n"
     << "|---|---:|---:|---:|---:|---:|---:|\n";
  json points = json::array();
  for (const auto& shape : shapes(context)) {
    Section section = load_section(context.raw, vendor.flavor + "-efficiency-" + shape);
    const json& manifest = context.tenants.value(shape, json::object());
    if (!section.ok() || manifest.empty()) continue;
    double x = manifest.value("objects", 0.0), wall = section.measure.value("wall_seconds", 0.0);
    double count = section.stats.value("requests_total", 0.0);
    objects.push_back(x);
    walls.push_back(wall);
    cpus.push_back(section.measure.value("cpu_seconds", 0.0));
    requests.push_back(count);
    md << "| " << shape << " | " << thousands(static_cast<long long>(x)) << " | " << thousands(manifest.value("memberships", 0LL))
       << " | " << thousands(static_cast<long long>(count)) << " | " << seconds_text(wall) << " | "
       << seconds_text(section.measure.value("cpu_seconds", 0.0)) << " | " << megabytes(section.measure.value("max_rss_kb", 0.0)) << " |\n";
    points.push_back({{"shape", shape}, {"objects", x}, {"wall_seconds", wall}, {"requests", count}});
  }
  auto time_slope = loglog_slope(objects, walls), request_slope = loglog_slope(objects, requests);
  auto cpu_slope = loglog_slope(objects, cpus);
  if (points.size() < 2) {
    md << "\n_Not enough sizes measured to fit an exponent._\n\n";
  } else {
    md << "\nFitted exponent (log-log slope against objects): requests ∝ size^" << fixed(request_slope.value_or(0), 2)
       << ", idform CPU time ∝ size^" << fixed(cpu_slope.value_or(0), 2) << ", wall time ∝ size^"
       << fixed(time_slope.value_or(0), 2) << " (wall time includes idp-sim's work and other load on the machine).\n\n";
  }
  out["scaling"] = {{"points", points},
                    {"request_exponent", request_slope ? json(*request_slope) : json(nullptr)},
                    {"cpu_exponent", cpu_slope ? json(*cpu_slope) : json(nullptr)},
                    {"time_exponent", time_slope ? json(*time_slope) : json(nullptr)}};
}

}  // namespace

void report_online(Context& context, const std::string& flavor) {
  const Vendor vendor = vendor_of(flavor);
  auto all = shapes(context);
  const std::string largest = all.empty() ? "large" : all.back();
  const json manifest = context.tenants.value(largest, json::object());
  json out = json::object();
  context.md << "## " << vendor.title << "\n\n";
  if (manifest.empty()) {
    context.md << "_Not yet available: the " << largest << " tenant was not generated._\n\n";
  }
  const Minimum minimum = flavor == "graph" ? graph_minimum(manifest) : okta_minimum(manifest);
  out["minimum"] = {{"requests", minimum.requests},
                    {"reads", minimum.logical_reads},
                    {"resource_units", minimum.resource_units},
                    {"floor_seconds", minimum.floor_seconds},
                    {"request_formula", minimum.request_formula},
                    {"floor_formula", minimum.floor_formula},
                    {"detail", minimum.detail}};
  efficiency(context, vendor, largest, minimum, out);
  floor_section(context, vendor, minimum, out);
  peer_section(context, vendor, out);
  scaling_section(context, vendor, out);
  context.out[flavor] = out;
}

}  // namespace bench::report
