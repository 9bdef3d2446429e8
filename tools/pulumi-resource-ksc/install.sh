#!/usr/bin/env bash
# `make pulumi`, native plugin part: installs pulumi-resource-ksc into the offline environment's plugin cache
# (PULUMI_HOME, tools/engine/offline.env) as a one-file plugin that runs this repository's compiled plugin
# (provider/dist/native/main.js, built by `make build`). Installed, not put on PATH: the engine warns "using
# pulumi-resource-ksc from $PATH" on every run for a plugin it finds there. The version is the package's
# (provider/package.json), which the plugin also reports. docs/native-plugin.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(node -p 'require(process.argv[1]).version' "$root/provider/package.json")"
main="$root/provider/dist/native/main.js"
say() { printf 'make pulumi: %s\n' "$*"; }

[ -f "$main" ] || { echo "make pulumi: error: $main is missing: run make build" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
launcher="$tmp/pulumi-resource-ksc"
cat >"$launcher" <<SCRIPT
#!/bin/sh
# pulumi-resource-ksc $version, installed by tools/pulumi-resource-ksc/install.sh: the plugin of $root
exec node "$main" "\$@"
SCRIPT
chmod 755 "$launcher"
# The same launcher as installed before: nothing to do (the plugin itself is the compiled code it points to).
installed="$("$root/scripts/pulumi-env.sh" bash -c 'echo "$PULUMI_HOME"')/plugins/resource-ksc-v$version/pulumi-resource-ksc"
if [ -f "$installed" ] && cmp -s "$launcher" "$installed"; then
  say "pulumi-resource-ksc $version is installed"
  exit 0
fi
if ! out="$("$root/scripts/pulumi-env.sh" pulumi plugin install resource ksc "$version" -f "$launcher" --reinstall 2>&1)"; then
  printf '%s\n' "$out" >&2
  exit 1
fi
say "installed pulumi-resource-ksc $version (runs provider/dist/native/main.js)"
