// Builds the coverage matrix's scenarios and collects gaps (see matrix.hpp). Gaps of one kind for
// one persona and application are folded into one entry that lists the combinations, or says
// "every combination" when all of them have it.
#include "reconciler/whatif/matrix.hpp"

#include <algorithm>
#include <map>
#include <sstream>

namespace idform::whatif {
namespace {

struct Persona {
  std::string label;
  Scenario base;
  bool emergency = false;
};

std::vector<Persona> personas(const model::DesiredState& desired, const PolicySet& set) {
  std::vector<Persona> out;
  auto emergency = [&](const std::string& reference) {
    return std::find(set.emergency_access.begin(), set.emergency_access.end(), reference) != set.emergency_access.end();
  };
  for (const model::Resource& resource : desired.resources) {
    if (resource.kind != model::Kind::group || resource.lifecycle == model::Lifecycle::absent) continue;
    Persona persona{"group:" + resource.name, {}, emergency("group:" + resource.name)};
    persona.base.groups = {resource.name};
    out.push_back(std::move(persona));
  }
  for (const std::string& reference : set.emergency_access) {
    if (!reference.starts_with("user:")) continue;
    Persona persona{reference, {}, true};
    persona.base.user = reference.substr(5);
    out.push_back(std::move(persona));
  }
  out.push_back({"a user in no group", {}, false});
  Persona guest{"a guest (b2b_collaboration_guest)", {}, false};
  guest.base.guest_type = "b2b_collaboration_guest";
  out.push_back(std::move(guest));
  return out;
}

}  // namespace

namespace {

// "location:hq: every platform and client app" per location, from (location, "platform / client") pairs.
std::vector<std::string> summarise(const std::map<std::string, std::vector<std::string>>& by_location, size_t per_location,
                                   size_t locations) {
  std::vector<std::string> out;
  bool everywhere = by_location.size() == locations;
  for (const auto& [location, combos] : by_location) {
    everywhere = everywhere && combos.size() == per_location;
    std::string line = location + ": ";
    if (combos.size() == per_location) line += "every platform and client app";
    else
      for (size_t i = 0; i < combos.size(); ++i) line += (i ? ", " : "") + combos[i];
    out.push_back(line);
  }
  if (everywhere) out.clear();
  return out;
}

}  // namespace

MatrixReport coverage_matrix(const model::DesiredState& desired, const PolicySet& set, Semantics semantics) {
  std::vector<std::string> applications;
  for (const model::Resource& resource : desired.resources)
    if (resource.kind == model::Kind::application && resource.lifecycle != model::Lifecycle::absent)
      applications.push_back(resource.name);
  applications.push_back("");  // an application the config does not declare
  std::vector<std::string> locations;
  for (const model::Resource& resource : desired.resources)
    if (resource.kind == model::Kind::named_location && resource.lifecycle != model::Lifecycle::absent)
      locations.push_back(resource.name);
  locations.push_back("");  // somewhere no named location covers
  const std::vector<std::string> platforms = {"windows", "macos", "linux", "ios", "android"};
  const std::vector<std::string> clients = {"browser", "mobile_and_desktop"};

  MatrixReport report;
  // (kind, persona, application) -> location -> "platform / client"
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::map<std::string, std::vector<std::string>>> found;
  std::vector<Key> order;
  for (const Persona& persona : personas(desired, set)) {
    for (const std::string& application : applications) {
      for (const std::string& location : locations) {
        for (const std::string& platform : platforms) {
          for (const std::string& client : clients) {
            Scenario scenario = persona.base;
            scenario.application = application;
            scenario.platform = platform;
            scenario.location = location;
            scenario.client_app = client;
            ++report.scenarios;
            Outcome outcome = outcome_of(set, resolve(set, scenario), semantics);
            std::string kind;
            if (persona.emergency) kind = outcome.block ? "emergency access blocked" : "";
            else if (outcome.block) kind = "";
            else if (!outcome.any_policy) kind = "no policy";
            else if (!outcome.requires_mfa()) kind = "no MFA";
            if (kind.empty()) continue;
            Key key{kind, persona.label, application.empty() ? "(an app not in the config)" : "app:" + application};
            auto [it, inserted] = found.try_emplace(key);
            if (inserted) order.push_back(key);
            it->second[location.empty() ? "(no named location)" : "location:" + location].push_back(platform + " / " + client);
          }
        }
      }
    }
  }
  // One gap per (kind, persona, where): the applications that share it are listed together.
  std::map<std::tuple<std::string, std::string, std::vector<std::string>>, size_t> merged;
  for (const Key& key : order) {
    std::vector<std::string> where = summarise(found[key], platforms.size() * clients.size(), locations.size());
    auto id = std::make_tuple(std::get<0>(key), std::get<1>(key), where);
    auto at = merged.find(id);
    if (at == merged.end()) {
      merged.emplace(id, report.gaps.size());
      report.gaps.push_back({std::get<0>(key), std::get<1>(key), {std::get<2>(key)}, where});
    } else {
      report.gaps[at->second].applications.push_back(std::get<2>(key));
    }
  }
  std::stable_sort(report.gaps.begin(), report.gaps.end(), [](const Gap& a, const Gap& b) { return a.kind < b.kind; });
  return report;
}

std::string render_matrix(const MatrixReport& report, bool markdown) {
  std::ostringstream out;
  out << (markdown ? "## Coverage matrix\n\n" : "") << report.scenarios << " sign-ins built from the config; "
      << report.gaps.size() << " gap(s)\n";
  std::string kind;
  for (const Gap& gap : report.gaps) {
    if (gap.kind != kind) {
      kind = gap.kind;
      out << "\n" << (markdown ? "### " : "") << kind << "\n" << (markdown ? "\n" : "");
    }
    out << (markdown ? "- " : "  ") << gap.persona << " -> ";
    for (size_t i = 0; i < gap.applications.size(); ++i) out << (i ? ", " : "") << gap.applications[i];
    if (gap.where.empty()) {
      out << ": everywhere (every location, platform and client app)\n";
      continue;
    }
    out << ":\n";
    for (const std::string& where : gap.where) out << (markdown ? "  - " : "      ") << where << "\n";
  }
  return out.str();
}

}  // namespace idform::whatif
