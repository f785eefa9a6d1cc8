#!/usr/bin/env bash
# ABR transcoding cost: CPU seconds per minute of 720p30 input for the default
# ladder (a 1280x720 input gets 480p at 1.2 Mbit/s and 360p at 0.8 Mbit/s),
# lunarstream's in-process transcoder beside the ffmpeg CLI producing the same
# ladder from the same input, in one run.
#
# Usage: bench/abr/run.sh [--write]
#   --write   replace the "ABR" section of bench/RESULTS.md with this run's figures.
# Environment:
#   LUNARSTREAM_BIN   server binary (default build/src/app/lunarstream, built if missing)
#   BENCH_SECONDS     length of the input in seconds (default 60; 10..300)
#   BENCH_PRESET      x264 preset of both transcoders (default veryfast, the server's default)
#   BENCH_KEEP_TMP=1  keep the temporary directory (input, logs, ffmpeg's HLS output)
#
# Starts its own lunarstream on 127.0.0.1 (ports picked by the server) and
# stops exactly that process (by PID) on exit. Everything stays on loopback.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../lib
# shellcheck source=bench.sh
source "$repo/bench/lib/bench.sh"

write=0
invocation="bench/abr/run.sh"
for arg in "$@"; do
  case "$arg" in
    --write) write=1; invocation="bench/abr/run.sh --write" ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

seconds=${BENCH_SECONDS:-60}
preset=${BENCH_PRESET:-veryfast}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 10 ] || [ "$seconds" -gt 300 ]; then
  echo "run.sh: BENCH_SECONDS must be 10..300 (got '$seconds')" >&2
  exit 2
fi

bench_apt_install ffmpeg jq curl
ls_bin=$(bench_lunarstream_bin "$repo") || exit 1

# --- cleanup: only what this script started ------------------------------------
tmp=$(mktemp -d /tmp/lunarstream-bench-abr.XXXXXX)
trap 'bench_cleanup "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
  echo "run.sh: $*" >&2
  [ -s "$tmp/lunarstream.err" ] && { echo "--- lunarstream.err (last 20 lines)" >&2; tail -n 20 "$tmp/lunarstream.err" >&2; }
  exit 1
}

clk_tck=$(getconf CLK_TCK)
machine_busy=$(bench_cpu_busy_percent)
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the input -----------------------------------------------------------------------
# 720p30 as OBS sends it by default (x264, 2 B-frames, a keyframe every 2 s,
# 3 Mbit/s CBR-ish, AAC 128k). testsrc2 with temporal noise stands in for a
# camera: a clean test pattern would make every encoder look faster than it is.
input_cmd=(ffmpeg -hide_banner -loglevel error -nostats -y
  -f lavfi -i "testsrc2=size=1280x720:rate=30,noise=alls=12:allf=t+u" -f lavfi -i "sine=frequency=440:sample_rate=48000"
  -t "$seconds" -c:v libx264 -preset veryfast -b:v 3000k -maxrate 3000k -bufsize 6000k -g 60 -keyint_min 60
  -sc_threshold 0 -bf 2 -pix_fmt yuv420p -c:a aac -b:a 128k -f flv "$tmp/input.flv")
echo "bench: making the input (${seconds} s of 720p30)" >&2
"${input_cmd[@]}" || fail "could not make the input"

# --- lunarstream -----------------------------------------------------------------------
mkdir -m 700 "$tmp/data"
LUNARSTREAM_ABR_X264_PRESET=$preset "$ls_bin" serve --data-dir "$tmp/data" --http 127.0.0.1:0 --rtmp 127.0.0.1:0 \
  --log-level info >"$tmp/lunarstream.out" 2>"$tmp/lunarstream.err" </dev/null &
ls_pid=$!
started_pids+=("$ls_pid")
api=$(bench_ready_field "$tmp/lunarstream.out" "$ls_pid" api) || fail "lunarstream did not start"
media_server_id=$(bench_embedded_media_server "$ls_bin" "$tmp/data") || fail "lunarstream media-server list failed"

