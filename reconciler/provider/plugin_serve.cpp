// The plugin side of the provider protocol: reads one request per line, answers each in order.
//
// Requests are handled one at a time on the calling thread. The input is read on a thread of its
// own, so that a `cancel` sets the running request's `cancelled` flag while the provider works
// (a provider stops at its next safe point; one that does not look finishes, and the host's cancel
// deadline decides). While a read or apply runs, another thread relays the provider's Progress as
// `progress` messages (at most four a second, only when something changed). Every line written is one whole JSON
// message, under one lock, so progress never interleaves with a response. A read streams its result: one `resource` or
// `user` message per object and a closing `read_done`, so neither side holds the response twice as text.

#include "reconciler/provider/plugin_serve.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <istream>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <thread>

#include "reconciler/util/redact.hpp"

namespace idform::plugin {

using nlohmann::json;
namespace protocol = provider::protocol;

namespace {

class Writer {
 public:
  explicit Writer(std::ostream& out) : m_out(out) {}
  void send(const json& message) { send_line(message.dump(-1, ' ', false, json::error_handler_t::replace)); }
  // A read's objects are written without a flush each; the message that ends it flushes them.
  void send_line(const std::string& line, bool flush = true) {
    std::lock_guard lock(m_mutex);
    m_out << line << '\n';
    if (flush) m_out.flush();
  }

 private:
  std::ostream& m_out;
  std::mutex m_mutex;
};

// Relays a Progress as `progress` messages while a request runs.
class ProgressPump {
 public:
  ProgressPump(Writer& writer, long long request) : m_writer(writer), m_request(request) {
    m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
  }
  ~ProgressPump() {
    m_thread.request_stop();
    m_wake.notify_all();
  }
  util::Progress* progress() { return &m_progress; }

 private:
  void run(std::stop_token stop) {
    util::ProgressSnapshot last;
    std::mutex mutex;
    std::unique_lock lock(mutex);
    for (;;) {
      m_wake.wait_for(lock, stop, std::chrono::milliseconds(250), [] { return false; });
      if (stop.stop_requested()) return;
      util::ProgressSnapshot now = m_progress.snapshot();
      if (now.phase == last.phase && now.done == last.done && now.total == last.total &&
          now.requests == last.requests && now.waiting_for == last.waiting_for)
        continue;
      last = now;
      json message = {{"type", "progress"}, {"request", m_request}, {"phase", now.phase},
                      {"done", now.done}, {"total", now.total}, {"requests", now.requests}};
      if (!now.waiting_for.empty()) {
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(now.waiting_until - m_progress.clock().steady_now());
        message["waiting_for"] = now.waiting_for;
        message["wait_ms"] = std::max<long long>(0, left.count());
      }
      m_writer.send(message);
    }
  }

  Writer& m_writer;
  long long m_request;
  util::Progress m_progress;
  std::condition_variable_any m_wake;
  std::jthread m_thread;  // last: stopped and joined before the members it reads go
};

long long request_of(const json& message) {
  auto found = message.find("request");
  return found != message.end() && found->is_number_integer() ? found->get<long long>() : 0;
}

json error_message(long long request, const protocol::WireError& wire) {
  json message = protocol::to_json(wire);
  message["type"] = "error";
  message["request"] = request;
  return message;
}

json invalid(long long request, std::string summary) {
  return error_message(request, {Error{std::move(summary), {}, {}, {}}, protocol::ErrorCategory::invalid, false});
}

// The input, read on a thread of its own so that a `cancel` reaches the request it names while
// that request runs (Session's thread is inside the provider then). Every other line is queued
// for the session in order.
class Input {
 public:
  explicit Input(std::istream& in) : m_thread([this, &in] { read(in); }) {}
  // Waits for the reader (which ends with the input: the host closes it after shutdown).
  ~Input() = default;

