// The sandbox provider's journal: an apply that stops midway leaves exactly what was applied
// visible to the next read; the file is rewritten once, when the provider is done. And its lock:
// a holder that keeps it past the wait is named.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>

#include "providers/local/local_provider.hpp"
#include "providers/local/sandbox_lock.hpp"
#include "reconciler/util/clock.hpp"
#include "support/temp_dir.hpp"

using namespace idform;

namespace {

nlohmann::json tenant_with_users() {
  return {{"format", "idform-sandbox/1"},
          {"users", {{{"id", "u-1"}, {"email", "alice@acme.example"}}, {{"id", "u-2"}, {"email", "bob@acme.example"}}}},
          {"groups", {{{"id", "g-1"}, {"name", "old"}, {"members", {"user:u-1"}}},
                      {{"id", "g-2"}, {"name", "keep"}, {"members", {"user:u-2", "group:g-1"}}}}}};
}

void write(const std::filesystem::path& file, const nlohmann::json& tenant) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::trunc);
  out << tenant.dump(2);
}

nlohmann::json read_json_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

provider::ApplyRequest create_group(const std::string& name, std::vector<std::string> members) {
  provider::ApplyRequest request;
  request.change.address = "group:" + name;
  request.change.kind = model::Kind::group;
  request.change.name = name;
  request.change.action = plan::Action::create;
  request.change.desired = {{"members", members}};
  request.ids = {{"user:alice@acme.example", "u-1"}, {"user:bob@acme.example", "u-2"}};
  return request;
}

provider::ApplyRequest delete_group(const std::string& name, const std::string& id) {
  provider::ApplyRequest request;
  request.change.address = "group:" + name;
  request.change.kind = model::Kind::group;
  request.change.name = name;
  request.change.id = id;
  request.change.action = plan::Action::delete_;
  return request;
}

const model::Resource* find(const model::LiveState& state, const std::string& name) {
  for (const model::Resource& resource : state.resources)
    if (resource.name == name) return &resource;
  return nullptr;
}

}  // namespace

TEST_CASE("local provider: changes are journalled and the file is rewritten once, at the end") {
  testing::TempDir temp;
  auto file = temp.path() / "sandbox.json";
  auto journal = temp.path() / "sandbox.json.journal";
  write(file, tenant_with_users());
  const std::string before = read_json_file(file).dump();
  {
    providers::LocalProvider provider(file);
    REQUIRE(provider.read({}));
    REQUIRE(provider.apply(create_group("new", {"user:alice@acme.example"})));
    REQUIRE(provider.apply(delete_group("old", "g-1")));
    CHECK(read_json_file(file).dump() == before);  // not rewritten per change
    CHECK(std::filesystem::exists(journal));

    // Another reader (the next plan, had this apply been killed here) sees both changes.
    providers::LocalProvider next(file);
    auto state = next.read({});
    REQUIRE(state);
    CHECK(find(state->state, "new"));
    CHECK(!find(state->state, "old"));
    CHECK(find(state->state, "keep")->spec["members"] == nlohmann::json{"user:bob@acme.example"});
  }
  CHECK(!std::filesystem::exists(journal));
  nlohmann::json after = read_json_file(file);
  REQUIRE(after["groups"].size() == 2);
  CHECK(after["groups"][0]["name"] == "keep");
  CHECK(after["groups"][0]["members"] == nlohmann::json{"user:u-2"});
  CHECK(after["groups"][1]["name"] == "new");
  CHECK(after["groups"][1]["members"] == nlohmann::json{"user:u-1"});
}

TEST_CASE("local provider: a journal left by an interrupted apply is replayed, and ignored once the file changed") {
  testing::TempDir temp;
  auto file = temp.path() / "sandbox.json";
  auto journal = temp.path() / "sandbox.json.journal";
  write(file, tenant_with_users());
  {
    providers::LocalProvider provider(file);
    REQUIRE(provider.apply(create_group("new", {"user:bob@acme.example"})));
    // Keep the journal as a killed process would have left it.
    std::filesystem::copy_file(journal, temp.path() / "kept");
  }
  write(file, tenant_with_users());
  std::filesystem::copy_file(temp.path() / "kept", journal, std::filesystem::copy_options::overwrite_existing);
  // The journal extends an older version of the file: the file was replaced since.
  providers::LocalProvider reader(file);
  auto state = reader.read({});
  REQUIRE(state);
  CHECK(!find(state->state, "new"));

  SECTION("a journal that matches its file, with a torn last line, is replayed up to that line") {
    {
      providers::LocalProvider provider(file);
      REQUIRE(provider.apply(create_group("first", {})));
      std::filesystem::copy_file(journal, temp.path() / "kept2");
    }
    nlohmann::json original = tenant_with_users();
    write(file, original);
    std::filesystem::copy_file(temp.path() / "kept2", journal, std::filesystem::copy_options::overwrite_existing);
    // Rewrite the header for the file as it is now, as if the crash came right after the append.
    std::ifstream in(journal);
    std::string header, entry;
    std::getline(in, header);
    std::getline(in, entry);
    in.close();
    auto identity = providers::FileIdentity::of(file);
    REQUIRE(identity);
    nlohmann::json fixed = nlohmann::json::parse(header);
    fixed["base_size"] = identity->size;
    fixed["base_modified"] = identity->modified;
    {
      std::ofstream out(journal, std::ios::trunc);
      out << fixed.dump() << "\n" << entry << "\n" << R"({"put": "groups", "object": {"id": "g-9", "na)";
    }
    providers::LocalProvider after_crash(file);
    auto replayed = after_crash.read({});
    REQUIRE(replayed);
    CHECK(find(replayed->state, "first"));
    CHECK(replayed->state.resources.size() == 3);
  }
}

TEST_CASE("local provider: the first apply to a missing file creates it") {
  testing::TempDir temp;
  auto file = temp.path() / ".idform" / "sandbox.json";
  {
    providers::LocalProvider provider(file);
    REQUIRE(provider.apply(create_group("new", {})));
    CHECK(std::filesystem::exists(file));
    REQUIRE(provider.apply(create_group("second", {})));
  }
  CHECK(read_json_file(file)["groups"].size() == 2);
  CHECK(!std::filesystem::exists(temp.path() / ".idform" / "sandbox.json.journal"));
}

TEST_CASE("sandbox lock: a holder that keeps it past the wait is named, the wait timed on the lock's clock", "[lock]") {
  using namespace std::chrono_literals;
  testing::TempDir temp;
  const auto file = temp.path() / "sandbox.json";
  // Another holder: flock belongs to an open file, so a second open of the lock file competes
  // with the provider's lock as another process would.
  int other = ::open((file.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(other >= 0);
  REQUIRE(::flock(other, LOCK_EX | LOCK_NB) == 0);
  util::FakeClock clock;
  providers::SandboxLock lock;
  auto refused = lock.acquire(file, 30s, clock);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().summary.find("is in use by another idform command") != std::string::npos);
  CHECK(refused.error().detail.find("sandbox.json.lock") != std::string::npos);
  CHECK(clock.slept() >= 30s);
  CHECK(clock.slept() < 31s);
  CHECK_FALSE(lock.held());
  ::close(other);  // the holder is gone: the next attempt takes the lock at once
  REQUIRE(lock.acquire(file, 30s, clock));
  CHECK(lock.held());
}
