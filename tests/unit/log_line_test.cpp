// util::log_line: -v lines written from several threads at once come out whole, each timestamped.

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/util/log_line.hpp"

TEST_CASE("log lines from several threads are never interleaved", "[unit]") {
  char path[] = "/tmp/idform-log-line-XXXXXX";
  int file = mkstemp(path);
  REQUIRE(file >= 0);
  std::cerr.flush();
  int saved = dup(2);
  REQUIRE(dup2(file, 2) == 2);

  constexpr int kThreads = 8, kLines = 300;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([t] {
      for (int i = 0; i < kLines; ++i)
        idform::util::log_line("okta", "GET http://127.0.0.1/api/v1/groups/" + std::to_string(t) + "/users?limit=1000 -> 200 (" +
                                           std::to_string(i) + " ms)");
    });
  for (auto& thread : threads) thread.join();
  std::cerr.flush();
  dup2(saved, 2);
  close(saved);
  close(file);

  std::ifstream in(path);
  std::string line;
  int lines = 0;
  const std::regex whole(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z okta: GET http://127\.0\.0\.1/api/v1/groups/[0-7]/users\?limit=1000 -> 200 \(\d+ ms\))");
  while (std::getline(in, line)) {
    INFO(line);
    CHECK(std::regex_match(line, whole));
    ++lines;
  }
  std::remove(path);
  CHECK(lines == kThreads * kLines);
}
