#!/usr/bin/env bash
# The offline Pulumi environment, read from tools/engine/offline.env (its only definition).
#   source scripts/pulumi-env.sh          export it into the current shell
#   scripts/pulumi-env.sh CMD [ARGS...]   run one command in it
#   scripts/pulumi-env.sh                 print it as `export` lines
# NAME?=value lines keep a value the caller already set; the engine tests do not (tools/engine/env.ts).

_pulumi_ksc_env() {
  local root="$1" line name value op
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    if [ "${line#-}" != "$line" ]; then
      unset "${line#-}"
      continue
    fi
    name="${line%%=*}"
    value="${line#*=}"
    op="="
    if [ "${name%\?}" != "$name" ]; then
      name="${name%\?}"
      op="?="
    fi
    if [ "$op" = "?=" ] && [ -n "${!name:-}" ]; then
      continue
    fi
    value="${value//\{root\}/$root}"
    value="${value//\{PATH\}/$PATH}"
    export "$name=$value"
  done <"$root/tools/engine/offline.env"
}

_pulumi_ksc_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_pulumi_ksc_env "$_pulumi_ksc_root"
unset -f _pulumi_ksc_env
# The CLI refuses a file backend whose directory is missing ("unable to open state directory"): create the
# project's own (.pulumi-state/ on a fresh clone). A state directory elsewhere is the caller's to make.
case "${PULUMI_BACKEND_URL:-}" in
  "file://$_pulumi_ksc_root/"*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;;
esac

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  unset _pulumi_ksc_root
  if [ "$#" -gt 0 ]; then
    exec "$@"
  fi
  while IFS= read -r _line; do
    case "$_line" in '' | '#'*) continue ;; esac
    _name="${_line#-}"
    _name="${_name%%\?=*}"
    _name="${_name%%=*}"
    if [ "${_line#-}" != "$_line" ]; then
      echo "unset $_name"
    else
      printf 'export %s=%q\n' "$_name" "${!_name}"
    fi
  done <"$(cd "$(dirname "$0")/.." && pwd)/tools/engine/offline.env"
else
  unset _pulumi_ksc_root
fi
