#!/usr/bin/env bash
# Schedule: compare the console with the stack. `pulumi preview --refresh --expect-no-changes` exits 7 when the
# console no longer holds what the stack declares; this script then names each drifted resource and property
# (console value vs declared value) and exits 7. 0: no drift. Anything else: the preview itself failed.
set -uo pipefail
source "$(dirname "$0")/common.sh"
json="$(mktemp)"
trap 'rm -f "$json"' EXIT

"$PULUMI" preview --refresh --expect-no-changes --json --stack "$PULUMI_STACK" --non-interactive >"$json"
code=$?

if [ "$code" -eq 0 ]; then
  echo "No drift: the console holds what stack $PULUMI_STACK declares."
  echo "No drift on stack \`$PULUMI_STACK\`." | summary
  exit 0
fi
if [ "$code" -ne 7 ]; then
  echo "The drift check could not run: pulumi preview exited $code." >&2
  cat "$json" >&2
  exit "$code"
fi

# One line per resource the update would change: what differs between the console (refreshed state) and
# the declaration. Node is there anyway: the Pulumi program is TypeScript.
report="$(node - "$json" <<'JS'
const fs = require("fs");
const preview = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
// The engine's marker of a value only known after the update (e.g. an output of a resource it changes first).
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const show = (v) => (v === undefined ? "(none)" : v === UNKNOWN ? "(known after the update)" : JSON.stringify(v));
const lines = [];
for (const step of preview.steps ?? []) {
  // Refresh steps only read the console; replacements are named once, by their "replace" step.
  if (["same", "refresh", "create-replacement", "delete-replaced"].includes(step.op)) continue;
  if (step.urn.includes("::pulumi:pulumi:Stack::")) continue;
  const name = step.urn.split("::").pop();
  const type = step.urn.split("::")[2].split("$").pop().replace(/^pulumi-nodejs:dynamic\//, "");
  const console_ = step.oldState?.inputs ?? {};
  const declared = step.newState?.inputs ?? {};
  if (step.op === "create") {
    lines.push(`${type} ${name}: missing in the console (up would create it)`);
    continue;
  }
  if (step.op === "delete") {
    lines.push(`${type} ${name}: in the console but no longer declared (up would delete it)`);
    continue;
  }
  const keys = [...new Set([...Object.keys(console_), ...Object.keys(declared)])]
    .filter((k) => !k.startsWith("__") && k in declared)
    .filter((k) => JSON.stringify(console_[k]) !== JSON.stringify(declared[k]));
  const what = keys.map((k) => `${k}: console ${show(console_[k])}, declared ${show(declared[k])}`);
  lines.push(`${type} ${name} (${step.op}): ${what.join("; ") || "changed"}`);
}
process.stdout.write(lines.join("\n") + "\n");
JS
)"

echo "Drift on stack $PULUMI_STACK: the console differs from the declaration."
echo "$report" | sed 's/^/  /'
echo "Run \`PULUMI_RUN_PROGRAM=true pulumi refresh\` to record the console's values, then \`pulumi up\` to restore the declared ones."
{
  echo "### Drift on stack \`$PULUMI_STACK\`"
  echo
  echo "$report" | sed 's/^/- /'
} | summary
exit 7
