#!/usr/bin/env bash
# Keeps one GitHub issue per target for drift: opens it (or updates its body) while the tenant
# differs from the configuration, and closes it with a comment once they match again. The issue
# is found again by a hidden marker at the start of its body.
# Usage: drift-issue.sh EXIT_CODE MARKDOWN_FILE KEY
#   EXIT_CODE is idform drift's (0 in line, 2 drift; anything else leaves the issue alone).
#   GH_TOKEN and GITHUB_REPOSITORY come from the environment (the job needs issues: write).
set -euo pipefail
code=$1
markdown=$2
key=$3
marker="<!-- idform-drift: $key -->"
existing=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues?state=open&per_page=100" \
             --jq ".[] | select(.pull_request == null) | select((.body // \"\") | startswith(\"$marker\")) | .number" |
           head -n 1)
case $code in
  2)
    body=$(mktemp)
    trap 'rm -f "$body"' EXIT
    { echo "$marker"; cat "$markdown"; echo; echo "_Updated by run ${GITHUB_RUN_ID:-?} of ${GITHUB_WORKFLOW:-idform drift}._"; } >"$body"
    if [ -n "$existing" ]; then
      gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/$existing" -F "body=@$body" >/dev/null
      echo "updated drift issue #$existing for $key"
    else
      gh api --method POST "repos/$GITHUB_REPOSITORY/issues" -f "title=idform drift: $key" -F "body=@$body" >/dev/null
      echo "opened a drift issue for $key"
    fi
    ;;
  0)
    if [ -n "$existing" ]; then
      gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$existing/comments" \
        -f "body=The tenant matches the configuration again (run ${GITHUB_RUN_ID:-?}); closing." >/dev/null
      gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/$existing" -f state=closed >/dev/null
      echo "closed drift issue #$existing for $key"
    fi
    ;;
  *)
    echo "idform drift failed (exit $code); the drift issue is left as it is"
    ;;
esac
