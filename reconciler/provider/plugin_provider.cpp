// The out-of-process provider: each Provider call is one protocol request to the plugin process,
// answered by a stream of messages (docs/plugin-protocol.md).
//
// A call sends its request and reads messages until the one that answers it: progress and log
// messages are passed on as they come, a read's resource and user messages are decoded into the
// response one at a time (the read never exists twice as text), and an `error` becomes the call's
// Error with its category. Anything else — another request's number, an unknown type, a message
// that does not decode — breaks the protocol: the process is stopped and this and every later
// call fail, naming the plugin, so nothing is applied after a plugin misbehaved.

#include "reconciler/provider/plugin_provider.hpp"

#include "reconciler/util/interrupt.hpp"
#include "reconciler/util/log_line.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::plugin {

using nlohmann::json;

namespace {

// Passes a plugin's progress messages to the caller's Progress as differences.
class ProgressForwarder {
 public:
  explicit ProgressForwarder(util::Progress* progress) : m_progress(progress) {}
  void forward(const json& message) {
    if (!m_progress) return;
    std::string phase = message.value("phase", "");
    if (!phase.empty() && phase != m_phase) {
      m_phase = phase;
      m_done = 0;
      m_progress->start_phase(phase, message.value("total", -1LL));
    }
    long long done = message.value("done", 0LL);
    if (done > m_done) m_progress->add_done(done - m_done), m_done = done;
    long long requests = message.value("requests", 0LL);
    for (; m_requests < requests; ++m_requests) m_progress->add_request();
    std::string waiting = message.value("waiting_for", "");
    if (!waiting.empty()) m_progress->begin_wait(waiting, std::chrono::milliseconds(message.value("wait_ms", 0LL)));
  }

 private:
  util::Progress* m_progress;
  std::string m_phase;
  long long m_done = 0;
  long long m_requests = 0;
};

void collect_secret_variables(const json& value, std::set<std::string>& names) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key.ends_with("_env") && item.is_string()) names.insert(item.get<std::string>());
      else collect_secret_variables(item, names);
    }
  } else if (value.is_array()) {
    for (const json& item : value) collect_secret_variables(item, names);
  }
}

}  // namespace

PluginDeadlines PluginDeadlines::from_environment() {
  PluginDeadlines deadlines;
  auto seconds_from = [](const char* variable, std::chrono::milliseconds& deadline) {
    std::string seconds = util::environment_variable(variable);
    if (!seconds.empty() && seconds.find_first_not_of("0123456789") == std::string::npos && seconds.size() < 7)
      deadline = std::chrono::seconds(std::max(1, std::stoi(seconds)));
  };
  seconds_from("IDFORM_PLUGIN_TIMEOUT", deadlines.silence);
  seconds_from("IDFORM_PLUGIN_CANCEL_TIMEOUT", deadlines.cancel);
  return deadlines;
}

std::set<std::string> secret_variables(const json& settings) {
  std::set<std::string> names;
  collect_secret_variables(settings, names);
  return names;
}

Result<StartedPlugin> start_plugin(const PluginCommand& command, const std::set<std::string>& hidden_environment,
                                   PluginDeadlines deadlines) {
  std::string label = "plugin " + command.provider + " (" + (command.argv.empty() ? "" : command.argv.front()) + ")";
  auto process = IDFORM_TRY(PluginProcess::start(command.argv, label, hidden_environment, command.environment, command.record_file));
  IDFORM_TRY(process->send({{"type", "hello"}, {"protocol_versions", {provider::kProtocolVersion}},
                            {"idform_version", IDFORM_VERSION}}));
  json hello = IDFORM_TRY(process->receive(deadlines.handshake));
  if (hello.value("type", "") == "error") {
    auto wire = protocol::wire_error_from_json(hello);
    std::string why = wire ? wire->error.summary : hello.dump();
    process->kill_now();
    return fail(label + " refused the handshake: " + util::redact(why));
  }
  if (hello.value("type", "") != "hello" || !hello.contains("protocol_version") ||
      hello["protocol_version"] != provider::kProtocolVersion) {
    process->kill_now();
    return fail(label + " did not answer the handshake with protocol version " + std::to_string(provider::kProtocolVersion),
                "it answered: " + util::redact(hello.dump().substr(0, 200)));
  }
  auto info = protocol::plugin_info_from_json(hello);
  if (!info) {
    process->kill_now();
    return fail(label + ": " + info.error().summary);
  }
  return StartedPlugin{std::move(*info), std::move(process)};
}

PluginProvider::PluginProvider(StartedPlugin plugin, PluginDeadlines deadlines)
    : m_info(std::move(plugin.info)), m_deadlines(deadlines), m_process(std::move(plugin.process)) {}

PluginProvider::~PluginProvider() {
  if (m_started.valid()) m_started.wait();
  m_process->stop();
}

