#!/usr/bin/env bash
# Logins per second (argon2id-bound) of one lunarstream on loopback.
#
# Usage: bench/auth/run.sh [--write]
#   --write   replace the "Logins" section of bench/RESULTS.md with this run's figures.
# Environment:
#   LUNARSTREAM_BIN      server binary (default build/src/app/lunarstream, built if missing)
#   BENCH_DURATION       wrk duration (default 10s; at most 20s)
#   BENCH_CONNECTIONS    wrk connections (default 8)
#   BENCH_LOGIN_THREADS  auth.login_threads of the server (default 2, the server's default)
#   BENCH_KEEP_TMP=1     keep the temporary directory
#
# The argon2id parameters are the server's defaults (auth.argon2_*), printed
# with the figures. There is no peer to compare with: a login's cost is the
# password hash, chosen on purpose, so the figure is logins/s and CPU per
# login, not a ratio to another server. Throttling is raised out of the way
# (the bench measures hashing, not the limiter). Starts its own lunarstream on
# 127.0.0.1 and stops exactly that one (by PID) on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../lib
# shellcheck source=bench.sh
source "$repo/bench/lib/bench.sh"

write=0
for arg in "$@"; do
  case "$arg" in
    --write) write=1 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-8}
login_threads=${BENCH_LOGIN_THREADS:-2}
if ! [[ "$duration" =~ ^([0-9]+)s$ ]] || [ "${BASH_REMATCH[1]}" -gt 20 ]; then
  echo "run.sh: BENCH_DURATION is whole seconds like 10s, at most 20s (got '$duration')" >&2
  exit 2
fi

bench_apt_install wrk jq curl
wrk_bin=$(command -v wrk)
ls_bin=$(bench_lunarstream_bin "$repo") || exit 1

tmp=$(mktemp -d /tmp/lunarstream-bench-auth.XXXXXX)
trap 'bench_cleanup "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
  echo "run.sh: $*" >&2
  [ -s "$tmp/lunarstream.err" ] && { echo "--- lunarstream.err (last 20 lines)" >&2; tail -n 20 "$tmp/lunarstream.err" >&2; }
  exit 1
}

machine_busy=$(bench_cpu_busy_percent)
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)

email=bench@example.com
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
mkdir -m 700 "$tmp/data"
printf '%s' "$password" | "$ls_bin" user create --email "$email" --password-stdin --data-dir "$tmp/data" >/dev/null ||
  fail "user create failed"

LUNARSTREAM_AUTH_LOGIN_ATTEMPTS_PER_ADDRESS=1000000 \
  LUNARSTREAM_AUTH_LOGIN_THREADS=$login_threads \
  "$ls_bin" serve --data-dir "$tmp/data" --http 127.0.0.1:0 --rtmp 127.0.0.1:0 --log-level warn \
  >"$tmp/lunarstream.out" 2>"$tmp/lunarstream.err" </dev/null &
ls_pid=$!
started_pids+=("$ls_pid")
api=$(bench_ready_field "$tmp/lunarstream.out" "$ls_pid" api) || fail "lunarstream did not start"

code=$(curl -sS -o "$tmp/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data "$(jq -cn --arg e "$email" --arg p "$password" '{email: $e, password: $p}')" "$api/api/v1/auth/login")
[ "$code" = 200 ] || fail "POST /api/v1/auth/login answered $code: $(cat "$tmp/login.json")"
params=$(sed -n 's/.*\$argon2id\$v=19\$\([^$]*\)\$.*/\1/p' <(sqlite3 "$tmp/data/lunarstream.db" "SELECT password_hash FROM users" 2>/dev/null) || true)
[ -n "$params" ] || params="m=19456,t=2,p=1 (defaults)"

export LS_EMAIL=$email LS_PASSWORD=$password
clk_tck=$(getconf CLK_TCK)
cmd=("$wrk_bin" -t2 "-c$connections" "-d$duration" --latency -s "$here/login.lua" "$api/api/v1/auth/login")
echo "bench: ${cmd[*]}" >&2
before=$(bench_cpu_ticks "$ls_pid")
snap_before=$(bench_cpu_snapshot)
"${cmd[@]}" >"$tmp/wrk.txt" 2>&1 || fail "wrk failed: $(cat "$tmp/wrk.txt")"
after=$(bench_cpu_ticks "$ls_pid")
idle=$(bench_idle_percent "$snap_before" "$(bench_cpu_snapshot)")
kill -0 "$ls_pid" 2>/dev/null || fail "lunarstream died during the run"
read -r rps p50 p90 p99 n non2xx sockerr < <(bench_parse_wrk "$tmp/wrk.txt") || fail "cannot parse wrk output"
cpu_s=$(awk -v t=$((after - before)) -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')
cpu_ms_per_login=$(awk -v c="$cpu_s" -v n="$n" 'BEGIN { if (n + 0 == 0) print "n/a"; else printf "%.1f", 1000 * c / n }')

table=$(
  echo "| argon2id | login threads | connections | logins/s | p50 ms | p90 ms | p99 ms | logins | non-2xx | server CPU s | CPU ms per login | machine idle % |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  echo "| $params | $login_threads | $connections | $rps | $p50 | $p90 | $p99 | $n | $non2xx | $cpu_s | $cpu_ms_per_login | $idle |"
)
echo "$table"
[ "$non2xx" = 0 ] || echo "warning: $non2xx answers were not 2xx (503: the login queue was full)" >&2

[ "$write" = 1 ] || exit 0

section=$(mktemp "$tmp/section.XXXXXX")
{
  echo "## Logins"
  echo
  echo "Written by \`bench/auth/run.sh --write\` on $(date -u +%Y-%m-%dT%H:%MZ). $(bench_machine_line);"
  echo "machine ${machine_busy}% busy before the run, load average $loadavg."
  echo
  echo "Command: \`${cmd[*]/#$repo\//}\` against one \`lunarstream serve\` (SQLite) with"
  echo "\`auth.login_threads = $login_threads\`, the default argon2id parameters and address throttling raised out of the way."
  echo "Every request is a successful login (one argon2id verification, one session written)."
  echo
  echo "$table"
  echo
  echo "The peer-ratio rule of the other sections does not fit here: a login costs what the"
  echo "password hash is set to cost (RFC 9106 / OWASP parameters, on purpose), so the figures are"
  echo "logins/s and server CPU per login. Throughput scales with \`auth.login_threads\` up to the"
  echo "cores given to it; beyond the queue (\`auth.login_queue\`) logins answer 503, never pile up."
} >"$section"
bench_replace_section "$repo/bench/RESULTS.md" "Logins" "$section"
echo "bench: wrote the Logins section of bench/RESULTS.md" >&2
