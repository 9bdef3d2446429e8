#!/usr/bin/env bash
# `make sdk`: the Python and Go SDKs of the ksc package, generated from schema.json by sdkgen (main.go) with the
# code generators of the pinned Pulumi version, then compile-checked (README.md beside this file).
#
#   SDK_OUT=<dir>     where to write python/ and go/ (default: sdk/ in the repository, git-ignored)
#   SDK_VENV=<dir>    the Python virtual environment of the check (default: sdk/.venv; made once, then reused)
#   SDK_CHECK=0       generate only
#   SDK_GENERATE=0    check only: the SDKs already in SDK_OUT, as they are
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${SDK_OUT:-$root/sdk}"
venv="${SDK_VENV:-$root/sdk/.venv}"
schema="$root/schema.json"

say() { printf 'make sdk: %s\n' "$*"; }
die() { printf 'make sdk: error: %s\n' "$*" >&2; exit 1; }
now() { date +%s%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", (b - a) / 1e9 }'; }

command -v go >/dev/null || die "go is needed (Go >= 1.26, as for the Pulumi CLI build)"
command -v python3 >/dev/null || die "python3 is needed for the Python SDK's check"
# The Pulumi version: its one source is tools/pulumi-cli/go.mod (the CLI); sdkgen's go.mod follows it.
version="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$root/tools/pulumi-cli/go.mod")"
[ -n "$version" ] || die "cannot read the github.com/pulumi/pulumi/pkg/v3 version from tools/pulumi-cli/go.mod"
export GOTOOLCHAIN=local CGO_ENABLED=0

pinned="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/go.mod")"
if [ "$pinned" != "$version" ]; then
  say "tools/sdkgen/go.mod has $pinned, the CLI $version: moving sdkgen to $version (commit go.mod and go.sum)"
  (cd "$here" && go get "github.com/pulumi/pulumi/pkg/v3@$version" && go mod tidy)
fi

if [ "${SDK_GENERATE:-1}" != 0 ]; then
  t="$(now)"
  mkdir -p "$out"
  (cd "$here" && GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=readonly" go build -o "$out/.sdkgen" .)
  say "built sdkgen with github.com/pulumi/pulumi/pkg/v3 $version in $(took "$t")"

  t="$(now)"
  "$out/.sdkgen" -schema "$schema" -out "$out" -sdk-version "$version"
  say "generated $out/python and $out/go in $(took "$t")"
fi
[ "${SDK_CHECK:-1}" = 0 ] && exit 0

t="$(now)"
# The mocks test is copied in for the check only (testdata/ is not part of sdkgen) and removed after it.
check_test="$out/go/ksc/sdkcheck_test.go"
cp "$here/testdata/sdkcheck_test.go" "$check_test"
trap 'rm -f "$check_test"' EXIT
(cd "$out/go" && go mod tidy && go vet ./... && go build ./... && go test -count=1 -v -run TestResourcesRegisterUnderMocks ./ksc)
rm -f "$check_test"
say "go SDK: go build ./..., go vet and go test (resources under mocks) passed in $(took "$t")"

t="$(now)"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
  say "python venv $venv with $(grep -v '^#' "$here/requirements.txt" | xargs) in $(took "$t")"
  t="$(now)"
fi
"$venv/bin/python" -m compileall -q "$out/python/pulumi_ksc"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation --force-reinstall "$out/python"
(cd "$out" && "$venv/bin/python" "$here/check.py" "$schema")
say "python SDK: compileall, install and import (resources under mocks) passed in $(took "$t")"
