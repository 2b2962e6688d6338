#pragma once
// Shared set-up for end-to-end tests: a temporary copy of examples/acme and a way to run the
// real idform binary on it.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/process.hpp"

namespace idform::testing {

class AcmeCopy {
 public:
  AcmeCopy() {
    std::filesystem::copy(std::filesystem::path(IDFORM_SOURCE_DIR) / "examples" / "acme", dir(),
                          std::filesystem::copy_options::recursive);
  }
  std::filesystem::path dir() const { return m_temp.path() / "acme"; }
  std::filesystem::path sandbox() const { return dir() / ".idform" / "sandbox.json"; }

  ProcessResult idform(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                       const std::string& input = {}) const {
    args.insert(args.begin(), IDFORM_BINARY);
    args.push_back("--config");
    args.push_back(dir().string());
    env.emplace("IDFORM_TODAY", "2026-11-29");
    return run_process(args, env, input);
  }

  // idform as above, sent SIGINT (the user's Ctrl-C) once `ready()` holds.
  ProcessResult idform_interrupted(std::vector<std::string> args, std::map<std::string, std::string> env,
                                   const std::function<bool()>& ready) const {
    args.insert(args.begin(), IDFORM_BINARY);
    args.push_back("--config");
    args.push_back(dir().string());
    env.emplace("IDFORM_TODAY", "2026-11-29");
    return run_process_signalled(args, env, ready);
  }

  nlohmann::json read_sandbox() const {
    std::ifstream in(sandbox());
    return nlohmann::json::parse(in);
  }
  void write_sandbox(const nlohmann::json& tenant) const {
    std::ofstream out(sandbox(), std::ios::trunc);
    out << tenant.dump(2);
  }
  void write_file(const std::string& relative, const std::string& text) const {
    std::filesystem::create_directories((dir() / relative).parent_path());
    std::ofstream out(dir() / relative, std::ios::trunc);
    out << text;
  }
  std::string read_text(const std::filesystem::path& path) const {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }

 private:
  TempDir m_temp;
};

// The object of `kind` ("groups", ...) named `name` in a sandbox document.
inline nlohmann::json& sandbox_object(nlohmann::json& tenant, const std::string& kind, const std::string& name) {
  for (auto& object : tenant[kind])
    if (object["name"] == name) return object;
  throw std::runtime_error("no " + kind + " named " + name + " in the sandbox");
}

// Applies whatever the config still asks for, and requires that to succeed.
inline void converge(const AcmeCopy& acme) {
  auto applied = acme.idform({"apply", "--auto-approve"});
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 0);
}

}  // namespace idform::testing
