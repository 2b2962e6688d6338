// The executor keeps every change in one of four states: waiting (dependencies outstanding),
// ready, running, finished. Worker threads take ready changes in plan order; when a change
// finishes, its dependents become ready once all their dependencies succeeded, or are marked
// skipped (and their own dependents with them) if any failed. Reference ids are resolved at
// the moment a change starts, so an object created earlier in the same apply is found by name.
//
// Once the caller's `cancelled` flag is set (the user interrupted idform), a change taken from the
// ready queue is skipped instead of started, so nothing starts after an interruption; the changes
// running then are passed the flag and may stop or finish.
//
// Deletes wait behind a barrier: none becomes ready while any create or update is unfinished,
// whatever the dependency edges say and however many workers there are. When the last create or
// update finishes, the deletes are released if all of them applied, and otherwise every delete
// is held back: a replacement that failed must never be followed by the removal of what it was
// to replace, and a half-applied change set is no time to remove anything.

#include "reconciler/apply/applier.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "reconciler/util/guarded.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::apply {

std::string_view status_name(Status status) {
  switch (status) {
    case Status::applied: return "applied";
    case Status::failed: return "failed";
    case Status::skipped: return "skipped";
    case Status::held_back: return "held_back";
  }
  return "skipped";
}

namespace {

std::string id_key(const model::Reference& ref) {
  return ref.type == "user" ? "user:" + util::to_lower(ref.value) : ref.to_string();
}

class Executor {
 public:
  Executor(const plan::Plan& plan, const model::LiveState& live, provider::Provider& provider,
           const ApplyOptions& options)
      : m_plan(plan), m_provider(provider), m_options(options) {
    for (const model::User& user : live.users) m_ids["user:" + util::to_lower(user.email)] = user.id;
    for (const model::Resource& resource : live.resources) m_ids[resource.address()] = resource.id;
    const size_t count = plan.changes.size();
    m_outcomes.resize(count);
    m_waiting.resize(count, 0);
    m_settled.resize(count, 0);
    m_dependents.resize(count);
    std::map<std::string, size_t> index_of;
    for (size_t i = 0; i < count; ++i) {
      index_of[plan.changes[i].address] = i;
      m_outcomes[i].address = plan.changes[i].address;
      m_outcomes[i].action = plan.changes[i].action;
      // Renamed or pinned objects are known by their new name from the start.
      if (!plan.changes[i].id.empty()) m_ids[plan.changes[i].address] = plan.changes[i].id;
    }
    for (size_t i = 0; i < count; ++i) {
      for (const std::string& dependency : plan.changes[i].depends_on) {
        auto found = index_of.find(dependency);
        if (found == index_of.end()) continue;
        ++m_waiting[i];
        m_dependents[found->second].push_back(i);
      }
      if (!is_delete(i)) ++m_open_before_deletes;
    }
    m_unfinished = count;
    for (size_t i = 0; i < count; ++i)
      if (can_start(i)) m_ready.push_back(i);
  }

  ApplyReport run() {
    int workers = std::max(1, std::min<int>(m_options.parallelism, static_cast<int>(m_plan.changes.size())));
    util::run_workers(static_cast<unsigned>(workers), [this] { work(); });

    ApplyReport report;
    report.outcomes = std::move(m_outcomes);
    for (const Outcome& outcome : report.outcomes) {
      if (outcome.status == Status::applied) ++report.applied;
      if (outcome.status == Status::failed) ++report.failed;
      if (outcome.status == Status::skipped) ++report.skipped;
      if (outcome.status == Status::held_back) ++report.held_back;
    }
    return report;
  }

 private:
  void work() {
    std::unique_lock lock(m_mutex);
    while (true) {
      m_changed.wait(lock, [this] { return !m_ready.empty() || m_unfinished == 0 || m_running == 0; });
      if (m_ready.empty()) {
        // Nothing ready and nothing running: whatever is left waits on itself (a plan file whose
        // dependencies form a cycle). Fail it rather than wait forever.
        if (m_unfinished > 0) fail_unreachable();
        m_changed.notify_all();
        return;
      }
      size_t index = m_ready.front();
      m_ready.pop_front();
      if (provider::is_cancelled(m_options.cancelled)) {
        not_started(index);
        m_changed.notify_all();
        continue;
      }
      ++m_running;
      std::map<std::string, std::string> ids = ids_for(m_plan.changes[index]);
      provider::ApplyRequest request{without_same_object_pairs(m_plan.changes[index], ids), std::move(ids),
                                     m_options.progress, m_options.cancelled};
      lock.unlock();
      Result<provider::ApplyResponse> result = apply_guarded(request);
      lock.lock();
      --m_running;
      finish(index, result);
      m_changed.notify_all();
    }
  }

  // The thread boundary: an exception from a provider is a failed change, never the end of the
  // process (which would leave no summary and no audit log).
  Result<provider::ApplyResponse> apply_guarded(const provider::ApplyRequest& request) {
    return util::guarded("applying " + request.change.address, [&] { return m_provider.apply(request); });
  }

  void fail_unreachable() {
    for (size_t i = 0; i < m_outcomes.size(); ++i)
      if (!m_settled[i]) settle(i, Status::failed, "not applied: its dependencies form a cycle");
  }

