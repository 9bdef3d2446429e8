#!/usr/bin/env bash
# The main job, from a fresh clone: install, build, start the KSC console emulator in the background (HTTPS),
# and deploy examples/push-server-basic to it with `pulumi up` on the project's local backend.
#
#   scripts/demo.sh [up]    (make demo)        everything above; run again at any time
#   scripts/demo.sh stop    (make demo-stop)   stop the emulator (its state stays in .emulator/)
#   scripts/demo.sh clean   (make demo-clean)  destroy the demo stack, stop the emulator, delete .emulator/
#
# PORT (default 13299, the Open API port of a real Administration Server) picks the emulator's port.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
port="${PORT:-13299}"
stack="demo"
example="$root/examples/push-server-basic"
emu_dir="$root/.emulator"
pid_file="$emu_dir/emulator.pid"
port_file="$emu_dir/emulator.port"
log_file="$emu_dir/emulator.log"
state_file="$emu_dir/state.json"
ca_file="$emu_dir/ksc-emulator-ca.pem"
# The emulator's login (emulator/README.md): a demo account, not a secret.
ksc_user="admin"
ksc_password="KscEmulator-Pa55"

if [ -t 1 ]; then
  say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }
else
  say() { printf 'demo: %s\n' "$*"; }
fi
die() {
  printf 'demo: error: %s\n' "$*" >&2
  exit 1
}

# ---- prerequisites ----

check_prerequisites() {
  local missing=() pinned node_version
  pinned="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' tools/pulumi-cli/go.mod)"
  if ! command -v node >/dev/null 2>&1; then
    missing+=("Node.js >= 20.12 (https://nodejs.org) is not installed")
  else
    node_version="$(node --version)"
    if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 12) ? 0 : 1)'; then
      missing+=("Node.js >= 20.12 is needed, found $node_version")
    fi
  fi
  command -v npm >/dev/null 2>&1 || missing+=("npm (comes with Node.js) is not installed")
  command -v make >/dev/null 2>&1 || missing+=("make is not installed")
  # The Pulumi CLI: already in bin/, given by PULUMI_CLI, installed at the pinned version, or built with Go.
  if ! { [ -x bin/pulumi ] && [ "$(bin/pulumi version 2>/dev/null)" = "$pinned" ]; }; then
    if [ -n "${PULUMI_CLI:-}" ]; then
      [ -x "$PULUMI_CLI" ] || missing+=("PULUMI_CLI=$PULUMI_CLI is not an executable")
    elif command -v pulumi >/dev/null 2>&1 && [ "$(pulumi version 2>/dev/null)" = "$pinned" ]; then
      :
    elif command -v go >/dev/null 2>&1 &&
      go version | awk '{ split(substr($3, 3), v, "."); exit !(v[1] > 1 || (v[1] == 1 && v[2] >= 26)) }'; then
      say "the Pulumi CLI $pinned will be built with Go (several minutes the first time)"
    else
      missing+=("the Pulumi CLI: install Go >= 1.26 (to build it) or Pulumi CLI $pinned (https://www.pulumi.com/docs/install/)")
    fi
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    printf 'demo: cannot start, missing:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
  fi
}

# ---- the emulator ----

# The pid of our running emulator, if any (the pid file may be stale or reused by another program).
emulator_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  [ -n "$pid" ] || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q "emulator/dist/main.js" || return 1
  echo "$pid"
}

# Waits until the emulator answers GET /status.json over HTTPS with its own CA.
wait_until_answering() {
  local url="$1" pid="$2"
  for _ in $(seq 1 60); do
    if node -e '
      const https = require("https");
      const [url, ca] = process.argv.slice(1);
      https.get(`${url}/status.json`, { ca: require("fs").readFileSync(ca), timeout: 2000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1))
        .on("error", () => process.exit(1));' "$url" "$ca_file" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  return 1
}

start_emulator() {
  local pid url
  mkdir -p "$emu_dir"
  if pid="$(emulator_pid)"; then
    port="$(cat "$port_file")"
    say "the emulator is already running (pid $pid) on https://127.0.0.1:$port"
    wait_until_answering "https://127.0.0.1:$port" "$pid" || die "the emulator (pid $pid) does not answer; see $log_file, or run make demo-stop"
    return 0
  fi
  if ! node -e 'const s = require("net").createServer(); s.once("error", () => process.exit(1)); s.listen(+process.argv[1], "127.0.0.1", () => s.close());' "$port"; then
    die "port $port is in use by another program: pick another one, e.g. make demo PORT=13399"
  fi
  say "starting the KSC console emulator on https://127.0.0.1:$port (log: ${log_file#"$root"/})"
  # In its own session (setsid, or nohup where there is none): it outlives this script and make, and a Ctrl-C
  # here does not stop it.
  local detach=nohup
  command -v setsid >/dev/null 2>&1 && detach=setsid
  "$detach" node emulator/dist/main.js --port "$port" --data-dir "$emu_dir" --state-file "$state_file" \
    >>"$log_file" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pid_file"
  echo "$port" >"$port_file"
  url="https://127.0.0.1:$port"
  if ! wait_until_answering "$url" "$pid"; then
    tail -n 20 "$log_file" >&2 || true
    die "the emulator did not start (see $log_file)"
  fi
}