Result<json> PluginProvider::call(json message, util::Progress* progress,
                                  const std::function<Result<void>(json&)>& on_stream,
                                  const std::atomic<bool>* cancelled) const {
  std::lock_guard lock(m_mutex);
  if (m_cancelled) return std::unexpected(*m_cancelled);
  const long long request = m_next_request++;
  const std::string type = message["type"];
  message["request"] = request;
  if (provider::is_cancelled(cancelled)) {
    m_cancelled = provider::cancelled_error(m_process->label() + "'s " + type);
    m_cancelled->detail = "it was not sent: idform had been interrupted";
    return std::unexpected(*m_cancelled);
  }
  IDFORM_TRY(m_process->send(message));
  ProgressForwarder forwarder(progress);
  for (;;) {
    auto received = IDFORM_TRY(m_process->receive_unless(m_deadlines.silence, cancelled));
    if (!received) return finish_cancelled(request, type);
    json answer = std::move(*received);
    const std::string kind = answer["type"];
    if (kind == "log") {
      if (m_verbose || answer.value("level", "") == "warning" || answer.value("level", "") == "error")
        util::log_line(m_process->label(), util::redact(answer.value("message", "")));
      continue;
    }
    if (!answer.contains("request") || answer["request"] != request) {
      m_process->kill_now();
      return fail(m_process->label() + " answered " + type + " request " + std::to_string(request) +
                  " with a message for another request: " + util::redact(answer.dump().substr(0, 200)));
    }
    if (kind == "progress") {
      forwarder.forward(answer);
      continue;
    }
    if (kind == "error") {
      auto wire = protocol::wire_error_from_json(answer);
      if (!wire) break;
      Error error = wire->error;
      error.summary = util::redact(error.summary);
      error.detail = util::redact(error.detail);
      std::string category = std::string(protocol::category_name(wire->category)) + (wire->retryable ? ", retryable" : "");
      error.detail += (error.detail.empty() ? "" : "\n") + m_process->label() + " reported a " + category + " error";
      return std::unexpected(error);
    }
    if (on_stream && (kind == "resource" || kind == "user")) {
      if (auto streamed = on_stream(answer); !streamed) {
        m_process->kill_now();
        return fail(m_process->label() + ": " + streamed.error().summary);
      }
      continue;
    }
    return answer;
  }
  m_process->kill_now();
  return fail(m_process->label() + " sent a malformed error message");
}

// The user interrupted idform while request `request` ran: the plugin is sent `cancel` and has the
// cancel deadline to answer. An apply it finished anyway is its answer (the change was made, and
// the audit log must say so); anything else ends as `cancelled`, and so does every later call.
Result<json> PluginProvider::finish_cancelled(long long request, const std::string& type) const {
  const std::string label = m_process->label();
  Error error = provider::cancelled_error(label + "'s " + type);
  const auto seconds = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(m_deadlines.cancel).count());
  // Real time on purpose, not util::Clock: the cancel deadline bounds a real process.
  auto until = std::chrono::steady_clock::now() + m_deadlines.cancel;
  Result<void> sent = m_process->send({{"type", "cancel"}, {"request", request}});
  error.detail = sent ? "" : sent.error().summary;
  while (sent) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    auto answer = left.count() > 0 ? m_process->receive(left) : Result<json>(fail("no time left"));
    if (!answer) {
      m_process->kill_now();
      error.detail = std::chrono::steady_clock::now() >= until
                         ? "it did not answer the cancel within " + seconds + " s and was killed"
                         : "it ended before it answered the cancel: " + answer.error().summary;
      break;
    }
    const std::string kind = (*answer)["type"];
    if (kind == "log" || kind == "progress" || kind == "resource" || kind == "user") continue;
    if (!answer->contains("request") || (*answer)["request"] != request) {
      m_process->kill_now();
      error.detail = "it answered with a message for another request and was stopped";
      break;
    }
    if (kind == "applied") {
      m_cancelled = error;
      m_cancelled->detail = "idform was interrupted after the plugin had finished applying a change";
      return std::move(*answer);
    }
    auto wire = kind == "error" ? protocol::wire_error_from_json(*answer) : Result<protocol::WireError>(fail(""));
    error.detail = "it stopped: " + (wire ? util::redact(wire->error.summary) : std::string("it answered ") + kind);
    break;
  }
  m_cancelled = error;
  return std::unexpected(error);
}

Result<void> PluginProvider::configure(const provider::TargetContext& context,
                                       const std::map<std::string, std::string>& secrets) {
  m_verbose = context.verbose;
  json answer = IDFORM_TRY(call({{"type", "configure"},
                                 {"target", context.target_name},
                                 {"settings", context.settings},
                                 {"config_root", context.config_root},
                                 {"verbose", context.verbose},
                                 {"secrets", secrets}},
                                nullptr));
  if (answer["type"] != "configured") {
    m_process->kill_now();
    return fail(m_process->label() + " answered configure with " + answer["type"].get<std::string>());
  }
  m_state_version = answer.value("state_version", "");
  m_target_identity = answer.value("target_identity", "");
  return {};
}

void PluginProvider::start_reading() {
  if (m_started.valid() || !m_info.capabilities.reads_every_user || m_process->failure()) return;
  m_started = std::async(std::launch::async, [this] {
    provider::ReadRequest request;
    request.cancelled = util::interrupt_flag();  // no caller to pass one: the process's own
    return read_now(request);
  });
}

