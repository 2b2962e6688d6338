// The plugin protocol's codec and the plugin side (serve) run in-process over string streams: a
// recorded session with the sandbox provider, every message checked against schemas/plugin/.

#include <catch2/catch.hpp>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "providers/local/local_provider.hpp"
#include "reconciler/provider/plugin_serve.hpp"
#include "reconciler/provider/protocol.hpp"
#include "support/plugin_schemas.hpp"
#include "support/temp_dir.hpp"

using namespace idform;
using nlohmann::json;

namespace {

plugin::PluginDefinition sandbox_plugin_definition() {
  provider::protocol::PluginInfo info;
  info.name = "local";
  info.version = "test";
  info.capabilities = provider::protocol::full_capabilities({model::Kind::group});
  info.capabilities.reads_every_user = true;
  info.settings_schema = {{"type", "object"}, {"properties", {{"path", {{"type", "string"}}}}}};
  return {info, providers::make_local_provider, {}};
}

// Runs serve() over `requests` (host messages, one per line) and returns what it wrote.
std::string serve_session(const std::vector<json>& requests, int* exit_code = nullptr) {
  std::string input;
  for (const json& request : requests) input += request.dump() + "\n";
  testing::check_plugin_messages("host", input);
  std::istringstream in(input);
  std::ostringstream out;
  int code = plugin::serve(sandbox_plugin_definition(), in, out);
  if (exit_code) *exit_code = code;
  return out.str();
}

// An input stream fed line by line while serve() reads it, as a host's pipe is.
class FedInput : public std::streambuf {
 public:
  void feed(const json& message) {
    std::lock_guard lock(m_mutex);
    m_pending += message.dump() + "\n";
    m_changed.notify_all();
  }
  void close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
  }

 protected:
  int_type underflow() override {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_pending.empty() || m_closed; });
    if (m_pending.empty()) return traits_type::eof();
    m_current = std::move(m_pending);
    m_pending.clear();
    setg(m_current.data(), m_current.data(), m_current.data() + m_current.size());
    return traits_type::to_int_type(m_current.front());
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::string m_pending, m_current;
  bool m_closed = false;
};

std::vector<json> of_type(const std::vector<json>& messages, const std::string& type) {
  std::vector<json> found;
  for (const json& message : messages)
    if (message["type"] == type) found.push_back(message);
  return found;
}

}  // namespace

TEST_CASE("plugin protocol: a change round-trips through its wire form without plan internals") {
  plan::Change change;
  change.address = "group:sales";
  change.kind = model::Kind::group;
  change.name = "sales";
  change.id = "g-1";
  change.action = plan::Action::update;
  change.desired = {{"members", {"user:alice@acme.example"}}};
  change.live = {{"members", json::array()}};
  change.fingerprint = "sha256:abc";
  change.guards = {"max_member_removals"};
  change.depends_on = {"group:other"};
  change.attributes.push_back({"members", true, nullptr, nullptr, {"user:alice@acme.example"}, {}, {}});
  json wire = provider::protocol::change_to_json(change);
  CHECK_FALSE(wire.contains("fingerprint"));
  CHECK_FALSE(wire.contains("guards"));
  CHECK_FALSE(wire.contains("depends_on"));
  auto decoded = provider::protocol::change_from_json(wire);
  REQUIRE(decoded);
  CHECK(decoded->address == "group:sales");
  CHECK(decoded->id == "g-1");
  CHECK(decoded->action == plan::Action::update);
  CHECK(decoded->desired == change.desired);
  REQUIRE(decoded->attributes.size() == 1);
  CHECK(decoded->attributes[0].added == std::vector<std::string>{"user:alice@acme.example"});
}

TEST_CASE("plugin protocol: malformed changes are refused with the field named") {
  json good = {{"action", "update"}, {"kind", "Group"}, {"name", "x"}, {"id", "g"}, {"desired", json::object()}};
  auto with = [&](const char* key, json value) {
    json changed = good;
    changed[key] = std::move(value);
    return changed;
  };
  auto check_refused = [](json wire, const std::string& field) {
    auto decoded = provider::protocol::change_from_json(wire);
    REQUIRE_FALSE(decoded);
    CHECK_THAT(decoded.error().summary, Catch::Contains("\"" + field + "\""));
  };
  check_refused(json{{"kind", "Group"}}, "action");
  check_refused(with("action", "destroy"), "action");
  check_refused(with("kind", "Printer"), "kind");
  check_refused(with("id", nullptr), "id");
  check_refused(with("attributes", json::array({{{"path", 3}}})), "path");
  CHECK(provider::protocol::change_from_json(good));
}

