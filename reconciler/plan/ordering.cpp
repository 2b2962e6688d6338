// Ordering is a topological sort (Kahn's algorithm) over the dependency edges, choosing among
// ready changes by a fixed rank (kind order for creates and updates, reverse kind order for
// deletes) and then by address, so that the same plan always comes out in the same order.
//
// A delete also depends on the create that replaces it: a create of the same kind that takes
// over the references the deleted object had (some other change stops referring to the old one
// and starts referring to the new one). A delete with no such partner waits for every create of
// its kind that has none either, since any of them may be its replacement (a policy renamed
// without `id:` is referred to by nothing): holding a delete back too long is harmless, removing
// the old object before its replacement exists is not.
// Before sorting, cycles are looked for with a depth-first search: a cycle made only of deletes
// loses its edges (both objects go, whichever goes first); any other cycle is reported.

#include "reconciler/plan/ordering.hpp"

#include <map>
#include <queue>
#include <set>

#include "reconciler/model/resource.hpp"

namespace idform::plan {
namespace {

int kind_rank(model::Kind kind) {
  switch (kind) {
    case model::Kind::named_location: return 0;
    case model::Kind::group: return 1;
    case model::Kind::application: return 2;
    case model::Kind::conditional_access_policy: return 3;
  }
  return 0;
}

int rank(const Change& change) {
  return change.action == Action::delete_ ? 10 - kind_rank(change.kind) : kind_rank(change.kind);
}

std::set<std::string> addresses_referenced(model::Kind kind, const nlohmann::json& spec) {
  std::set<std::string> out;
  if (!spec.is_object()) return out;
  model::Resource view;
  view.kind = kind;
  view.spec = spec;
  for (const model::Reference& ref : model::references_of(view))
    if (ref.type == "group" || ref.type == "app" || ref.type == "location") out.insert(ref.to_string());
  return out;
}

// Each delete's replacement edges (delete index -> create indexes) and its replaced_by.
void add_replacements(std::vector<Change>& changes, std::vector<std::set<size_t>>& edges) {
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < changes.size(); ++i) index_of[changes[i].address] = i;
  std::set<size_t> paired;
  for (Change& change : changes) change.replaced_by.clear();
  for (const Change& other : changes) {
    if (other.action != Action::update) continue;
    std::set<std::string> before = addresses_referenced(other.kind, other.live);
    std::set<std::string> after = addresses_referenced(other.kind, other.desired);
    for (const std::string& gone : before) {
      auto old_one = index_of.find(gone);
      if (after.contains(gone) || old_one == index_of.end() || changes[old_one->second].action != Action::delete_) continue;
      for (const std::string& added : after) {
        auto new_one = index_of.find(added);
        if (before.contains(added) || new_one == index_of.end()) continue;
        const Change& created = changes[new_one->second];
        if (created.action != Action::create || created.kind != changes[old_one->second].kind) continue;
        edges[old_one->second].insert(new_one->second);
        if (changes[old_one->second].replaced_by.empty()) changes[old_one->second].replaced_by = created.address;
        paired.insert(old_one->second);
        paired.insert(new_one->second);
      }
    }
  }
  std::map<model::Kind, int> unpaired_deletes;
  for (size_t d = 0; d < changes.size(); ++d)
    if (changes[d].action == Action::delete_ && !paired.contains(d)) ++unpaired_deletes[changes[d].kind];
  for (size_t d = 0; d < changes.size(); ++d) {
    if (changes[d].action != Action::delete_ || paired.contains(d)) continue;
    std::vector<size_t> candidates;
    for (size_t c = 0; c < changes.size(); ++c)
      if (changes[c].action == Action::create && changes[c].kind == changes[d].kind && !paired.contains(c))
        candidates.push_back(c);
    for (size_t c : candidates) edges[d].insert(c);
    if (candidates.size() == 1 && unpaired_deletes[changes[d].kind] == 1) changes[d].replaced_by = changes[candidates.front()].address;
  }
}

// The first cycle reachable from `start` in `edges`, as indexes (first == last), or empty.
// `state`: 0 unvisited, 1 on the current path, 2 done.
std::vector<size_t> find_cycle(size_t start, const std::vector<std::set<size_t>>& edges, std::vector<int>& state) {
  std::vector<std::pair<size_t, std::set<size_t>::const_iterator>> path{{start, edges[start].begin()}};
  state[start] = 1;
  while (!path.empty()) {
    auto& [node, next] = path.back();
    if (next == edges[node].end()) {
      state[node] = 2;
      path.pop_back();
      continue;
    }
    size_t target = *next++;
    if (state[target] == 1) {
      std::vector<size_t> cycle;
      size_t at = 0;
      while (path[at].first != target) ++at;
      for (; at < path.size(); ++at) cycle.push_back(path[at].first);
      cycle.push_back(target);
      return cycle;
    }
    if (state[target] == 0) {
      state[target] = 1;
      path.emplace_back(target, edges[target].begin());
    }
  }
  return {};
}

// Removes delete-only cycles from `edges` and returns the others, described by address.
std::vector<std::string> settle_cycles(const std::vector<Change>& changes, std::vector<std::set<size_t>>& edges) {
  std::vector<std::string> reported;
  for (bool removed = true; removed;) {
    removed = false;
    std::vector<int> state(changes.size(), 0);
    for (size_t i = 0; i < changes.size() && !removed; ++i) {
      if (state[i] != 0) continue;
      std::vector<size_t> cycle = find_cycle(i, edges, state);
      if (cycle.empty()) continue;
      bool deletes_only = true;
      for (size_t node : cycle) deletes_only = deletes_only && changes[node].action == Action::delete_;
      std::string text;
      for (size_t node : cycle) text += (text.empty() ? "" : " -> ") + changes[node].address;
      if (!deletes_only) reported.push_back(text);
      // Either way the cycle's edges go, so the search moves on to the next one; a reported
      // cycle is an error of the plan, which is then never applied.
      for (size_t k = 0; k + 1 < cycle.size(); ++k) edges[cycle[k]].erase(cycle[k + 1]);
      removed = true;
    }
  }
  return reported;
}

}  // namespace

