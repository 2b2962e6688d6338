#include "reconciler/util/log_line.hpp"

#include <iostream>
#include <mutex>
#include <string>

namespace idform::util {

void log_line(std::string_view source, std::string_view text) {
  std::string line;
  line.reserve(source.size() + text.size() + 3);
  line.append(source).append(": ").append(text).push_back('\n');
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::cerr.write(line.data(), static_cast<std::streamsize>(line.size()));
  std::cerr.flush();
}

}  // namespace idform::util