Result<provider::ReadResponse> PluginProvider::read(const provider::ReadRequest& request) {
  if (!m_started.valid()) return read_now(request);
  Result<provider::ReadResponse> response = m_started.get();
  // The early read asked for every kind without a baseline: good for any plain read.
  if (request.baseline || request.keep_state) return read_now(request);
  if (!response || request.kinds.empty()) return response;
  std::erase_if(response->state.resources,
                [&](const model::Resource& resource) { return !request.kinds.contains(resource.kind); });
  if (request.progress) request.progress->add_done(static_cast<long long>(response->state.resources.size()));
  return response;
}

Result<provider::ReadResponse> PluginProvider::read_now(const provider::ReadRequest& request) {
  provider::ReadResponse response;
  json message = protocol::to_json(request);
  message["type"] = "read";
  auto on_stream = [&](json& item) -> Result<void> {
    if (item["type"] == "resource") {
      if (!item.contains("resource")) return fail("a resource message without \"resource\"");
      response.state.resources.push_back(IDFORM_TRY(protocol::resource_from_json(std::move(item["resource"]))));
    } else {
      if (!item.contains("user")) return fail("a user message without \"user\"");
      response.state.users.push_back(IDFORM_TRY(protocol::user_from_json(item["user"])));
    }
    return {};
  };
  json done = IDFORM_TRY(call(std::move(message), request.progress, on_stream, request.cancelled));
  bool counts_match = done["type"] == "read_done" && done.value("resources", -1LL) == static_cast<long long>(response.state.resources.size()) &&
                      done.value("users", -1LL) == static_cast<long long>(response.state.users.size());
  if (!counts_match) {
    m_process->kill_now();
    return fail(m_process->label() + " ended a read without a read_done that counts what it sent",
                "it sent " + std::to_string(response.state.resources.size()) + " resources and " +
                    std::to_string(response.state.users.size()) + " users, then: " + util::redact(done.dump().substr(0, 200)));
  }
  if (auto fields = protocol::read_done_into(done, response); !fields) {
    m_process->kill_now();
    return fail(m_process->label() + ": " + fields.error().summary);
  }
  return response;
}

Result<provider::ApplyResponse> PluginProvider::apply(const provider::ApplyRequest& request) {
  json message = protocol::to_json(request);
  message["type"] = "apply";
  json answer = IDFORM_TRY(call(std::move(message), request.progress, {}, request.cancelled));
  if (answer["type"] != "applied" || !answer.contains("id") || !answer["id"].is_string()) {
    m_process->kill_now();
    return fail(m_process->label() + " answered apply of " + request.change.address + " with something else than applied",
                util::redact(answer.dump().substr(0, 200)));
  }
  return provider::ApplyResponse{answer["id"].get<std::string>()};
}

Diagnostics PluginProvider::check(const model::DesiredState& desired) const {
  Diagnostics found = capability_diagnostics(m_info, desired);
  if (!m_info.capabilities.checks) return found;
  json resources = json::array();
  for (const model::Resource& resource : desired.resources) resources.push_back(protocol::to_json(resource, true));
  auto answer = call({{"type", "check"}, {"resources", std::move(resources)}}, nullptr);
  if (!answer) return {answer.error()};
  if ((*answer)["type"] != "check_result" || !(*answer)["diagnostics"].is_array())
    return {Error{m_process->label() + " answered check with something else than check_result", {}, {}, {}}};
  for (const json& diagnostic : (*answer)["diagnostics"]) {
    auto error = protocol::diagnostic_from_json(diagnostic);
    if (!error) return {Error{m_process->label() + ": " + error.error().summary, {}, {}, {}}};
    found.push_back(std::move(*error));
  }
  return found;
}

Diagnostics capability_diagnostics(const protocol::PluginInfo& info, const model::DesiredState& desired) {
  Diagnostics found;
  for (const model::Resource& resource : desired.resources) {
    const protocol::KindCapability* declared = nullptr;
    for (const protocol::KindCapability& kind : info.capabilities.kinds)
      if (kind.kind == resource.kind) declared = &kind;
    if (!declared) {
      found.push_back(Error{"provider " + info.name + " cannot manage " + std::string(model::kind_label(resource.kind)) + "s",
                            "its plugin declares no " + std::string(model::kind_document_name(resource.kind)) + " capability",
                            resource.address(), resource.where});
      continue;
    }
    for (const auto& [field, value] : resource.spec.items()) {
      bool expressible = false;
      for (const std::string& path : declared->fields)
        expressible = expressible || path == field || path.starts_with(field + ".");
      if (expressible) continue;
      auto at = resource.locations.find(field);
      found.push_back(Error{"provider " + info.name + " cannot express " + field,
                            "its plugin declares these fields of " + std::string(model::kind_document_name(resource.kind)) +
                                ": " + util::join(declared->fields, ", "),
                            resource.address(), at != resource.locations.end() ? at->second : resource.where});
    }
  }
  return found;
}

}  // namespace idform::plugin
