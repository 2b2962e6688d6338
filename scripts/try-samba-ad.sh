#!/usr/bin/env bash
# Shows the ldap provider's Active Directory dialect against a real Samba AD domain controller:
# provisions a throwaway domain (ad.example.test) in a temporary directory, starts Samba with
# only its LDAP server, on loopback only, adds two users and a group, and runs the hidden test
# case "[.samba-ad]" of idform_ldap_tests (create, members, rename, delete, paged reads). Samba
# is stopped and the directory removed at the end. About a minute, most of it provisioning.
#
# Needs root (Samba's LDAP server listens on 127.0.0.1:389 and :636, which must be free), a build
# (./scripts/bootstrap.sh), and the Debian packages samba-ad-dc and samba-ad-provision, which
# bootstrap does not install (only this script uses them):
#   apt-get install --no-install-recommends samba-ad-dc samba-ad-provision ldap-utils
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tests=${IDFORM_BUILD_DIR:-$repo/build}/providers/ldap/idform_ldap_tests
for program in "$tests" /usr/bin/samba-tool /usr/sbin/samba /usr/bin/ldapadd; do
  [ -x "$program" ] || { echo "try-samba-ad: $program is missing (see the comment at the top)" >&2; exit 1; }
done
if ldapsearch -x -H ldap://127.0.0.1 -s base -b "" >/dev/null 2>&1; then
  echo "try-samba-ad: something already answers on 127.0.0.1:389" >&2
  exit 1
fi
password='Idform-Samba-1!'
dir=$(mktemp -d /tmp/idform-samba-XXXXXX)
samba_pid=""
cleanup() {
  [ -n "$samba_pid" ] && kill -- "-$samba_pid" 2>/dev/null && sleep 1
  rm -rf "$dir"
}
trap cleanup EXIT

echo "try-samba-ad: provisioning ad.example.test in $dir" >&2
samba-tool domain provision --targetdir="$dir" --realm=AD.EXAMPLE.TEST --domain=ADTEST --server-role=dc \
  --dns-backend=NONE --host-name=dc1 --adminpass="$password" \
  --option="interfaces=lo" --option="bind interfaces only=yes" --option="server services=ldap" \
  --option="log file=$dir/log.%m" >"$dir/provision.log" 2>&1 || { tail -20 "$dir/provision.log" >&2; exit 1; }
# Simple binds over plain LDAP, allowed only because this Samba listens on loopback alone.
sed -i 's/^\[global\]$/[global]\n\tldap server require strong auth = no/' "$dir/etc/smb.conf"

setsid samba -i -s "$dir/etc/smb.conf" >"$dir/samba.log" 2>&1 &
samba_pid=$!
ready=""
for _ in $(seq 1 240); do
  if ldapsearch -x -H ldap://127.0.0.1 -D Administrator@ad.example.test -w "$password" \
    -b DC=ad,DC=example,DC=test -s base dn >/dev/null 2>&1; then
    ready=yes
    break
  fi
  kill -0 "$samba_pid" 2>/dev/null || { cat "$dir/samba.log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$ready" ] || { echo "try-samba-ad: Samba did not answer within 2 minutes; see $dir/samba.log" >&2; exit 1; }
echo "try-samba-ad: Samba's LDAP server answers on ldap://127.0.0.1" >&2

ldapadd -x -H ldap://127.0.0.1 -D Administrator@ad.example.test -w "$password" >/dev/null <<'LDIF'
dn: OU=People,DC=ad,DC=example,DC=test
objectClass: organizationalUnit
ou: People

dn: OU=Groups,DC=ad,DC=example,DC=test
objectClass: organizationalUnit
ou: Groups

dn: CN=alice,OU=People,DC=ad,DC=example,DC=test
objectClass: user
sAMAccountName: alice
userPrincipalName: alice@ad.example.test

dn: CN=bob,OU=People,DC=ad,DC=example,DC=test
objectClass: user
sAMAccountName: bob
userPrincipalName: bob@ad.example.test

dn: CN=oncall,OU=Groups,DC=ad,DC=example,DC=test
objectClass: group
sAMAccountName: oncall
member: CN=bob,OU=People,DC=ad,DC=example,DC=test
LDIF

IDFORM_TEST_AD_URL=ldap://127.0.0.1 IDFORM_TEST_AD_PASSWORD="$password" "$tests" "[.samba-ad]"
