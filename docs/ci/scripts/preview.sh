#!/usr/bin/env bash
# Pull request: what `pulumi up` would change, as reviewers read it (`pulumi preview --diff`), written to
# $PREVIEW_FILE (default pulumi-preview.md) as markdown for a PR comment. Exits with the preview's exit code.
# With $POLICY_PACK (a policy pack directory, e.g. policy), the preview runs it: a mandatory violation fails the
# preview, and the violations are part of the text; $POLICY_PACK_CONFIG sets its rules' enforcement levels.
set -uo pipefail
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
out="$(abs "${PREVIEW_FILE:-pulumi-preview.md}")"
policy_args=()
[ -n "${POLICY_PACK:-}" ] && policy_args+=(--policy-pack "$(abs "$POLICY_PACK")")
[ -n "${POLICY_PACK_CONFIG:-}" ] && policy_args+=(--policy-pack-config "$(abs "$POLICY_PACK_CONFIG")")
source "$(dirname "$0")/common.sh"
text="$(mktemp)"
trap 'rm -f "$text"' EXIT

"$PULUMI" preview --diff "${PULUMI_TEXT_ARGS[@]}" "${policy_args[@]}" >"$text" 2>&1
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