TEST_CASE("plugin protocol: error categories round-trip and unknown ones are refused") {
  for (auto category : {provider::protocol::ErrorCategory::auth, provider::protocol::ErrorCategory::throttled,
                        provider::protocol::ErrorCategory::not_found, provider::protocol::ErrorCategory::conflict,
                        provider::protocol::ErrorCategory::invalid, provider::protocol::ErrorCategory::transient,
                        provider::protocol::ErrorCategory::internal, provider::protocol::ErrorCategory::cancelled}) {
    provider::protocol::WireError wire{Error{"it failed", "", "group:x", {}}, category, true};
    json message = provider::protocol::to_json(wire);
    message["type"] = "error";
    message["request"] = 3;
    CHECK(testing::plugin_message_problems("plugin", message) == "");
    auto back = provider::protocol::wire_error_from_json(message);
    REQUIRE(back);
    CHECK(back->category == category);
    CHECK(back->retryable);
    // The Error the host goes on with carries them too: one category enum, idform's own.
    CHECK(back->error.category == category);
    CHECK(back->error.retryable);
    CHECK(provider::protocol::classify(back->error).category == category);
  }
  CHECK_FALSE(provider::protocol::wire_error_from_json({{"category", "oops"}, {"summary", "x"}}));
}

TEST_CASE("plugin serve: handshake, configure, read and apply of one group with the sandbox, every message valid") {
  testing::TempDir dir;
  json create = {{"action", "create"}, {"kind", "Group"}, {"name", "sales"}, {"address", "group:sales"},
                 {"desired", {{"description", "Sales"}, {"members", json::array()}}}, {"live", nullptr},
                 {"attributes", json::array()}};
  std::vector<json> requests = {
      {{"type", "hello"}, {"protocol_versions", {1, 2}}, {"idform_version", "test"}},
      {{"type", "configure"}, {"request", 1}, {"target", "sandbox"}, {"settings", {{"provider", "local"}, {"path", "tenant.json"}}},
       {"config_root", dir.str()}, {"secrets", json::object()}},
      {{"type", "apply"}, {"request", 2}, {"change", create}, {"ids", json::object()}},
      {{"type", "read"}, {"request", 3}, {"kinds", {"Group"}}, {"user_emails", json::array()}},
      {{"type", "shutdown"}, {"request", 4}},
  };
  int exit_code = -1;
  std::vector<json> answers = testing::check_plugin_messages("plugin", serve_session(requests, &exit_code));
  CHECK(exit_code == 0);
  REQUIRE(answers.size() >= 5);
  CHECK(answers.front()["type"] == "hello");
  CHECK(answers.front()["protocol_version"] == 1);
  CHECK(answers.front()["name"] == "local");
  CHECK(of_type(answers, "configured").size() == 1);
  auto applied = of_type(answers, "applied");
  REQUIRE(applied.size() == 1);
  auto resources = of_type(answers, "resource");
  REQUIRE(resources.size() == 1);
  CHECK(resources[0]["resource"]["name"] == "sales");
  CHECK(resources[0]["resource"]["id"] == applied[0]["id"]);
  CHECK(of_type(answers, "read_done").at(0)["resources"] == 1);
  CHECK(answers.back()["type"] == "goodbye");
}

TEST_CASE("plugin serve: no common version, garbage and requests out of order are answered with errors") {
  int exit_code = -1;
  auto answers = testing::check_plugin_messages("plugin", serve_session({{{"type", "hello"}, {"protocol_versions", {99}}}}, &exit_code));
  CHECK(exit_code == 1);
  REQUIRE(answers.size() == 1);
  CHECK(answers[0]["category"] == "invalid");

  std::istringstream in("{\"type\":\"hello\",\"protocol_versions\":[1]}\nnot json\n{\"type\":\"read\",\"request\":1}\n"
                        "{\"type\":\"frobnicate\",\"request\":2}\n{\"type\":\"apply\",\"request\":\"x\"}\n");
  std::ostringstream out;
  CHECK(plugin::serve(sandbox_plugin_definition(), in, out) == 0);
  answers = testing::check_plugin_messages("plugin", out.str());
  REQUIRE(answers.size() == 5);
  for (std::size_t index = 1; index < answers.size(); ++index) CHECK(answers[index]["type"] == "error");
  CHECK_THAT(answers[2]["summary"].get<std::string>(), Catch::Contains("before configure"));
  CHECK(answers[2]["request"] == 1);
}

namespace {

// A provider that reads incrementally: its saved state counts the reads since the first.
class CountingIncrementalProvider final : public provider::Provider {
 public:
  std::string name() const override { return "counting"; }
  bool reads_incrementally() const override { return true; }
  std::string state_version() const override { return "counting/1"; }
  std::string target_identity() const override { return "counting://tenant"; }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override {
    provider::ReadResponse response;
    model::Resource group;
    group.name = "sales";
    group.id = "g-1";
    group.spec = {{"description", "Sales"}};
    response.state.resources.push_back(group);
    response.incremental = request.baseline != nullptr;
    if (!request.baseline) response.full_read_reason = "no baseline";
    if (request.keep_state) response.saved_state = {{"reads", request.baseline ? (*request.baseline)["reads"].get<int>() + 1 : 1}};
    return response;
  }
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest&) override { return fail("read only"); }
};

}  // namespace

