#!/usr/bin/env bash
# `cmake --install --component sim` alone gives a working idp-sim: install it into a temporary
# prefix, copy the executable alone into an empty directory, start it over https with a generated
# authority, and do what docs/idp-sim.md's "Use it from any SDK" does with curl, trusting only
# that authority: a token, a group created, a paged list with an absolute https next link, a delta
# link; then the Okta flavor's token check and System Log.
# Usage: installed_sim_test.sh BUILD_DIR
set -euo pipefail
build_dir=$(cd "$1" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build_dir" --prefix "$work/prefix" --component sim >/dev/null
[ -x "$work/prefix/bin/idp-sim" ] || fail "bin/idp-sim was not installed"
[ ! -e "$work/prefix/bin/idform" ] || fail "the sim component installed idform too"
mkdir "$work/alone" && cp "$work/prefix/bin/idp-sim" "$work/alone/" && rm -rf "$work/prefix"

# Starts the copied idp-sim with FLAVOR and arguments; sets $port and $ca from its stdout.
start() {
  local out="$work/$1.out"
  (cd "$work/alone" && exec env -i PATH=/usr/bin:/bin TMPDIR="$work" ./idp-sim --flavor "$@" --port 0 --tls >"$out" 2>"$out.err") &
  pids+=($!)
  for _ in $(seq 100); do
    [ "$(wc -l <"$out")" -ge 2 ] && break
    sleep 0.1
  done
  port=$(sed -n 's|^idp-sim listening on https://127.0.0.1:\([0-9]*\).*|\1|p' "$out")
  ca=$(sed -n 's|^idp-sim CA certificate: ||p' "$out")
  [ -n "$port" ] && [ -f "$ca" ] || fail "idp-sim --flavor $1 did not start: $(cat "$out" "$out.err")"
}
call() { curl -sS --fail-with-body --cacert "$ca" "$@"; }

client=5a7b0000-1111-4222-8333-444455556666
start graph --client "$client:s3cret"
base="https://127.0.0.1:$port"
token=$(call -d grant_type=client_credentials -d client_id=$client -d client_secret=s3cret \
          -d scope=https://graph.microsoft.com/.default "$base/contoso.onmicrosoft.com/oauth2/v2.0/token" |
        sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "no access token"
for name in install-one install-two install-three; do
  call -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
       -d "{\"displayName\":\"$name\",\"mailEnabled\":false,\"mailNickname\":\"$name\",\"securityEnabled\":true}" \
       "$base/v1.0/groups" >/dev/null || fail "group $name not created"
done
page=$(call -H "Authorization: Bearer $token" "$base/v1.0/groups?\$top=2")
echo "$page" | grep -q "\"@odata.nextLink\":\"$base/v1.0/groups?" || fail "no absolute https next link: $page"
delta=$(call -H "Authorization: Bearer $token" "$base/v1.0/groups/delta")
echo "$delta" | grep -q '"@odata.deltaLink":"https://' || fail "no delta link: $delta"
if curl -sS -o /dev/null "$base/v1.0/groups" 2>/dev/null; then fail "curl trusted idp-sim without its authority"; fi

start okta --api-token 00install-token
base="https://127.0.0.1:$port"
[ "$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$ca" -H "Authorization: SSWS wrong" "$base/api/v1/groups")" = 401 ] ||
  fail "okta flavor accepted a wrong token"
call -H "Authorization: SSWS 00install-token" -H "Content-Type: application/json" \
     -d '{"profile":{"name":"install-demo"}}' "$base/api/v1/groups" >/dev/null || fail "okta group not created"
call -H "Authorization: SSWS 00install-token" "$base/api/v1/logs?limit=10" | grep -q '"eventType":"group.lifecycle.create"' ||
  fail "the System Log has no group.lifecycle.create event"
echo "installed idp-sim serves both flavors over https"