  // The next line, or nullopt at the end of the input.
  std::optional<std::string> next() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_lines.empty() || m_ended; });
    if (m_lines.empty()) return std::nullopt;
    std::string line = std::move(m_lines.front());
    m_lines.pop_front();
    return line;
  }
  // The request now running (0: none), whose cancel sets cancelled(); also set at once when its
  // cancel came while it still waited in the queue.
  void running(long long request) {
    std::lock_guard lock(m_mutex);
    m_running = request;
    m_queued.erase(request);
    m_cancelled.store(m_cancelled_early.erase(request) > 0);
  }
  const std::atomic<bool>* cancelled() const { return &m_cancelled; }

 private:
  void read(std::istream& in) {
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      json message = json::parse(line, nullptr, false);
      std::lock_guard lock(m_mutex);
      // A cancel for the running request is acted on at once, one for a request still queued
      // when it starts; one for a request already answered (it crossed the answer) is ignored.
      if (message.is_object() && message.value("type", json()) == "cancel") {
        long long request = request_of(message);
        if (request != 0 && request == m_running)
          m_cancelled.store(true);
        else if (m_queued.contains(request))
          m_cancelled_early.insert(request);
        continue;
      }
      if (message.is_object() && request_of(message) != 0) m_queued.insert(request_of(message));
      m_lines.push_back(std::move(line));
      m_changed.notify_all();
    }
    std::lock_guard lock(m_mutex);
    m_ended = true;
    m_changed.notify_all();
  }

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<std::string> m_lines;
  long long m_running = 0;
  std::set<long long> m_queued;           // requests read and not started (as far as cancel cares)
  std::set<long long> m_cancelled_early;  // cancelled before they started
  std::atomic<bool> m_cancelled{false};
  bool m_ended = false;
  std::jthread m_thread;  // last: joined before the members it uses go
};

class Session {
 public:
  Session(const PluginDefinition& plugin, Writer& writer, Input& input)
      : m_plugin(plugin), m_writer(writer), m_input(input) {}

  // False when the session is over (shutdown).
  bool handle(const json& message) {
    long long request = request_of(message);
    std::string type = message.value("type", "");
    if (type == "shutdown") {
      m_writer.send({{"type", "goodbye"}, {"request", request}});
      return false;
    }
    if (type == "configure") configure(request, message);
    else if (type == "check") check(request, message);
    else if (type == "read") read(request, message);
    else if (type == "apply") apply(request, message);
    else m_writer.send(invalid(request, "unknown message type \"" + type + "\""));
    return true;
  }

 private:
  void configure(long long request, const json& message) {
    // Secrets are the values of the environment variables the settings name; they arrive only
    // here and live only in this process's environment and the redaction list.
    if (auto secrets = message.find("secrets"); secrets != message.end() && secrets->is_object())
      for (const auto& [name, value] : secrets->items())
        if (value.is_string()) {
          util::register_secret(value.get<std::string>());
          setenv(name.c_str(), value.get<std::string>().c_str(), 1);
        }
    provider::TargetContext context;
    context.target_name = message.value("target", "");
    context.settings = message.value("settings", json::object());
    context.config_root = message.value("config_root", "");
    context.verbose = message.value("verbose", false);
    auto created = m_plugin.factory(context);
    if (!created) return m_writer.send(error_message(request, protocol::classify(created.error())));
    m_provider = std::move(*created);
    json configured = {{"type", "configured"}, {"request", request}};
    if (m_provider->reads_incrementally()) {
      configured["state_version"] = m_provider->state_version();
      configured["target_identity"] = m_provider->target_identity();
    }
    m_writer.send(configured);
  }

  void check(long long request, const json& message) {
    model::DesiredState desired;
    auto resources = message.find("resources");
    if (resources == message.end() || !resources->is_array())
      return m_writer.send(invalid(request, "check needs \"resources\", an array"));
    for (const json& value : *resources) {
      auto resource = protocol::resource_from_json(value);
      if (!resource) return m_writer.send(invalid(request, resource.error().summary));
      desired.resources.push_back(std::move(*resource));
    }
    Diagnostics found = m_plugin.check ? m_plugin.check(desired)
                        : m_provider   ? m_provider->check(desired)
                                       : Diagnostics{};
    json diagnostics = json::array();
    for (const Error& error : found) diagnostics.push_back(protocol::to_json(error));
    m_writer.send({{"type", "check_result"}, {"request", request}, {"diagnostics", diagnostics}});
  }