TEST_CASE("plugin protocol: an incremental read's baseline, saved state and target identity travel, every message valid") {
  provider::protocol::PluginInfo info{"counting", "test", provider::protocol::full_capabilities({model::Kind::group}), {{"type", "object"}}};
  info.capabilities.incremental_read = true;
  plugin::PluginDefinition definition{info, [](const provider::TargetContext&) -> Result<std::unique_ptr<provider::Provider>> {
                                        return std::make_unique<CountingIncrementalProvider>();
                                      }, {}};
  std::vector<json> requests = {{{"type", "hello"}, {"protocol_versions", {1}}},
                                {{"type", "configure"}, {"request", 1}, {"settings", json::object()}},
                                {{"type", "read"}, {"request", 2}, {"keep_state", true}},
                                {{"type", "read"}, {"request", 3}, {"keep_state", true}, {"baseline", {{"reads", 1}}}}};
  std::string input;
  for (const json& request : requests) input += request.dump() + "\n";
  testing::check_plugin_messages("host", input);
  std::istringstream in(input);
  std::ostringstream out;
  CHECK(plugin::serve(definition, in, out) == 0);
  std::vector<json> messages = testing::check_plugin_messages("plugin", out.str());
  auto configured = of_type(messages, "configured");
  REQUIRE(configured.size() == 1);
  CHECK(configured[0]["state_version"] == "counting/1");
  CHECK(configured[0]["target_identity"] == "counting://tenant");
  auto done = of_type(messages, "read_done");
  REQUIRE(done.size() == 2);
  provider::ReadResponse first, second;
  REQUIRE(provider::protocol::read_done_into(done[0], first));
  REQUIRE(provider::protocol::read_done_into(done[1], second));
  CHECK_FALSE(first.incremental);
  CHECK(first.full_read_reason == "no baseline");
  CHECK(first.saved_state == json{{"reads", 1}});
  CHECK(second.incremental);
  CHECK(second.saved_state == json{{"reads", 2}});
  // The streamed resource is the codec's form, written without copying the spec.
  auto resources = of_type(messages, "resource");
  REQUIRE(resources.size() == 2);
  auto decoded = provider::protocol::resource_from_json(resources[0]["resource"]);
  REQUIRE(decoded);
  CHECK(provider::protocol::to_json(*decoded) == resources[0]["resource"]);
}

TEST_CASE("plugin serve: a cancel reaches the running apply, which stops before it writes", "[plugin][cancel]") {
  testing::TempDir dir;
  // The sandbox's stand-in for a slow write: applying group:sales waits until it is cancelled.
  std::ofstream(dir.path() / "tenant.json")
      << R"({"format": "idform-sandbox/1", "groups": [], "faults": {"pause_apply": ["group:sales"]}})";
  json create = {{"action", "create"},
                 {"kind", "Group"},
                 {"name", "sales"},
                 {"address", "group:sales"},
                 {"desired", {{"description", "Sales"}, {"members", json::array()}}},
                 {"live", nullptr},
                 {"attributes", json::array()}};
  FedInput input;
  std::istream in(&input);
  std::ostringstream out;
  int exit_code = -1;
  std::thread server([&] { exit_code = plugin::serve(sandbox_plugin_definition(), in, out); });
  input.feed({{"type", "hello"}, {"protocol_versions", {1}}, {"idform_version", "test"}});
  input.feed({{"type", "configure"},
              {"request", 1},
              {"target", "sandbox"},
              {"settings", {{"provider", "local"}, {"path", "tenant.json"}}},
              {"config_root", dir.str()},
              {"secrets", json::object()}});
  input.feed({{"type", "apply"}, {"request", 2}, {"change", create}, {"ids", json::object()}});
  // The cancel for 2 stops it whether it arrives while 2 runs or while 2 still waits its turn
  // (the sandbox waits for it however long it takes); one for 9, never sent, changes nothing.
  input.feed({{"type", "cancel"}, {"request", 9}});
  input.feed({{"type", "cancel"}, {"request", 2}});
  input.feed({{"type", "read"}, {"request", 3}, {"kinds", {"Group"}}, {"user_emails", json::array()}});
  input.feed({{"type", "shutdown"}, {"request", 4}});
  input.close();
  server.join();
  CHECK(exit_code == 0);
  std::vector<json> answers = testing::check_plugin_messages("plugin", out.str());
  auto errors = of_type(answers, "error");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["request"] == 2);
  CHECK(errors[0]["category"] == "cancelled");
  CHECK(errors[0]["summary"] == "cancelled: applying group:sales was stopped because idform was interrupted");
  CHECK(of_type(answers, "applied").empty());
  // Nothing was written, and the next request ran as usual.
  CHECK(of_type(answers, "read_done").at(0)["resources"] == 0);
  CHECK(answers.back()["type"] == "goodbye");
}
