// bench-parse-floor: parses the input files of an offline plan with the readers idform uses and
// does nothing else, so that the plan's cost can be stated against what reading the same files
// costs on the same machine in the same run (docs/performance.md, "Same-run ratios").
//
//   bench-parse-floor [--reader idform|yaml-cpp|events] --yaml-dir DIR [--json FILE]...
//
// Every *.yaml and *.yml file under DIR (hidden directories such as .idform skipped, as the config
// loader skips them) is read and parsed, every --json file with nlohmann::json. All parsed
// documents are kept until the end, as any tool that uses them must hold them. The readers:
//   idform    (default) config::parse_yaml, the reader `idform plan` uses (the block-YAML scanner,
//             yaml-cpp for what it does not accept, positions kept), on as many threads as the
//             config loader uses: the floor the offline goals are measured against;
//   yaml-cpp  YAML::LoadAllFromFile, the library's ordinary way to read a file into a tree;
//   events    yaml-cpp's event parser with a handler that keeps nothing.
// Prints one JSON line: files, bytes, documents, reader.

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/config/yaml_document.hpp"
#include "reconciler/util/parallel.hpp"

namespace {

namespace fs = std::filesystem;

enum class Reader { idform, yaml_cpp, events };

// The config loader's thread count (reconciler/config/loader.cpp, read_resource_files).
constexpr unsigned kLoaderMaxThreads = 4;

struct Options {
  Reader reader = Reader::idform;
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

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The files parsed by idform's reader on the loader's threads; returns the documents read.
long long parse_with_idform(const std::vector<fs::path>& files, std::vector<idform::config::YamlFile>& kept) {
  kept.resize(files.size());
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, kLoaderMaxThreads);
  threads = std::min<unsigned>(threads, static_cast<unsigned>(files.size() / 2 + 1));
  idform::util::for_each_index(files.size(), threads, [&](std::size_t i) {
    kept[i] = idform::config::parse_yaml(read_text(files[i]), files[i].string());
  });
  long long documents = 0;
  for (const auto& file : kept) documents += static_cast<long long>(file.documents.size());
  return documents;
}

long long parse_with_yaml_cpp(const std::vector<fs::path>& files, Reader reader,
                              std::vector<std::vector<YAML::Node>>& kept) {
  long long documents = 0;
  for (const fs::path& file : files) {
    if (reader == Reader::events) {
      std::ifstream in(file);
      YAML::Parser parser(in);
      DiscardingHandler handler;
      while (parser.HandleNextDocument(handler)) ++documents;
    } else {
      kept.push_back(YAML::LoadAllFromFile(file.string()));
      documents += static_cast<long long>(kept.back().size());
    }
  }
  return documents;
}

const char* reader_name(Reader reader) {
  switch (reader) {
    case Reader::idform: return "idform";
    case Reader::yaml_cpp: return "yaml-cpp";
    case Reader::events: return "events";
  }
  return "";
}

int run(const Options& options) {
  std::vector<idform::config::YamlFile> idform_documents;
  std::vector<std::vector<YAML::Node>> yaml_documents;
  std::vector<nlohmann::json> json_documents;
  const std::vector<fs::path> files_to_parse = yaml_files(options.yaml_dir);
  long long bytes = 0, files = 0;
  for (const fs::path& file : files_to_parse) bytes += static_cast<long long>(fs::file_size(file));
  files = static_cast<long long>(files_to_parse.size());
  long long documents = options.reader == Reader::idform
                            ? parse_with_idform(files_to_parse, idform_documents)
                            : parse_with_yaml_cpp(files_to_parse, options.reader, yaml_documents);
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
                               {"reader", reader_name(options.reader)}})
                   .dump()
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--reader" && i + 1 < argc) {
      const std::string reader = argv[++i];
      if (reader == "idform") options.reader = Reader::idform;
      else if (reader == "yaml-cpp") options.reader = Reader::yaml_cpp;
      else if (reader == "events") options.reader = Reader::events;
      else {
        std::cerr << "bench-parse-floor: unknown reader " << reader << " (idform, yaml-cpp, events)\n";
        return 2;
      }
    } else if (arg == "--yaml-dir" && i + 1 < argc)
      options.yaml_dir = argv[++i];
    else if (arg == "--json" && i + 1 < argc)
      options.json_files.push_back(argv[++i]);
    else {
      std::cerr << "usage: bench-parse-floor [--reader idform|yaml-cpp|events] --yaml-dir DIR [--json FILE]...\n";
      return 2;
    }
  }
  if (options.yaml_dir.empty()) {
    std::cerr << "usage: bench-parse-floor [--reader idform|yaml-cpp|events] --yaml-dir DIR [--json FILE]...\n";
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
