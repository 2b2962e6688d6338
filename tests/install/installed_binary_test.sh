#!/usr/bin/env bash
# An installed idform needs nothing from the tree it was built in: install the idform component
# into a temporary prefix, copy the executable alone into an empty directory, and run validate,
# plan and version on a copy of examples/acme with a bare environment. Where unprivileged mount
# namespaces are allowed, the source and build directories are also hidden under empty mounts
# while it runs, so reading anything from them would fail.
# Usage: installed_binary_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(cd "$1" && pwd)
build_dir=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" --component idform >/dev/null
for installed in bin/idform share/man/man1/idform.1 share/bash-completion/completions/idform \
                 share/zsh/vendor-completions/_idform; do
  [ -e "$work/prefix/$installed" ] || { echo "FAIL: $installed was not installed" >&2; exit 1; }
done
grep -q '^\.SH IDFORM PLAN' "$work/prefix/share/man/man1/idform.1" || { echo "FAIL: man page has no plan section" >&2; exit 1; }

mkdir "$work/alone"
cp "$work/prefix/bin/idform" "$work/alone/idform"
cp -r "$source_dir/examples/acme" "$work/acme"
rm -rf "$work/prefix"

# Runs the copied executable in the copy of the example, with nothing but PATH set.
cat > "$work/run.sh" <<'RUN'
#!/bin/sh
set -e
cd "$1/acme"
shift
exec env -i PATH=/usr/bin:/bin HOME="$PWD" IDFORM_TODAY=2026-11-29 "$@"
RUN
chmod +x "$work/run.sh"

# A sanitizer build's runtime options go through the bare environment too (env takes them as
# NAME=VALUE arguments); a suppression file they name is copied out of the source tree, which is
# hidden while the executable runs.
sanitizer_env=()
for name in ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS; do
  value=${!name:-}
  [ -n "$value" ] || continue
  if [[ $value =~ suppressions=([^:]+) ]]; then
    cp "${BASH_REMATCH[1]}" "$work/$name.supp"
    value=${value/"${BASH_REMATCH[1]}"/"$work/$name.supp"}
  fi
  sanitizer_env+=("$name=$value")
done

hidden=no
run() { "$work/run.sh" "$work" "${sanitizer_env[@]}" "$work/alone/idform" "$@"; }
if unshare --user --map-root-user --mount true 2>/dev/null; then
  hidden=yes
  run() {
    unshare --user --map-root-user --mount sh -c '
      mount -t tmpfs none "$1" || exit 97
      if [ -d "$2" ]; then mount -t tmpfs none "$2" || exit 97; fi
      [ ! -e "$1/schemas" ] || exit 97
      shift 2 && exec "$@"' sh "$source_dir" "$build_dir" "$work/run.sh" "$work" "${sanitizer_env[@]}" \
      "$work/alone/idform" "$@"
  }
fi

fail() { echo "FAIL: $*" >&2; exit 1; }
out=$(run validate) || fail "validate exited $?"
case $out in *"The configuration is valid"*) ;; *) fail "validate said: $out" ;; esac
out=$(run plan --no-color) || fail "plan exited $?"
case $out in *"Plan:"*) ;; *) fail "plan said: $out" ;; esac
out=$(run version --json) || fail "version exited $?"
case $out in *'"plan_format_version"'*'"provider_protocol_version"'*) ;; *) fail "version said: $out" ;; esac
echo "installed idform ran validate, plan and version from $work/alone (source and build hidden: $hidden)"