std::vector<std::string> order_changes(std::vector<Change>& changes) {
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < changes.size(); ++i) index_of[changes[i].address] = i;

  std::vector<std::set<size_t>> edges(changes.size());  // i depends on each of edges[i]
  for (size_t i = 0; i < changes.size(); ++i) {
    Change& change = changes[i];
    if (change.action == Action::delete_) continue;
    for (const std::string& address : addresses_referenced(change.kind, change.desired)) {
      auto found = index_of.find(address);
      if (found != index_of.end() && found->second != i && changes[found->second].action == Action::create)
        edges[i].insert(found->second);
    }
  }
  // A delete waits for every other change to an object that still refers to it.
  for (size_t j = 0; j < changes.size(); ++j) {
    if (changes[j].action == Action::create) continue;
    for (const std::string& address : addresses_referenced(changes[j].kind, changes[j].live)) {
      auto found = index_of.find(address);
      if (found != index_of.end() && found->second != j && changes[found->second].action == Action::delete_)
        edges[found->second].insert(j);
    }
  }
  add_replacements(changes, edges);
  std::vector<std::string> cycles = settle_cycles(changes, edges);
  for (size_t i = 0; i < changes.size(); ++i) {
    changes[i].depends_on.clear();
    for (size_t dependency : edges[i]) changes[i].depends_on.push_back(changes[dependency].address);
  }

  std::vector<int> waiting(changes.size(), 0);
  std::vector<std::vector<size_t>> dependents(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    waiting[i] = static_cast<int>(edges[i].size());
    for (size_t dependency : edges[i]) dependents[dependency].push_back(i);
  }
  using Key = std::tuple<int, std::string, size_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> ready;
  for (size_t i = 0; i < changes.size(); ++i)
    if (waiting[i] == 0) ready.emplace(rank(changes[i]), changes[i].address, i);

  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t next = std::get<2>(ready.top());
    ready.pop();
    order.push_back(next);
    for (size_t dependent : dependents[next])
      if (--waiting[dependent] == 0) ready.emplace(rank(changes[dependent]), changes[dependent].address, dependent);
  }
  std::vector<Change> sorted;
  sorted.reserve(changes.size());
  for (size_t i : order) sorted.push_back(std::move(changes[i]));
  changes = std::move(sorted);
  return cycles;
}

}  // namespace idform::plan
