#!/usr/bin/env bash
# Merge to main: apply the stack (`pulumi up --yes`), then print its outputs.
set -euo pipefail
source "$(dirname "$0")/common.sh"

"$PULUMI" up --yes --diff "${PULUMI_TEXT_ARGS[@]}"
echo
echo "Stack outputs ($PULUMI_STACK):"
"$PULUMI" stack output --stack "$PULUMI_STACK"
