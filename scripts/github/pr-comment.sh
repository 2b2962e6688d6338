#!/usr/bin/env bash
# Posts a markdown file as the pull request's idform comment for one target, or updates that
# comment in place: the body starts with a hidden marker naming the target and directory, and the
# comment carrying it is found again next time, so each target has exactly one comment.
# Usage: pr-comment.sh MARKDOWN_FILE KEY
#   KEY names the comment ("entra-prod" or "infra/idform:entra-prod"); GH_TOKEN, GITHUB_REPOSITORY
#   and PR_NUMBER come from the environment. Needs gh (preinstalled on GitHub's runners).
set -euo pipefail
markdown=$1
key=$2
: "${PR_NUMBER:?PR_NUMBER is not set (run on pull_request)}"
marker="<!-- idform-plan: $key -->"
body=$(mktemp)
trap 'rm -f "$body"' EXIT
{ echo "$marker"; cat "$markdown"; } >"$body"

existing=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
             --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body" >/dev/null
  echo "updated comment $existing for $key"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$body" >/dev/null
  echo "posted the comment for $key"
fi
