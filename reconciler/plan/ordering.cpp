// Ordering is a topological sort (Kahn's algorithm) over the dependency edges, choosing among
// ready changes by a fixed rank (kind order for creates and updates, reverse kind order for
// deletes) and then by address, so that the same plan always comes out in the same order.

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

}  // namespace

void order_changes(std::vector<Change>& changes) {
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
  // A cycle cannot come from a valid config; keep any leftovers rather than lose them.
  for (size_t i = 0; i < changes.size(); ++i)
    if (waiting[i] > 0) order.push_back(i);

  std::vector<Change> sorted;
  sorted.reserve(changes.size());
  for (size_t i : order) sorted.push_back(std::move(changes[i]));
  changes = std::move(sorted);
}

}  // namespace idform::plan
