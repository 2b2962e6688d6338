#!/usr/bin/env bash
# Sets up a fresh Debian 12 (or Ubuntu) machine and builds idform: installs the Debian packages
# the build needs, fetches valijson's headers without its heavy dependencies, configures and builds.
# Usage: scripts/bootstrap.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

packages=(build-essential cmake pkg-config git ca-certificates dpkg-dev file curl
          libyaml-cpp-dev libgit2-dev libcurl4-openssl-dev nlohmann-json3-dev catch2
          libcpp-httplib-dev libssl-dev libjemalloc-dev
          libldap-dev slapd ldap-utils openssl
          python3)  # python3: the test plugin of tests/plugin/ (a plugin in another language)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  # slapd is for the ldap provider's tests, which start their own server: no default directory.
  echo "slapd slapd/no_configuration boolean true" | $sudo debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# valijson is header-only, but its Debian package depends on Qt and Poco for adapters we do not
# use; take just the headers.
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

# The developer and CI build: tests, idp-sim, and warnings as errors (a plain cmake build, such as
# a packager's, keeps warnings as warnings). Optimised without debug information and in unity
# batches, which keeps a full build on two cores near five minutes; CMAKE_BUILD_TYPE=Debug or
# IDFORM_UNITY_BUILD=OFF in the environment change either.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
      -DIDFORM_UNITY_BUILD="${IDFORM_UNITY_BUILD:-ON}" -DIDFORM_WERROR=ON \
      -DVALIJSON_INCLUDE_DIR="$PWD/$valijson_dir/usr/include" >&2
# IDFORM_CONFIGURE_ONLY=1 stops here, configured but not built (CI's style job needs only the
# compile commands; it configures with IDFORM_UNITY_BUILD=OFF so that they name each file).
[ "${IDFORM_CONFIGURE_ONLY:-0}" = 1 ] && exit 0
cmake --build "$build_dir" -j "$(nproc)" >&2