# new_stream NAME ABR(on|off): prints "streamKey publishUrl livestreamId" of a new livestream
# in a new project whose ABR switch is ABR.
new_stream() {
  local project key id body code
  project=$("$ls_bin" project create --name "bench-abr-$1" --data-dir "$tmp/data" --json) || fail "project create failed"
  key=$(jq -r .apiKey <<<"$project")
  id=$(jq -r .projectId <<<"$project")
  "$ls_bin" project update --project "$id" --abr "$2" --data-dir "$tmp/data" >/dev/null || fail "project update failed"
  body=$(jq -cn --arg p "$id" --arg m "$media_server_id" --arg n "$1" '{name: $n, projectId: $p, mediaServerId: $m}')
  code=$(curl -sS -o "$tmp/create-$1.json" -w '%{http_code}' -H "ls-api-key: $key" \
    -H 'Content-Type: application/json' --data "$body" "$api/api/v1/livestream")
  [ "$code" = 201 ] || fail "POST /api/v1/livestream answered $code: $(cat "$tmp/create-$1.json")"
  jq -r '.data | "\(.streamKey) \(.rtmpServer)/\(.streamKeyWithParams) \(.id)"' "$tmp/create-$1.json"
}

metric() { # metric NAME LIVESTREAM_ID FILE: the value of one per-stream series in a saved scrape, or empty
  awk -v p="$1{livestream=\"$2\"" 'index($0, p) == 1 { print $NF }' "$3"
}

# publish LABEL ABR(on|off): publishes the input in real time with `ffmpeg -re -c copy`
# and records the server's CPU time from just before the publish until every
# transcoder has finished.
declare -A cpu_s wall_s max_lag dropped_renditions dropped_frames variants
publish_cmd_shown=""
publish() {
  local label=$1 abr=$2 stream_key url id before after started ended scrape lag
  read -r stream_key url id < <(new_stream "$label" "$abr")
  publish_cmd_shown="ffmpeg -re -i input.flv -c copy -f flv rtmp://127.0.0.1:PORT/live/KEY?pushToken=..."
  echo "bench: lunarstream, ABR $abr: publishing ${seconds} s" >&2
  before=$(bench_cpu_ticks "$ls_pid")
  started=$(date +%s.%N)
  ffmpeg -hide_banner -loglevel error -nostats -re -i "$tmp/input.flv" -c copy -f flv "$url" </dev/null \
    2>"$tmp/publish-$label.err" &
  local pub=$!
  started_pids+=("$pub")
  max_lag[$label]=0
  dropped_renditions[$label]=0
  dropped_frames[$label]=0
  variants[$label]=""
  while kill -0 "$pub" 2>/dev/null; do
    scrape="$tmp/metrics-$label.txt"
    if curl -sS -o "$scrape.new" "$api/metrics" 2>/dev/null && grep -q "livestream=\"$id\"" "$scrape.new"; then
      mv "$scrape.new" "$scrape"
      lag=$(metric lunarstream_abr_lag_seconds "$id" "$scrape")
      max_lag[$label]=$(awk -v a="${max_lag[$label]}" -v b="${lag:-0}" 'BEGIN { print (b > a ? b : a) }')
    fi
    sleep 1
  done
  wait "$pub" || fail "the publisher failed: $(cat "$tmp/publish-$label.err")"
  # The transcoder flushes x264 after the publisher left; wait for it.
  for ((i = 0; i < 100; i++)); do
    curl -sS "$api/metrics" | grep -q '^lunarstream_abr_transcoders 0$' && break
    sleep 0.1
  done
  ended=$(date +%s.%N)
  after=$(bench_cpu_ticks "$ls_pid")
  cpu_s[$label]=$(awk -v t=$((after - before)) -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')
  wall_s[$label]=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }')
  if [ -f "$tmp/metrics-$label.txt" ]; then
    dropped_renditions[$label]=$(metric lunarstream_abr_renditions_dropped "$id" "$tmp/metrics-$label.txt")
    dropped_frames[$label]=$(metric lunarstream_abr_frames_dropped_total "$id" "$tmp/metrics-$label.txt")
  fi
  variants[$label]=$(curl -sS "$api/hls/$stream_key/master.m3u8" | grep -c '^#EXT-X-STREAM-INF' || true)
}

publish remux off
publish ladder on

