// bench-parse-floor: parses the input files of an offline plan with the libraries idform uses and
// does nothing else, so that the plan's cost can be stated against what reading the same files
// costs on the same machine in the same run (docs/performance.md, "Same-run ratios").
//
//   bench-parse-floor [--events] --yaml-dir DIR [--json FILE]...
//
// Every *.yaml and *.yml file under DIR (hidden directories such as .idform skipped, as the config
// loader skips them) is loaded with yaml-cpp, every document of it (YAML::LoadAllFromFile, the
// library's ordinary way to read a file into memory); every --json file with nlohmann::json. All
// parsed documents are kept until the end, as any tool that uses them must hold them. With
// --events the YAML is only scanned (yaml-cpp's event parser with a handler that keeps nothing):
// the least any yaml-cpp reader can spend. Prints one JSON line: files, bytes, documents.

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Options {
  bool events_only = false;
  std::string yaml_dir;
  std::vector<std::string> json_files;
};

class DiscardingHandler : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// The YAML files of a config directory, in a stable order.
std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && name.starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && (name.ends_with(".yaml") || name.ends_with(".yml"))) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

int run(const Options& options) {
  std::vector<std::vector<YAML::Node>> yaml_documents;
  std::vector<nlohmann::json> json_documents;
  long long bytes = 0, documents = 0, files = 0;
  for (const fs::path& file : yaml_files(options.yaml_dir)) {
    bytes += static_cast<long long>(fs::file_size(file));
    ++files;
    if (options.events_only) {
      std::ifstream in(file);
      YAML::Parser parser(in);
      DiscardingHandler handler;
      while (parser.HandleNextDocument(handler)) ++documents;
    } else {
      yaml_documents.push_back(YAML::LoadAllFromFile(file.string()));
      documents += static_cast<long long>(yaml_documents.back().size());
    }
  }
  for (const std::string& file : options.json_files) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "bench-parse-floor: cannot read " << file << "\n";
      return 1;
    }
    bytes += static_cast<long long>(fs::file_size(file));
    ++files;
    json_documents.push_back(nlohmann::json::parse(in));
    ++documents;
  }
  std::cout << nlohmann::json({{"files", files},
                               {"bytes", bytes},
                               {"documents", documents},
                               {"mode", options.events_only ? "events" : "load"}})
                   .dump()
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--events")
      options.events_only = true;
    else if (arg == "--yaml-dir" && i + 1 < argc)
      options.yaml_dir = argv[++i];
    else if (arg == "--json" && i + 1 < argc)
      options.json_files.push_back(argv[++i]);
    else {
      std::cerr << "usage: bench-parse-floor [--events] --yaml-dir DIR [--json FILE]...\n";
      return 2;
    }
  }
  if (options.yaml_dir.empty()) {
    std::cerr << "usage: bench-parse-floor [--events] --yaml-dir DIR [--json FILE]...\n";
    return 2;
  }
  // Third-party exceptions (a malformed file) end here, as a message.
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "bench-parse-floor: " << error.what() << "\n";
    return 1;
  }
}
