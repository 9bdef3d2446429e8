#!/usr/bin/env bash
# `make pulumi`, CLI part: puts the Pulumi CLI pinned in go.mod into bin/, and the Node.js language host
# next to it when it can be had. Does nothing when bin/ already holds that version. See README.md.
#
#   PULUMI_CLI=/path/to/pulumi      use this CLI instead of building one (linked into bin/)
#   PULUMI_LANGUAGE_HOST_REF=<rev>  commit or pseudo-version of the language host to try (default: latest)
#   LANGUAGE_HOST_RETRY=1           probe the Go module proxy for the language host again
#   PULUMI_KSC_BIN=<dir>            fill this directory instead of bin/ (tests)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${PULUMI_KSC_BIN:-$root/bin}"
# The pinned version: the one source of truth is go.mod.
version="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/go.mod")"
langhost_module="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
langhost="$bin/pulumi-language-nodejs"
langhost_stamp="$bin/.pulumi-language-nodejs"   # "<cli version> built|linked|unavailable"
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"

say() { printf 'make pulumi: %s\n' "$*"; }
die() { printf 'make pulumi: error: %s\n' "$*" >&2; exit 1; }

dynprov="pulumi-resource-pulumi-nodejs"
sdk_dynprov="$root/node_modules/@pulumi/pulumi/$dynprov"

[ -n "$version" ] || die "cannot read the github.com/pulumi/pulumi/pkg/v3 version from $here/go.mod"
[ -x "$sdk_dynprov" ] || die "node_modules/@pulumi/pulumi is missing: run make install"
mkdir -p "$bin"

cli_version() { "$1" version 2>/dev/null | head -n 1 || true; }

# A `pulumi` on PATH other than our own bin/pulumi.
system_pulumi() {
  local dir
  local IFS=:
  for dir in $PATH; do
    [ -n "$dir" ] || continue
    [ "$(cd "$dir" 2>/dev/null && pwd -P)" = "$(cd "$bin" && pwd -P)" ] && continue
    if [ -x "$dir/pulumi" ] && [ ! -d "$dir/pulumi" ]; then
      echo "$dir/pulumi"
      return 0
    fi
  done
  return 1
}

go_env() {
  # local toolchain only (no toolchain download); static binary like the release builds; never
  # rewrite go.mod/go.sum during a build.
  env GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=readonly" "$@"
}

# Links an installed CLI (and its language host, if it ships one) into bin/.
link_cli() {
  local cli dir
  cli="$(readlink -f "$1")"
  rm -f "$bin/pulumi" "$langhost" "$langhost_stamp"
  ln -s "$cli" "$bin/pulumi"
  say "linked bin/pulumi -> $cli ($(cli_version "$cli"))"
  for dir in "$(dirname "$1")" "$(dirname "$cli")"; do
    if [ -x "$dir/pulumi-language-nodejs" ]; then
      ln -s "$(readlink -f "$dir/pulumi-language-nodejs")" "$langhost"
      echo "$version linked" >"$langhost_stamp"
      say "linked bin/pulumi-language-nodejs -> $dir/pulumi-language-nodejs"
      return 0
    fi
  done
}