# --- ffmpeg CLI ----------------------------------------------------------------------
# The same ladder: decode once, split, scale (bicubic, libswscale's default in
# both), x264 with the server's settings (preset, VBV = bitrate / 2x bitrate,
# no B-frames, no scene cuts or periodic keyframes, IDRs forced at the input's
# keyframes), the AAC copied, 2 s HLS segments.
# cli_command one|auto|paced: the command, in the array `cli`. one: one thread per codec and
# filter, as the server runs them; auto: ffmpeg's default threads; paced: as one, reading the
# input in real time (-re) like the server gets it, so both run over the same minute.
cli_command() {
  local per_codec=() name k
  [ "$1" != auto ] && per_codec=(-threads 1)
  cli=(ffmpeg -hide_banner -loglevel error -nostats -y)
  [ "$1" = paced ] && cli+=(-re)
  [ "$1" != auto ] && cli+=(-threads 1 -filter_complex_threads 1)
  cli+=(-i "$tmp/input.flv" -filter_complex "[0:v]split=2[s480p][s360p];[s480p]scale=854:480[v480p];[s360p]scale=640:360[v360p]")
  for rung in "480p 1200" "360p 800"; do
    read -r name k <<<"$rung"
    mkdir -p "$tmp/cli/$name"
    cli+=(-map "[v$name]" -map 0:a -c:v libx264 -preset "$preset" -b:v "${k}k" -maxrate "${k}k" -bufsize "$((2 * k))k"
      -bf 0 "${per_codec[@]}" -x264-params scenecut=0:keyint=infinite -forced-idr 1 -force_key_frames source -c:a copy
      -f hls -hls_time 2 -hls_list_size 6 -hls_flags delete_segments "$tmp/cli/$name/index.m3u8")
  done
}

