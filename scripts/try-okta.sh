#!/usr/bin/env bash
# Try idform against an emulated Okta org in one command: starts idp-sim (Okta flavor) with a
# realistic seeded org, writes an idform.yaml with an okta target for it, imports the org as a
# config tree, plans (no changes), and says how to continue.
# Usage: scripts/try-okta.sh [DIR]   (default: a new temporary directory; needs ./scripts/bootstrap.sh first)
source "$(dirname "$0")/try-common.sh"
dir=${1:-$(mktemp -d)/try-okta}
try_setup okta "$dir"
# The generated org accepts this throwaway API token (bench/tenant/seed_writers.hpp).
export IDFORM_OKTA_API_TOKEN=00benchOnlyTokenForIdpSim000000000000000
cat >"$dir/config/idform.yaml" <<YAML
version: 1
default_target: okta-sim
targets:
  okta-sim:
    provider: okta
    org_url: $sim_url
    auth: {method: api_token, token_env: IDFORM_OKTA_API_TOKEN}
YAML
try_import_and_plan "$dir" okta-sim
try_next_steps "$dir" org "export IDFORM_OKTA_API_TOKEN=00benchOnlyTokenForIdpSim000000000000000"