stop_emulator() {
  local pid
  if ! pid="$(emulator_pid)"; then
    rm -f "$pid_file"
    say "the emulator is not running"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -0 "$pid" 2>/dev/null && die "the emulator (pid $pid) did not stop"
  rm -f "$pid_file"
  if [ "${1:-}" = "keep-state" ]; then
    say "stopped the emulator (pid $pid); its state stays in ${state_file#"$root"/} for the next make demo"
  else
    say "stopped the emulator (pid $pid)"
  fi
}

# ---- Pulumi ----

# The project's offline environment, on the project's local backend (.pulumi-state) whatever the shell has.
pulumi_env() {
  unset PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE PULUMI_CONFIG_PASSPHRASE_FILE
  # shellcheck source=scripts/pulumi-env.sh
  source "$root/scripts/pulumi-env.sh"
  # A file backend's directory must exist.
  case "$PULUMI_BACKEND_URL" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
}

stack_exists() {
  (cd "$example" && pulumi stack ls --json 2>/dev/null) | grep -q "\"name\": \"$stack\""
}

print_status() {
  node -e '
    const https = require("https");
    const [url, ca] = process.argv.slice(1);
    https.get(`${url}/status.txt`, { ca: require("fs").readFileSync(ca) }, (r) => r.pipe(process.stdout));' \
    "$1" "$ca_file" || true
}

demo_up() {
  check_prerequisites
  [ -d node_modules ] || { say "installing (npm ci)"; npm ci; }
  say "building"
  make --no-print-directory build pulumi
  start_emulator
  local url="https://127.0.0.1:$port"

  pulumi_env
  cd "$example"
  pulumi-ksc-run stack select --create "$stack" >/dev/null
  pulumi config set --stack "$stack" ksc:serverUrl "$url"
  pulumi config set --stack "$stack" ksc:user "$ksc_user"
  printf '%s' "$ksc_password" | pulumi config set --stack "$stack" --secret ksc:password
  pulumi config set --stack "$stack" ksc:caCert "$ca_file"
  say "pulumi up (stack $stack of examples/push-server-basic)"
  pulumi-ksc-run up --yes --stack "$stack" --suppress-progress

  echo
  say "stack outputs:"
  pulumi stack output --stack "$stack"
  echo
  say "the console now (the emulator's status page, $url/status):"
  print_status "$url"
  cat <<EOF

The emulator keeps running in the background ($url, CA certificate ${ca_file#"$root"/}):
  status page     $url/status   (your browser will not know the emulator's CA: accept the warning or import it)
  try             cd examples/push-server-basic && source ../../scripts/pulumi-env.sh
                  pulumi config set pushServerPort 13300 --stack $stack && pulumi-ksc-run preview --diff --stack $stack
  stop it         make demo-stop    (make demo starts it again, with the same state)
  clean up        make demo-clean   (destroys the demo stack, stops the emulator, deletes .emulator/)
EOF
}

demo_clean() {
  check_prerequisites
  pulumi_env
  if [ -x bin/pulumi ] && stack_exists; then
    start_emulator
    cd "$example"
    say "destroying the demo stack"
    if ! pulumi-ksc-run destroy --yes --stack "$stack" --suppress-progress; then
      if [ "${DEMO_FORCE:-}" != "1" ]; then
        die "pulumi destroy failed; DEMO_FORCE=1 make demo-clean removes the stack without destroying it"
      fi
      say "removing the stack without destroying it (DEMO_FORCE=1)"
    fi
    pulumi stack rm --yes --force --stack "$stack"
    cd "$root"
  fi
  stop_emulator
  rm -rf "$emu_dir"
  say "removed .emulator/ and the demo stack"
}

case "${1:-up}" in
  up) demo_up ;;
  stop) stop_emulator keep-state ;;
  clean) demo_clean ;;
  *) die "usage: scripts/demo.sh [up|stop|clean]" ;;
esac
