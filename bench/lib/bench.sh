# shellcheck shell=bash
# Shared helpers for the bench/ scripts. Source it; it defines functions only.
# Everything here talks to 127.0.0.1 and to processes whose PID the caller passes in.

# Installs the Debian packages named on the command line that are not installed yet.
bench_apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "bench: installing ${missing[*]}" >&2
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# Prints a TCP port on 127.0.0.1 that nothing listens on now. Racy in theory
# (someone may take it before we bind), which is fine for a bench on a dev box.
bench_free_port() {
  local port tries=0
  while [ $tries -lt 200 ]; do
    port=$((20000 + RANDOM % 40000))
    if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  echo "bench: no free port found" >&2
  return 1
}

# bench_wait_port PORT SECONDS PID: waits until 127.0.0.1:PORT accepts, while PID lives.
bench_wait_port() {
  local port=$1 seconds=$2 pid=$3 i
  for ((i = 0; i < seconds * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# bench_cpu_ticks PID...: user+system clock ticks used so far by these processes (all their threads).
bench_cpu_ticks() {
  local total=0 pid stat
  for pid in "$@"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    # Fields after the ")" that closes the command name; utime and stime are fields 14 and 15.
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}

# bench_children_cpu_s FILE: from the output of bash's "times" builtin saved in FILE, the CPU seconds
# (user+system) used so far by the shell's finished, waited-for children. ("times" must run in the
# measuring shell itself, redirected to a file: in a $(...) subshell it would count nothing.)
bench_children_cpu_s() {
  awk 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] }
    printf "%.3f", t }' "$1"
}

# Prints "total idle" clock ticks summed over all CPUs so far, from /proc/stat (idle includes iowait).
bench_cpu_snapshot() {
  awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6; exit }' /proc/stat
}

# bench_idle_percent "TOTAL IDLE" "TOTAL IDLE": share of the machine's CPU time that was idle between two snapshots.
bench_idle_percent() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x, " "); split(b, y, " "); total = y[1] - x[1]
    printf "%.0f", (total > 0 ? 100 * (y[2] - x[2]) / total : 0) }'
}

# Percentage of all CPUs busy over one second: how loaded the machine is before we start.
bench_cpu_busy_percent() {
  local a b
  a=$(bench_cpu_snapshot)
  sleep 1
  b=$(bench_cpu_snapshot)
  echo $((100 - $(bench_idle_percent "$a" "$b")))
}

# bench_parse_wrk FILE: prints "rps p50_ms p90_ms p99_ms requests non2xx socket_errors"
# from wrk 4.x text output run with --latency.
bench_parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "90%" { p90 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $2 == "requests" && $3 == "in" { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(",", ""); sockerr = $4 + $6 + $8 + $10 }
    END {
      if (rps == "") exit 1
      printf "%s %.3f %.3f %.3f %d %d %d\n", rps, p50, p90, p99, requests, non2xx, sockerr
    }' "$1"
}

# bench_replace_section FILE HEADING CONTENT_FILE: replaces the "## HEADING" section of FILE
# (up to the next "## " heading) with CONTENT_FILE, or appends it when there is none.
bench_replace_section() {
  local file=$1 heading=$2 content=$3 tmp
  if [ ! -f "$file" ]; then
    printf '# Benchmark results\n\nEach section is written by its script (see bench/README.md); the newest run replaces the old one.\n' >"$file"
  fi
  tmp=$(mktemp "$file.XXXXXX")
  awk -v heading="## $heading" -v content="$content" '
    function emit(  line) {
      while ((getline line < content) > 0) print line
      close(content); done = 1
    }
    $0 == heading { skipping = 1; if (!done) { emit() } next }
    skipping && /^## / { skipping = 0; print "" }
    !skipping { print }
    END { if (!done) { print ""; emit() } }
  ' "$file" >"$tmp"
  mv "$tmp" "$file"
}

# Machine facts for a results section.
bench_machine_line() {
  local model
  model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  echo "nproc $(nproc), CPU \"${model:-unknown}\", kernel $(uname -r), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
}

# PIDs of the processes this run started; only these are ever stopped.
started_pids=()

# bench_stop_pid PID: TERM, wait up to 5 s, then KILL; forgets the PID.
bench_stop_pid() {
  local pid=$1 i keep=()
  if kill -TERM "$pid" 2>/dev/null; then
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  for i in "${started_pids[@]}"; do [ "$i" = "$pid" ] || keep+=("$i"); done
  started_pids=("${keep[@]}")
}