# shown WORDS...: a command as it can be pasted into a shell, with TMP for the temporary directory.
shown() {
  local out="" word
  for word in "$@"; do
    word=${word//$tmp/TMP}
    if [[ "$word" =~ [^A-Za-z0-9_./:=,+@%-] ]]; then word="'$word'"; fi
    out+="${out:+ }$word"
  done
  echo "$out"
}

declare -A cli_shown
for label in one auto paced; do
  cli_command "$label"
  cli_shown[$label]=$(shown "${cli[@]}")
  echo "bench: ffmpeg CLI, $label thread(s) per codec" >&2
  rm -rf "$tmp/cli/480p"/* "$tmp/cli/360p"/*
  TIMEFORMAT='%R %U %S'
  { time "${cli[@]}" </dev/null 2>"$tmp/cli-$label.err"; } 2>"$tmp/cli-$label.time" ||
    fail "ffmpeg CLI failed: $(cat "$tmp/cli-$label.err")"
  read -r w u s <"$tmp/cli-$label.time"
  wall_s[cli$label]=$w
  cpu_s[cli$label]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
done

# --- report --------------------------------------------------------------------------
ladder_cpu=$(awk -v a="${cpu_s[ladder]}" -v b="${cpu_s[remux]}" 'BEGIN { printf "%.2f", a - b }')
per_min() { awk -v c="$1" -v s="$seconds" 'BEGIN { printf "%.1f", c * 60 / s }'; }
rtf() { awk -v c="$1" -v s="$seconds" 'BEGIN { printf (c > 0 ? "%.2f" : "-"), (c > 0 ? s / c : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
x264_lib=$(ldconfig -p | awk '/libx264\.so\./ && !found { print $1; found = 1 }')
x264_lib=${x264_lib:-libx264}
dirty=""
git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || dirty=" plus uncommitted changes in src/"

report="$tmp/report.md"
{
  echo "## ABR"
  echo
  echo "Run of $(date -u '+%Y-%m-%d %H:%M') UTC by \`$invocation\` (${seconds} s of 720p30 input, x264 preset \`$preset\` for both)."
  echo
  echo "- Machine: $(bench_machine_line). Before the run: load average $loadavg, CPUs ${machine_busy}% busy."
  echo "- Versions: lunarstream built from commit $commit$dirty (RelWithDebInfo, -O2), $(ffmpeg -hide_banner -version | head -n 1 | cut -d' ' -f1-3), $x264_lib; the server links the same libavcodec and libx264."
  echo "- Input: testsrc2 with temporal noise, 1280x720, 30 fps, H.264 High at 3 Mbit/s with 2 B-frames and a 2 s GOP (as OBS sends it), AAC 128 kbit/s, FLV."
  echo "- Ladder: the default, of which a 720p input gets 480p (854x480, 1.2 Mbit/s) and 360p (640x360, 0.8 Mbit/s); audio copied."
  echo "- lunarstream: one \`serve\` process; the input published in real time with \`ffmpeg -re -c copy\`; CPU is the server's user+system time"
  echo "  (/proc/PID/stat) from just before the publish until its transcoder finished. \"remux only\" is the same publish in a project"
  echo "  with ABR switched off; the ladder's cost is the difference. The transcoder runs one thread per stream: decoder, scalers"
  echo "  and x264 one thread each."
  echo "- ffmpeg CLI: the same ladder from the same file as fast as it goes (and once paced with \`-re\`), decode once, \`split\`, \`scale\`, x264 with the"
  echo "  server's settings, 2 s HLS segments to a temporary directory; CPU and wall time from bash's \`time\`."
  echo
  echo "| pipeline | CPU s | CPU s per minute of input | input s per CPU s | wall s | wall real-time factor |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| lunarstream, ABR on (whole server) | ${cpu_s[ladder]} | $(per_min "${cpu_s[ladder]}") | $(rtf "${cpu_s[ladder]}") | ${wall_s[ladder]} | 1 (live input) |"
  echo "| lunarstream, ABR off (remux only) | ${cpu_s[remux]} | $(per_min "${cpu_s[remux]}") | $(rtf "${cpu_s[remux]}") | ${wall_s[remux]} | 1 (live input) |"
  echo "| **lunarstream ladder** (on − off) | **$ladder_cpu** | **$(per_min "$ladder_cpu")** | **$(rtf "$ladder_cpu")** | | |"
  echo "| ffmpeg CLI, one thread per codec | ${cpu_s[clione]} | $(per_min "${cpu_s[clione]}") | $(rtf "${cpu_s[clione]}") | ${wall_s[clione]} | $(rtf "${wall_s[clione]}") |"
  echo "| ffmpeg CLI, default threads | ${cpu_s[cliauto]} | $(per_min "${cpu_s[cliauto]}") | $(rtf "${cpu_s[cliauto]}") | ${wall_s[cliauto]} | $(rtf "${wall_s[cliauto]}") |"
  echo "| ffmpeg CLI, one thread per codec, \`-re\` | ${cpu_s[clipaced]} | $(per_min "${cpu_s[clipaced]}") | $(rtf "${cpu_s[clipaced]}") | ${wall_s[clipaced]} | 1 (paced) |"
  echo
  echo "lunarstream ladder / ffmpeg CLI (one thread per codec), CPU: **$(ratio "$ladder_cpu" "${cpu_s[clione]}")**;"
  echo "/ ffmpeg CLI (default threads): $(ratio "$ladder_cpu" "${cpu_s[cliauto]}"); / ffmpeg CLI paced with \`-re\`:"
  echo "$(ratio "$ladder_cpu" "${cpu_s[clipaced]}") (both spread over the same minute, so both see the same neighbours on a shared machine)."
  echo
  echo "\"input s per CPU s\" is the single-core real-time factor: how many such streams one core could transcode. The server's"
  echo "transcoder kept up: largest queue wait seen on /metrics ${max_lag[ladder]} s, renditions dropped ${dropped_renditions[ladder]:-0},"
  echo "input frames dropped ${dropped_frames[ladder]:-0}; the master listed ${variants[ladder]} variants at the end (${variants[remux]} with ABR off)."
  echo
  echo "Commands (TMP is a fresh mktemp -d; ports are picked per run):"
  echo
  echo '```'
  echo "$invocation"
  echo "# the input"
  shown "${input_cmd[@]}"
  echo "# lunarstream (two projects, ABR off and on, one livestream each)"
  echo "LUNARSTREAM_ABR_X264_PRESET=$preset lunarstream serve --data-dir TMP/data --http 127.0.0.1:0 --rtmp 127.0.0.1:0 --log-level info"
  echo "lunarstream project update --project ID --abr off|on --data-dir TMP/data"
  echo "${publish_cmd_shown//input.flv/TMP/input.flv}"
  echo "# ffmpeg CLI"
  echo "${cli_shown[one]}"
  echo "${cli_shown[auto]}"
  echo "${cli_shown[paced]}"
  echo '```'
} >"$report"

cat "$report"
if [ "$write" = 1 ]; then
  bench_replace_section "$repo/bench/RESULTS.md" ABR "$report"
  echo "bench: wrote the ABR section of bench/RESULTS.md" >&2
fi