  // A set that drops `group:old` and adds `group:new` of a group renamed in the same apply names
  // one object twice: sent as both, a provider would add the member and then remove it. Elements
  // added and removed that resolve to the same id are no change, and are not sent.
  static plan::Change without_same_object_pairs(plan::Change change, const std::map<std::string, std::string>& ids) {
    auto id_of = [&](const std::string& element) {
      auto found = ids.find(element);
      return found == ids.end() ? std::string() : found->second;
    };
    for (plan::AttributeChange& attribute : change.attributes) {
      if (!attribute.is_set || attribute.added.empty() || attribute.removed.empty()) continue;
      std::set<std::string> removed, both;
      for (const std::string& element : attribute.removed)
        if (std::string id = id_of(element); !id.empty()) removed.insert(id);
      for (const std::string& element : attribute.added)
        if (std::string id = id_of(element); !id.empty() && removed.contains(id)) both.insert(id);
      if (both.empty()) continue;
      auto same_object = [&](const std::string& element) { return both.contains(id_of(element)); };
      std::erase_if(attribute.added, same_object);
      std::erase_if(attribute.removed, same_object);
    }
    return change;
  }

  std::map<std::string, std::string> ids_for(const plan::Change& change) {
    std::map<std::string, std::string> ids;
    for (const nlohmann::json* spec : {&change.desired, &change.live}) {
      if (!spec->is_object()) continue;
      model::Resource view;
      view.kind = change.kind;
      view.spec = *spec;
      for (const model::Reference& ref : model::references_of(view)) {
        if (ref.value.starts_with("id:")) {  // an object pinned by id: no lookup needed
          ids[ref.to_string()] = ref.value.substr(3);
          continue;
        }
        auto found = m_ids.find(id_key(ref));
        if (found != m_ids.end()) ids[ref.to_string()] = found->second;
      }
    }
    return ids;
  }

  bool is_delete(size_t index) const { return m_plan.changes[index].action == plan::Action::delete_; }

  bool can_start(size_t index) const {
    return m_waiting[index] == 0 && (!is_delete(index) || m_open_before_deletes == 0);
  }

  void finish(size_t index, const Result<provider::ApplyResponse>& result) {
    Outcome& outcome = m_outcomes[index];
    if (result) {
      outcome.id = result->id;
      if (!result->id.empty()) m_ids[outcome.address] = result->id;
      settle(index, Status::applied, "");
    } else {
      settle(index, Status::failed, result.error().to_string());
    }
    for (size_t dependent : m_dependents[index]) {
      if (outcome.status != Status::applied) {
        skip(dependent, outcome.address);
      } else if (--m_waiting[dependent] == 0 && !m_settled[dependent] && can_start(dependent)) {
        m_ready.push_back(dependent);
      }
    }
  }

  // After an interruption nothing new starts: the change and what depends on it are skipped.
  void not_started(size_t index) {
    settle(index, Status::skipped, "not started: idform was interrupted");
    for (size_t dependent : m_dependents[index]) skip(dependent, m_outcomes[index].address);
  }

  void skip(size_t index, const std::string& because) {
    if (m_settled[index]) return;  // already skipped through another path
    settle(index, Status::skipped, "skipped: depends on " + because + ", which did not apply");
    for (size_t dependent : m_dependents[index]) skip(dependent, m_outcomes[index].address);
  }

  // Records how a change ended; the last create or update to end opens (or closes) the barrier.
  void settle(size_t index, Status status, std::string error) {
    Outcome& outcome = m_outcomes[index];
    outcome.status = status;
    outcome.error = std::move(error);
    m_settled[index] = 1;
    report(outcome);
    --m_unfinished;
    if (is_delete(index)) return;
    if (status != Status::applied && m_not_applied.empty()) m_not_applied = outcome.address;
    if (--m_open_before_deletes == 0) release_deletes();
  }

  void release_deletes() {
    for (size_t i = 0; i < m_outcomes.size(); ++i) {
      if (!is_delete(i) || m_settled[i]) continue;
      if (!m_not_applied.empty())
        settle(i, Status::held_back,
               "held back: " + m_not_applied +
                   " did not apply, and no deletion runs after a create or update of the same apply failed");
      else if (m_waiting[i] == 0)
        m_ready.push_back(i);
    }
  }

  void report(const Outcome& outcome) {
    if (m_options.on_outcome) m_options.on_outcome(outcome);
  }

  const plan::Plan& m_plan;
  provider::Provider& m_provider;
  const ApplyOptions& m_options;
  std::map<std::string, std::string> m_ids;
  std::vector<Outcome> m_outcomes;
  std::vector<int> m_waiting;
  std::vector<char> m_settled;
  std::vector<std::vector<size_t>> m_dependents;
  std::deque<size_t> m_ready;
  size_t m_unfinished = 0;
  size_t m_open_before_deletes = 0;  // creates and updates not finished yet
  std::string m_not_applied;         // the first create or update that did not apply
  size_t m_running = 0;
  std::mutex m_mutex;
  std::condition_variable m_changed;
};

}  // namespace

ApplyReport apply_plan(const plan::Plan& plan, const model::LiveState& live,
                       provider::Provider& provider, const ApplyOptions& options) {
  if (plan.changes.empty()) return {};
  return Executor(plan, live, provider, options).run();
}

}  // namespace idform::apply
