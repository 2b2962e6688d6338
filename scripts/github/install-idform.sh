#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): installs idform from a .deb, either downloaded
# (IDFORM_DEB_URL, a release asset) or built here from the action's own source and packaged with
# CPack (IDFORM_DEB_DIR caches it between runs). apt resolves the runtime libraries the package
# depends on. Works on Debian 12 and Ubuntu 24.04 runners and job containers (root or sudo).
# Environment: IDFORM_DEB_URL, IDFORM_SOURCE (the action's directory), IDFORM_DEB_DIR.
set -euo pipefail
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
deb_dir=${IDFORM_DEB_DIR:-${RUNNER_TEMP:-/tmp}/idform-deb}
mkdir -p "$deb_dir"

if [ -n "${IDFORM_DEB_URL:-}" ]; then
  curl -fsSL --retry 3 -o "$deb_dir/idform.deb" "$IDFORM_DEB_URL"
elif ! ls "$deb_dir"/idform_*.deb >/dev/null 2>&1; then
  source=${IDFORM_SOURCE:?IDFORM_SOURCE is not set}
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends build-essential cmake pkg-config git ca-certificates \
    dpkg-dev file libyaml-cpp-dev libgit2-dev libcurl4-openssl-dev nlohmann-json3-dev libssl-dev libjemalloc-dev >/dev/null
  build=$(mktemp -d)
  # valijson is header-only; its Debian package would pull in Qt and Poco, so take just the headers.
  (cd "$build" && apt-get download -qq libvalijson-dev && dpkg -x libvalijson-dev_*.deb valijson)
  cmake -S "$source" -B "$build/out" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DIDFORM_WITH_SIM=OFF \
        -DVALIJSON_INCLUDE_DIR="$build/valijson/usr/include" >/dev/null
  cmake --build "$build/out" -j "$(nproc)"
  (cd "$build/out" && cpack -G DEB >/dev/null)
  cp "$build/out"/idform_*.deb "$deb_dir/"
  rm -rf "$build"
fi
deb=$(ls "$deb_dir"/idform*.deb | head -n 1)
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
idform version