build_cli() {
  command -v go >/dev/null ||
    die "Go is needed to build the Pulumi CLI $version; or put pulumi $version on PATH, or set PULUMI_CLI=/path/to/pulumi"
  say "building the Pulumi CLI $version from the Go module proxy ($(go version | cut -d' ' -f3); a cold build takes several minutes)"
  local start=$SECONDS
  rm -f "$bin/pulumi" "$bin/pulumi.tmp" "$langhost" "$langhost_stamp"
  (cd "$here" && go_env go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
    -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv -f "$bin/pulumi.tmp" "$bin/pulumi"
  say "built bin/pulumi $(cli_version "$bin/pulumi") in $((SECONDS - start)) s ($(du -h "$bin/pulumi" | cut -f1))"
}

# The language host module has no version tags, so it can only be fetched by commit; whether that
# works depends on the module proxy (README.md). When it does not, bin/pulumi-ksc-run serves the
# program itself.
build_language_host() {
  local ref="${PULUMI_LANGUAGE_HOST_REF:-latest}" tmp out
  if ! command -v go >/dev/null; then
    echo "$version unavailable" >"$langhost_stamp"
    say "no Go toolchain: not building pulumi-language-nodejs (bin/pulumi-ksc-run serves programs instead)"
    return 0
  fi
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN
  cp "$here/go.mod" "$here/go.sum" "$tmp/"
  if ! out="$(cd "$tmp" && timeout 60 env GOTOOLCHAIN=local GOFLAGS=-mod=mod go list -m "$langhost_module@$ref" 2>&1)"; then
    echo "$version unavailable" >"$langhost_stamp"
    say "pulumi-language-nodejs is not available from the Go module proxy; bin/pulumi-ksc-run serves programs instead."
    say "  go list -m $langhost_module@$ref: $(echo "$out" | tr '\n' ' ' | cut -c1-300)"
    say "  (probed once per CLI version; LANGUAGE_HOST_RETRY=1 make pulumi probes again)"
    return 0
  fi
  say "building pulumi-language-nodejs ${out##* } (resolved from @$ref)"
  if (cd "$tmp" && env GOTOOLCHAIN=local GOFLAGS=-mod=mod go get "$langhost_module@$ref" &&
    env GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "$ldflags" -o "$langhost.tmp" "$langhost_module"); then
    mv -f "$langhost.tmp" "$langhost"
    echo "$version built" >"$langhost_stamp"
    say "built bin/pulumi-language-nodejs"
  else
    rm -f "$langhost.tmp"
    echo "$version unavailable" >"$langhost_stamp"
    say "building pulumi-language-nodejs failed (see above); bin/pulumi-ksc-run serves programs instead"
  fi
}

# 1. The CLI.
if [ "$(cli_version "$bin/pulumi")" = "$version" ] && [ -z "${PULUMI_CLI:-}" ]; then
  say "bin/pulumi $version is up to date"
elif [ -n "${PULUMI_CLI:-}" ]; then
  [ -x "$PULUMI_CLI" ] || die "PULUMI_CLI=$PULUMI_CLI is not an executable"
  found="$(cli_version "$PULUMI_CLI")"
  [ "$found" = "$version" ] || say "warning: PULUMI_CLI is $found, the project pins $version"
  link_cli "$PULUMI_CLI"
elif system="$(system_pulumi)" && [ "$(cli_version "$system")" = "$version" ]; then
  link_cli "$system"
else
  build_cli
fi

# 2. The language host (optional).
stamp="$(cat "$langhost_stamp" 2>/dev/null || true)"
if [ -x "$langhost" ] && [ "${stamp%% *}" = "$version" ]; then
  say "bin/pulumi-language-nodejs is ${stamp#* } for $version"
elif [ "$stamp" = "$version unavailable" ] && [ -z "${LANGUAGE_HOST_RETRY:-}" ]; then
  say "pulumi-language-nodejs unavailable for $version (probed before): bin/pulumi-ksc-run serves programs"
else
  rm -f "$langhost"
  build_language_host
fi

# 3. The dynamic-provider plugin. The engine takes it from PATH (bin/ comes first there) and warns "using
# pulumi-resource-pulumi-nodejs from $PATH at … expected …" on every plugin load unless that file, symlinks
# resolved, is the one next to the running CLI (the real file behind bin/pulumi; workspace.getPluginInfoAndPath of
# the Pulumi SDK). An installed CLI ships its own: bin/ links to exactly that file. A built CLI has none: bin/ gets
# a copy of the one in @pulumi/pulumi, a real file beside the real bin/pulumi (a symlink would resolve elsewhere
# and warn whenever PATH spells bin/ through another symlink). Both are the same four-line script, which runs
# the @pulumi/pulumi of the program's directory.
cli_dir="$(dirname "$(readlink -f "$bin/pulumi")")"
rm -f "$bin/$dynprov"
if [ "$cli_dir" != "$(cd "$bin" && pwd -P)" ] && [ -x "$cli_dir/$dynprov" ]; then
  ln -s "$cli_dir/$dynprov" "$bin/$dynprov"
  say "linked bin/$dynprov -> $cli_dir/$dynprov (the CLI's own)"
else
  cp "$sdk_dynprov" "$bin/$dynprov"
  chmod 755 "$bin/$dynprov"
  say "copied bin/$dynprov from @pulumi/pulumi"
fi

# 4. The Pulumi YAML language host, pinned in ../pulumi-yaml/go.mod (its own module: adding it to go.mod here would
# let minimal version selection move the CLI's dependencies). Built with Go, or linked from next to an installed CLI
# that ships it; without either, YAML programs cannot run (everything else works).
yaml_module="github.com/pulumi/pulumi-yaml"
yaml_dir="$root/tools/pulumi-yaml"
yaml_version="$(awk -v m="$yaml_module" '$1 == m { print $2 }' "$yaml_dir/go.mod")"
yamlhost="$bin/pulumi-language-yaml"
yaml_stamp="$bin/.pulumi-language-yaml"   # "<version> built|linked"
[ -n "$yaml_version" ] || die "cannot read the $yaml_module version from $yaml_dir/go.mod"
if [ -x "$yamlhost" ] && [ "$(cut -d' ' -f1 "$yaml_stamp" 2>/dev/null)" = "$yaml_version" ]; then
  say "bin/pulumi-language-yaml $yaml_version is up to date"
elif [ "$cli_dir" != "$(cd "$bin" && pwd -P)" ] && [ -x "$cli_dir/pulumi-language-yaml" ]; then
  rm -f "$yamlhost"
  ln -s "$cli_dir/pulumi-language-yaml" "$yamlhost"
  echo "$yaml_version linked" >"$yaml_stamp"
  say "linked bin/pulumi-language-yaml -> $cli_dir/pulumi-language-yaml (the CLI's own)"
elif command -v go >/dev/null; then
  say "building pulumi-language-yaml $yaml_version from the Go module proxy"
  start=$SECONDS
  rm -f "$yamlhost" "$yamlhost.tmp" "$yaml_stamp"
  if (cd "$yaml_dir" && go_env go build -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w" \
    -o "$yamlhost.tmp" "$yaml_module/cmd/pulumi-language-yaml"); then
    mv -f "$yamlhost.tmp" "$yamlhost"
    echo "$yaml_version built" >"$yaml_stamp"
    say "built bin/pulumi-language-yaml in $((SECONDS - start)) s ($(du -h "$yamlhost" | cut -f1))"
  else
    rm -f "$yamlhost.tmp"
    say "building pulumi-language-yaml failed (see above): Pulumi YAML programs (examples/yaml-push-server) cannot run"
  fi
else
  say "no Go toolchain and no pulumi-language-yaml beside the CLI: Pulumi YAML programs (examples/yaml-push-server) cannot run"
fi
