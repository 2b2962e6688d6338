#!/usr/bin/env bash
# Checks the Debian packages CPack builds: installs them into a clean Debian 12 root (debootstrap)
# with dpkg -i, lets apt-get -f install pull in the dependencies the packages declare, and runs
# idform version, validate and plan on examples/acme, and idp-sim --help, inside that root. A
# missing or wrong dependency shows up as a failed install or a program that cannot start.
# Needs root, debootstrap and network access to a Debian mirror; takes a few minutes.
# Usage: scripts/check-deb.sh [BUILD_DIR]   (default: build; run `cpack -G DEB` there first)
#   DEBIAN_MIRROR overrides the mirror (default http://deb.debian.org/debian).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" -eq 0 ] || { echo "check-deb: run as root (debootstrap and chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "check-deb: install debootstrap (apt-get install debootstrap)" >&2; exit 1; }
shopt -s nullglob
debs=("$build_dir"/idform_*.deb "$build_dir"/idp-sim_*.deb)
[ ${#debs[@]} -gt 0 ] || { echo "check-deb: no .deb in $build_dir; run: (cd $build_dir && cpack -G DEB)" >&2; exit 1; }

root=$(mktemp -d /tmp/idform-check-deb.XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT

echo "check-deb: debootstrap bookworm (minbase) into $root" >&2
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || { cat "$root.log" >&2; exit 1; }
rm -f "$root.log"
mount -t proc proc "$root/proc" 2>/dev/null || true
mkdir -p "$root/check"
cp "${debs[@]}" "$root/check/"
cp -r examples/acme "$root/check/acme"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
echo "check-deb: dpkg -i ${debs[*]##*/}" >&2
# The root has none of the libraries the packages need, so dpkg leaves them unconfigured...
in_root sh -c 'dpkg -i /check/*.deb' >&2 || true
# ...and apt installs what they declare, then configures them.
in_root apt-get update -qq >&2
in_root apt-get -f install -y -qq --no-install-recommends >&2
in_root dpkg -s idform | grep -q '^Status: install ok installed' || { echo "check-deb: idform is not installed" >&2; exit 1; }

in_root idform version
in_root sh -c 'cd /check/acme && IDFORM_TODAY=2026-11-29 idform validate && IDFORM_TODAY=2026-11-29 idform plan --no-color' |
  tail -n 3
[ -e "$root/usr/share/man/man1/idform.1.gz" ] || [ -e "$root/usr/share/man/man1/idform.1" ] ||
  { echo "check-deb: no idform man page" >&2; exit 1; }
if ls "$root"/check/idp-sim_*.deb >/dev/null 2>&1; then
  in_root idp-sim --help | head -n 1
fi
echo "check-deb: the packages install into a clean Debian 12 and run" >&2
