#!/usr/bin/env bash
# Pull request: what `pulumi up` would change, as reviewers read it (`pulumi preview --diff`), written to
# $PREVIEW_FILE (default pulumi-preview.md) as markdown for a PR comment. Exits with the preview's exit code.
set -uo pipefail
out="${PREVIEW_FILE:-pulumi-preview.md}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
source "$(dirname "$0")/common.sh"
text="$(mktemp)"
trap 'rm -f "$text"' EXIT

"$PULUMI" preview --diff "${PULUMI_TEXT_ARGS[@]}" >"$text" 2>&1
code=$?
cat "$text"

# A PR comment holds at most 65536 characters.
limit=60000
{
  echo "<!-- pulumi-ksc preview: $PULUMI_STACK -->"
  if [ "$code" -eq 0 ]; then
    echo "### \`pulumi preview --diff\` of stack \`$PULUMI_STACK\`"
  else
    echo "### \`pulumi preview --diff\` of stack \`$PULUMI_STACK\` failed (exit code $code)"
  fi
  echo
  echo '```diff'
  head -c "$limit" "$text"
  [ "$(wc -c <"$text")" -gt "$limit" ] && printf '\n… (cut: the full text is in the job log)'
  echo
  echo '```'
} >"$out"
summary <"$out"
exit "$code"
