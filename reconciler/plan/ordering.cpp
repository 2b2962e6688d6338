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
  add_replacements(changes, edges);
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
