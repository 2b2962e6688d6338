#!/usr/bin/env bash
# Builds idform's libFuzzer targets (tests/fuzz) with Debian 12's clang 16 and runs each one for
# SECONDS seconds (default 20) from its seed corpus in tests/fuzz/corpus/. Exits non-zero when any
# target crashes, leaks, hangs or trips a sanitizer; the input that did it is left under
# BUILD_DIR/artifacts/ (add it to the target's corpus as crash-NAME once fixed).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (build directory: $FUZZ_BUILD_DIR, default build-fuzz)
# Installs what it needs (clang-16, libclang-rt-16-dev and the build's own packages) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(yaml_loader project_file plan_file sandbox http_headers vendor_pages)
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}

packages=(clang-16 libclang-rt-16-dev make cmake pkg-config libyaml-cpp-dev libgit2-dev libcurl4-openssl-dev
          nlohmann-json3-dev libssl-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "fuzz: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# valijson's headers, as scripts/bootstrap.sh takes them.
valijson_dir="$build_dir/_deps/valijson"
if [ ! -f "$valijson_dir/usr/include/valijson/validator.hpp" ]; then
  if [ -f /usr/include/valijson/validator.hpp ]; then
    mkdir -p "$valijson_dir/usr" && ln -sfn /usr/include "$valijson_dir/usr/include"
  else
    mkdir -p "$valijson_dir"
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq libvalijson-dev >&2)
    dpkg -x "$tmp"/libvalijson-dev_*.deb "$valijson_dir"
    rm -rf "$tmp"
  fi
fi

# -O1 with line tables (readable stacks) and unity batches: a sanitizer build at -O2 -g of the
# whole engine took most of an hour on two busy cores.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" \
      -DCMAKE_CXX_COMPILER=clang++-16 -DIDFORM_UNITY_BUILD=ON -DIDFORM_FUZZ=ON -DIDFORM_WITH_SIM=OFF \
      -DBUILD_TESTING=OFF -DVALIJSON_INCLUDE_DIR="$PWD/$valijson_dir/usr/include" >&2
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" >&2

mkdir -p "$build_dir/artifacts"
# Undefined behaviour stops the run like a crash (by default UBSan reports and carries on).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=()
for target in "${targets[@]}"; do
  work="$build_dir/corpus/$target"  # new inputs go here, never into the repository
  mkdir -p "$work"
  echo "fuzz: $target for ${seconds}s" >&2
  if ! "$build_dir/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-" \
       "$work" "tests/fuzz/corpus/$target" 2> "$build_dir/artifacts/$target.log"; then
    failed+=("$target")
    tail -n 40 "$build_dir/artifacts/$target.log" >&2
  else
    grep -E "^(stat::number_of_executed_units|Done)" "$build_dir/artifacts/$target.log" >&2 || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs under $build_dir/artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash" >&2