# bench_cleanup DIR...: the EXIT trap of every bench script. Stops what the run
# started and removes its temporary directories (kept with BENCH_KEEP_TMP=1).
bench_cleanup() {
  local pid dir
  for pid in "${started_pids[@]}"; do bench_stop_pid "$pid"; done
  for dir in "$@"; do
    [ -n "$dir" ] || continue
    if [ "${BENCH_KEEP_TMP:-0}" = 1 ]; then echo "bench: kept $dir" >&2; else rm -rf "$dir"; fi
  done
}

# bench_ready_field OUT PID FIELD: waits up to 30 s for lunarstream's ready line in
# the file OUT ("LunarStream ready: api=URL rtmp=URL http_port=N rtmp_port=N") and
# prints FIELD's value. Returns 1 with a message when PID exits first or no line comes.
bench_ready_field() {
  local out=$1 pid=$2 field=$3 i value
  for ((i = 0; i < 300; i++)); do
    value=$(sed -n "s/^LunarStream ready:.* $field=\([^ ]*\).*/\1/p" "$out" 2>/dev/null)
    if [ -n "$value" ]; then
      echo "$value"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "lunarstream exited before it was ready" >&2; return 1; }
    sleep 0.1
  done
  echo "lunarstream printed no ready line in 30 s" >&2
  return 1
}

# bench_embedded_media_server BIN DATA_DIR: the id of the EMBEDDED media server
# (else the first one) of the lunarstream data dir.
bench_embedded_media_server() {
  "$1" media-server list --data-dir "$2" --json | jq -r '(map(select(.type == "EMBEDDED")) + .)[0].id'
}

# bench_lunarstream_bin REPO: prints the server binary to measure, LUNARSTREAM_BIN
# or REPO/build/src/app/lunarstream, building the latter when it is missing.
bench_lunarstream_bin() {
  local repo=$1 bin=${LUNARSTREAM_BIN:-$1/build/src/app/lunarstream}
  if [ ! -x "$bin" ]; then
    if [ -n "${LUNARSTREAM_BIN:-}" ]; then
      echo "bench: LUNARSTREAM_BIN=$LUNARSTREAM_BIN is not an executable" >&2
      return 1
    fi
    echo "bench: $bin is missing; building it" >&2
    "$repo/scripts/install-deps.sh" runtime >&2
    "$repo/scripts/build.sh" -DLS_BUILD_TESTS=OFF -DLS_BUILD_BENCH=OFF >&2
  fi
  echo "$bin"
}

# bench_loadgen_bin REPO: prints the load generator, LOADGEN_BIN or
# REPO/build/bench/loadgen/loadgen, building the latter when it is missing.
bench_loadgen_bin() {
  local bin=${LOADGEN_BIN:-$1/build/bench/loadgen/loadgen}
  [ -x "$bin" ] || cmake --build "$1/build" -j"${LS_JOBS:-2}" --target loadgen >&2
  echo "$bin"
}

# A throwaway PostgreSQL cluster (initdb in DIR, loopback only, stock fsync and
# synchronous_commit). bench_pg_start DIR [SETTING=VALUE ...] sets pg_bindir,
# pg_dir, pg_port and pg_started (LS_POSTGRES_BINDIR picks the binaries;
# default: the newest /usr/lib/postgresql/*/bin); bench_pg_stop stops it (call
# it from the EXIT trap); bench_pg_database NAME creates an empty database and
# prints its URL.
bench_as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bench_pg_start() {
  pg_dir=$1
  shift
  pg_bindir=${LS_POSTGRES_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
  [ -x "$pg_bindir/initdb" ] || { echo "no initdb in '$pg_bindir' (set LS_POSTGRES_BINDIR)" >&2; return 1; }
  mkdir -p "$pg_dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
  bench_as_pg "$pg_bindir/initdb" -D "$pg_dir/data" -U lunarstream --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 ||
    { echo "initdb failed: $(tail -n 5 "$pg_dir/initdb.log")" >&2; return 1; }
  pg_port=$(bench_free_port)
  local opts="-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" setting
  for setting in "$@"; do opts+=" -c $setting"; done
  bench_as_pg "$pg_bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 -o "$opts" start >/dev/null ||
    { echo "PostgreSQL did not start" >&2; return 1; }
  pg_started=1
}
bench_pg_stop() {
  [ "${pg_started:-0}" = 1 ] && bench_as_pg "$pg_bindir/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1
  return 0
}
bench_pg_database() {
  bench_as_pg "$pg_bindir/psql" -X -q -h "$pg_dir" -p "$pg_port" -U lunarstream -d postgres \
    -c "CREATE DATABASE $1 TEMPLATE template0 ENCODING 'UTF8'" >/dev/null || return 1
  echo "postgres://lunarstream@127.0.0.1:$pg_port/$1"
}