  void read(long long request, const json& message) {
    if (!m_provider) return m_writer.send(invalid(request, "read before configure"));
    json baseline;
    auto decoded = protocol::read_request_from_json(message, &baseline);
    if (!decoded) return m_writer.send(invalid(request, decoded.error().summary));
    Result<provider::ReadResponse> response = [&] {
      ProgressPump pump(m_writer, request);
      decoded->progress = pump.progress();
      decoded->cancelled = m_input.cancelled();
      m_input.running(request);
      auto read = m_provider->read(*decoded);
      // A read cancelled while it ran is abandoned, whatever it returned: it changed nothing.
      if (read && provider::is_cancelled(decoded->cancelled))
        read = std::unexpected(provider::cancelled_error("the read"));
      m_input.running(0);
      return read;
    }();
    if (!response) return m_writer.send(error_message(request, protocol::classify(response.error())));
    // What was sent is not kept: the plugin's memory falls as the read streams out.
    for (model::Resource& resource : response->state.resources) {
      m_writer.send_line(protocol::resource_message_line(request, resource), false);
      resource.spec = nullptr;
    }
    for (const model::User& user : response->state.users)
      m_writer.send_line(json{{"type", "user"}, {"request", request}, {"user", protocol::to_json(user)}}.dump(
                             -1, ' ', false, json::error_handler_t::replace),
                         false);
    json done = protocol::read_done_fields(*response);
    done["type"] = "read_done";
    done["request"] = request;
    done["resources"] = response->state.resources.size();
    done["users"] = response->state.users.size();
    m_writer.send(done);
  }

  void apply(long long request, const json& message) {
    if (!m_provider) return m_writer.send(invalid(request, "apply before configure"));
    auto decoded = protocol::apply_request_from_json(message);
    if (!decoded) return m_writer.send(invalid(request, decoded.error().summary));
    // A cancelled apply that the provider finished anyway is answered `applied`: it was made.
    Result<provider::ApplyResponse> response = [&] {
      ProgressPump pump(m_writer, request);
      decoded->progress = pump.progress();
      decoded->cancelled = m_input.cancelled();
      m_input.running(request);
      auto applied = m_provider->apply(*decoded);
      m_input.running(0);
      return applied;
    }();
    if (!response) return m_writer.send(error_message(request, protocol::classify(response.error())));
    m_writer.send({{"type", "applied"}, {"request", request}, {"id", response->id}});
  }

  const PluginDefinition& m_plugin;
  Writer& m_writer;
  Input& m_input;
  std::unique_ptr<provider::Provider> m_provider;
};

// Answers the host's hello with the highest version both speak; false when there is none.
bool handshake(const PluginDefinition& plugin, const json& hello, Writer& writer) {
  int chosen = 0;
  if (auto versions = hello.find("protocol_versions"); versions != hello.end() && versions->is_array())
    for (const json& version : *versions)
      if (version.is_number_integer() && version.get<int>() <= provider::kProtocolVersion)
        chosen = std::max(chosen, version.get<int>());
  if (hello.value("type", "") != "hello" || chosen == 0) {
    writer.send(invalid(0, "expected hello offering protocol version " + std::to_string(provider::kProtocolVersion)));
    return false;
  }
  json answer = protocol::to_json(plugin.info);
  answer["type"] = "hello";
  answer["protocol_version"] = chosen;
  writer.send(answer);
  return true;
}

}  // namespace

int serve(const PluginDefinition& plugin, std::istream& in, std::ostream& out) {
  Writer writer(out);
  Input input(in);
  Session session(plugin, writer, input);
  bool greeted = false;
  while (std::optional<std::string> line = input.next()) {
    json message = json::parse(*line, nullptr, false);
    if (message.is_discarded() || !message.is_object()) {
      writer.send(invalid(0, "not a JSON object on one line"));
      if (!greeted) return 1;
      continue;
    }
    if (!greeted) {
      if (!handshake(plugin, message, writer)) return 1;
      greeted = true;
      continue;
    }
    try {
      if (!session.handle(message)) return 0;
    } catch (const std::exception& error) {
      // A field of the wrong type in a message read with json::value(); the session goes on.
      writer.send(invalid(request_of(message), std::string("malformed message: ") + error.what()));
    }
  }
  return 0;
}

}  // namespace idform::plugin
