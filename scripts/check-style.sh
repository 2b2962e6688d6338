#!/usr/bin/env bash
# Checks the C++ a change touches against .clang-format and .clang-tidy: only the lines it
# changed, so untouched code need not be reformatted or fixed first; clang-tidy compiles each
# changed .cpp file as the build does. Exits 1 on any finding. CI's style job runs it on every
# push and pull request.
# Usage: scripts/check-style.sh [BASE [BUILD_DIR]]
#   BASE       the revision the change is compared with (default: origin/main, else main)
#   BUILD_DIR  a configured build with compile_commands.json (default: build); clang-tidy is
#              skipped with a note when there is none
# clang-tidy 14 (Debian 12's default) cannot compile libstdc++ 12's std::expected, which every
# file uses, so clang-tidy-16 (also a Debian 12 package) is preferred.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-}
if [ -z "$base" ]; then
  base=main
  git rev-parse -q --verify origin/main >/dev/null && base=origin/main
fi
build_dir=${2:-build}
merge_base=$(git merge-base "$base" HEAD)

first_of() {
  for tool in "$@"; do command -v "$tool" >/dev/null && { command -v "$tool"; return; }; done
  echo "check-style: none of $* is installed" >&2
  exit 1
}

mapfile -t files < <(git diff --name-only --diff-filter=ACMR "$merge_base" -- '*.cpp' '*.hpp' | grep -v '/corpus/' || true)
if [ ${#files[@]} -eq 0 ]; then
  echo "check-style: no C++ file changed since $base"
  exit 0
fi
status=0

formatter=$(first_of clang-format-14 clang-format)
format_diff=$(first_of clang-format-diff-14 clang-format-diff)
reformatted=$(git diff -U0 --no-color "$merge_base" -- "${files[@]}" | "$format_diff" -p1 -binary "$formatter")
if [ -n "$reformatted" ]; then
  echo "check-style: these changed lines are not formatted as .clang-format says (apply with" \
       "'git diff -U0 $base | $format_diff -p1 -i'):"
  echo "$reformatted"
  status=1
fi

mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep '\.cpp$' | grep -v '^tests/fuzz/' || true)
if [ ${#sources[@]} -gt 0 ]; then
  if [ ! -f "$build_dir/compile_commands.json" ]; then
    echo "check-style: no $build_dir/compile_commands.json, clang-tidy skipped (configure a build first)"
  else
    tidy=$(first_of clang-tidy-16 clang-tidy-14 clang-tidy)
    tidy_diff=$(first_of clang-tidy-diff-16.py clang-tidy-diff-14.py clang-tidy-diff)
    # Findings on the changed lines only. The build's flags are GCC's: clang does not know GCC 12's
    # extra warning switches, calls C++23 "c++2b", and (before 17) reports C++20 concepts as
    # incomplete, which hides libstdc++'s std::expected unless told otherwise (as scripts/fuzz.sh
    # does).
    findings=$(git diff -U0 --no-color "$merge_base" -- "${sources[@]}" |
      "$tidy_diff" -p1 -path "$build_dir" -clang-tidy-binary "$tidy" -quiet -extra-arg=-Wno-unknown-warning-option \
        -extra-arg=-std=c++2b -extra-arg=-D__cpp_concepts=202002L -extra-arg=-Wno-macro-redefined 2>&1 || true)
    if grep -qE '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' <<<"$findings"; then
      echo "check-style: clang-tidy (.clang-tidy) on the changed lines:"
      echo "$findings"
      status=1
    fi
  fi
fi
[ $status -eq 0 ] && echo "check-style: ${#files[@]} changed file(s) pass clang-format and clang-tidy"
exit $status
