#!/usr/bin/env bash
# Try idform against an emulated Microsoft Entra tenant in one command: starts idp-sim (Graph
# flavor) with a realistic seeded tenant, writes an idform.yaml with an entra target for it,
# imports the tenant as a config tree, plans (no changes), and says how to continue.
# Usage: scripts/try-entra.sh [DIR]   (default: a new temporary directory; needs ./scripts/bootstrap.sh first)
source "$(dirname "$0")/try-common.sh"
dir=${1:-$(mktemp -d)/try-entra}
try_setup graph "$dir"
# The generated tenant registers this throwaway client (bench/tenant/seed_writers.hpp).
export IDFORM_ENTRA_CLIENT_SECRET=bench-only-secret-for-idp-sim
cat >"$dir/config/idform.yaml" <<YAML
version: 1
default_target: entra-sim
targets:
  entra-sim:
    provider: entra
    tenant_id: 84841066-274d-4ec0-a5c1-276be684bdd3
    client_id: 0b3e5c1a-7d4f-4e2b-9a61-5c0d8e7f9a10
    graph_endpoint: $sim_url/v1.0
    authority: $sim_url
    auth: {method: client_secret, secret_env: IDFORM_ENTRA_CLIENT_SECRET}
YAML
try_import_and_plan "$dir" entra-sim
try_next_steps "$dir" tenant "export IDFORM_ENTRA_CLIENT_SECRET=bench-only-secret-for-idp-sim"
