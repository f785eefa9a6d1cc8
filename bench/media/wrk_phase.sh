# Phase 3 of bench/media/run.sh (sourced): HLS serving with wrk. Both servers run
# at once, each with one live publisher; wrk hits one target at a time.
#   - the live playlist and the newest segment of each server;
#   - nginx serving lunarstream's playlist and segment, byte for byte, as static
#     files: the peer of the "playlist serving >= nginx static" target.

declare -A srv_pid srv_http srv_playlist srv_key srv_loadgen
for s in $servers; do
  start_server "$s" wrk
  srv_pid[$s]=$server_pid
  srv_http[$s]=$http_base
  if [ "$s" = nginx ]; then
    srv_key[$s]=stream0
    srv_playlist[$s]="$http_base/hls/stream0.m3u8"
    nginx_hls_dir=$hls_dir
  else
    srv_key[$s]=$(head -n 1 "$keys_file")
    srv_playlist[$s]="$http_base/live/${srv_key[$s]%%\?*}/hls.m3u8"
  fi
  # One publisher, for longer than the wrk runs take; stopped by PID afterwards.
  loadgen_run "wrk-pub-$s" --streams 1 --duration 300
  srv_loadgen[$s]=$loadgen_pid
done

# newest_segment URL: the absolute URL of the last segment a playlist lists.
newest_segment() {
  local uri
  uri=$(curl -sS "$1" | awk '!/^#/ && NF { u = $0 } END { print u }' | tr -d '\r')
  [ -n "$uri" ] || return 1
  case "$uri" in
    http://*) echo "$uri" ;;
    /*) echo "$(sed -E 's#^(http://[^/]+).*#\1#' <<<"$1")$uri" ;;
    *) echo "${1%/*}/$uri" ;;
  esac
}

# Wait for full windows (6 segments of 2 s), so lunarstream's playlist keeps its size
# while wrk runs and the static copy has the same length as what lunarstream serves.
for s in $servers; do
  ok=0
  for ((i = 0; i < 250; i++)); do
    if [ "$(curl -sS "${srv_playlist[$s]}" 2>/dev/null | grep -c '\.ts')" -ge 6 ]; then ok=1; break; fi
    sleep 0.1
  done
  [ "$ok" = 1 ] || fail "$s did not list 6 segments for the wrk phase within 25 s"
done

# The static copies nginx serves (same bytes as lunarstream's answers).
curl -sS -o "$tmp/www/ls-playlist.m3u8" "${srv_playlist[lunarstream]}"
chmod a+r "$tmp/www/ls-playlist.m3u8"

declare -A wrk_result wrk_cpu wrk_url wrk_bytes
# wrk_target LABEL SERVER URL: a warm-up, then the recorded run, and the server's CPU time during it.
wrk_target() {
  local label=$1 s=$2 url=$3 pids before after
  "${tool_launch[@]}" "$wrk_bin" -t"$wrk_threads" -c"$wrk_connections" -d"$wrk_warmup" "$url" >"$tmp/wrk-$label-warmup.txt" 2>&1 ||
    fail "wrk warm-up against $label failed"
  pids=${srv_pid[$s]}
  [ "$s" = nginx ] && pids="$pids $(pgrep -P "${srv_pid[$s]}" | tr '\n' ' ')"
  echo "bench: wrk $label: $url" >&2
  # shellcheck disable=SC2086
  before=$(bench_cpu_ticks $pids)
  "${tool_launch[@]}" "$wrk_bin" -t"$wrk_threads" -c"$wrk_connections" -d"$wrk_duration" --latency "$url" >"$tmp/wrk-$label.txt" 2>&1 ||
    fail "wrk against $label failed: $(cat "$tmp/wrk-$label.txt")"
  # shellcheck disable=SC2086
  after=$(bench_cpu_ticks $pids)
  wrk_result[$label]=$(bench_parse_wrk "$tmp/wrk-$label.txt") || fail "cannot parse wrk output for $label"
  wrk_cpu[$label]=$(cpu_s $((after - before)))
  wrk_url[$label]=$url
  wrk_bytes[$label]=$(curl -sS -o /dev/null -w '%{size_download}' "$url")
}

wrk_target nginx-static-playlist nginx "${srv_http[nginx]}/static/ls-playlist.m3u8"
wrk_target ls-playlist lunarstream "${srv_playlist[lunarstream]}"
wrk_target nginx-rtmp-playlist nginx "${srv_playlist[nginx]}"
# Segments: the newest one, picked right before its run (it stays listed for 12 s).
ls_segment=$(newest_segment "${srv_playlist[lunarstream]}") || fail "no lunarstream segment"
curl -sS -o "$tmp/www/ls-segment.ts" "$ls_segment"
chmod a+r "$tmp/www/ls-segment.ts"
wrk_target nginx-static-segment nginx "${srv_http[nginx]}/static/ls-segment.ts"
wrk_target ls-segment lunarstream "$(newest_segment "${srv_playlist[lunarstream]}")"
wrk_target nginx-rtmp-segment nginx "$(newest_segment "${srv_playlist[nginx]}")"

for s in $servers; do
  loadgen_pid=${srv_loadgen[$s]}
  kill -TERM "$loadgen_pid" 2>/dev/null || true
  loadgen_wait "wrk-pub-$s"
  bench_stop_pid "${srv_pid[$s]}"
done
rm -rf "${nginx_hls_dir:?}"
