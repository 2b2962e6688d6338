#pragma once
// Rules of the source tree that no compiler checks, as functions over file text so that their own
// tests can show them failing: the opening purpose line of a .cpp file, and paths that leave the
// repository (which pass on the machine that wrote them and fail in anyone else's clone).

#include <filesystem>
#include <initializer_list>
#include <regex>
#include <string>
#include <vector>

namespace idform::testing {

// Repository-relative paths of the files under `root`/`folders` whose name ends with one of
// `endings`; fuzz corpora are left out (their inputs are data, not code).
inline std::vector<std::string> tree_files(const std::filesystem::path& root,
                                           std::initializer_list<const char*> folders,
                                           std::initializer_list<const char*> endings) {
  std::vector<std::string> out;
  for (const char* folder : folders) {
    if (!std::filesystem::exists(root / folder)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / folder)) {
      if (!entry.is_regular_file()) continue;
      std::string path = std::filesystem::relative(entry.path(), root).generic_string();
      if (path.find("/corpus/") != std::string::npos) continue;
      for (const char* ending : endings)
        if (path.ends_with(ending)) out.push_back(path);
    }
  }
  return out;
}

// The first line of `text` that is not blank.
inline std::string opening_line(const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string::npos) return line;
    start = end + 1;
  }
  return {};
}

// "FILE:LINE: names a path outside the repository: MATCH" for each line of `text` (the contents of
// `file`) that names one: an absolute path into a machine's home or work directories, a climb out
// of the source tree (IDFORM_SOURCE_DIR "/..", `/ ".."`, its parent_path()), a string literal that
// starts with "../" (relative to wherever the test runs), or the "shared" folder beside the checkout.
inline std::vector<std::string> paths_outside_repository(const std::string& file, const std::string& text) {
  static const std::regex kOutside(
      R"re("/(home|work|root|Users|opt|srv|mnt|media)/|IDFORM_SOURCE_DIR\s*"/\.\.|/\s*"\.\.(/[^"]*)?"|IDFORM_SOURCE_DIR\)?\s*\.parent_path\(\)|"\.\./|\.\./shared)re");
  std::vector<std::string> found;
  size_t start = 0;
  for (int line = 1; start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string content = text.substr(start, end - start);
    std::smatch match;
    if (std::regex_search(content, match, kOutside))
      found.push_back(file + ":" + std::to_string(line) + ": names a path outside the repository: " + match.str());
    start = end + 1;
  }
  return found;
}

// "FILE:LINE: decides by an error's message text: MATCH" for each line of `text` that searches or
// compares an Error's summary or detail (or a caught exception's what()), or spells one of our own error messages'
// fragments as a string to look for ("HTTP 429", "timed out", "authentication failed"). Callers
// decide by Error::category instead. A vendor's own error message (a GraphResponse's
// error_message()) is not an Error and is left to the provider that classifies it.
inline std::vector<std::string> message_text_decisions(const std::string& file, const std::string& text) {
  static const std::regex kDecision(
      R"re(([.>](summary|detail)|\bwhat\(\)|\blast_problem)\s*\)?\s*\.\s*(find|rfind|starts_with|ends_with|contains|compare)\s*\(|[.>](summary|detail)\s*[!=]=\s*"|(find|starts_with|ends_with|contains)\s*\(\s*"(HTTP [0-9]|timed out|authentication failed|internal error))re");
  std::vector<std::string> found;
  size_t start = 0;
  for (int line = 1; start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string content = text.substr(start, end - start);
    std::smatch match;
    if (std::regex_search(content, match, kDecision))
      found.push_back(file + ":" + std::to_string(line) + ": decides by an error's message text: " + match.str());
    start = end + 1;
  }
  return found;
}

}  // namespace idform::testing
