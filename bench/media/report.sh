# Last part of bench/media/run.sh (sourced): the Markdown section, printed, and
# written into bench/RESULTS.md with --write.

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
rps() { awk '{ print $1 }' <<<"${wrk_result[$1]}"; }
p99() { awk '{ print $4 }' <<<"${wrk_result[$1]}"; }
per_cpu() {
  awk -v r="$(awk '{ print $5 }' <<<"${wrk_result[$1]}")" -v c="${wrk_cpu[$1]}" \
    'BEGIN { if (c + 0 == 0) print "n/a"; else printf "%.0f", r / c }'
}
verdict() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**not met**"; fi; }

cpu_ratio=$(ratio "${fig[lunarstream.cpu_steady]}" "${fig[nginx.cpu_steady]}")
cpu_fill_ratio=$(ratio "${fig[lunarstream.cpu_fill]}" "${fig[nginx.cpu_fill]}")
held_ratio=$(ratio "${fig[lunarstream.held]}" "${fig[nginx.held]}")
playlist_ratio=$(ratio "$(rps ls-playlist)" "$(rps nginx-static-playlist)")
segment_ratio=$(ratio "$(rps ls-segment)" "$(rps nginx-static-segment)")
first_budget=$((gop_ms + 200))
met_cpu=$(awk -v r="$cpu_ratio" 'BEGIN { print (r != "n/a" && r <= 0.5) ? 1 : 0 }')
met_cpu_fill=$(awk -v r="$cpu_fill_ratio" 'BEGIN { print (r != "n/a" && r <= 0.5) ? 1 : 0 }')
met_held=$(awk -v r="$held_ratio" 'BEGIN { print (r != "n/a" && r >= 2) ? 1 : 0 }')
met_first=$(awk -v m="${fig[lunarstream.first_max]}" -v b="$first_budget" 'BEGIN { print (m <= b) ? 1 : 0 }')
met_playlist=$(awk -v r="$playlist_ratio" 'BEGIN { print (r != "n/a" && r >= 1) ? 1 : 0 }')
held_cell() { echo "${fig[$1.held]}${fig[$1.search_note]:+ (see note)}"; }
elapsed=$(($(date +%s) - began))

table=$(
  echo "| figure | nginx-rtmp | lunarstream | lunarstream / nginx-rtmp | target | verdict |"
  echo "|---|---:|---:|---:|---|---|"
  echo "| ingest CPU per stream, % of one core, HLS windows full (${cpu_streams} streams, ${cpu_steady_at}–$((cpu_steady_at + cpu_window)) s) | ${fig[nginx.cpu_steady]} | ${fig[lunarstream.cpu_steady]} | $cpu_ratio | ≤ 0.5× | $(verdict "$met_cpu") |"
  echo "| ingest CPU per stream, % of one core, HLS windows filling (same run, ${cpu_fill_at}–$((cpu_fill_at + cpu_window)) s) | ${fig[nginx.cpu_fill]} | ${fig[lunarstream.cpu_fill]} | $cpu_fill_ratio | ≤ 0.5× | $(verdict "$met_cpu_fill") |"
  echo "| max streams held at real time for ${confirm_seconds} s | $(held_cell nginx) | $(held_cell lunarstream) | $held_ratio | ≥ 2× | $(verdict "$met_held") |"
  echo "| publish → first playable playlist, p50 / max ms ($lat_probes streams) | ${fig[nginx.first]} | ${fig[lunarstream.first]} | | ≤ GOP + 200 = ${first_budget} ms (max) | $(verdict "$met_first") |"
  echo "| HLS playlist req/s (wrk; peer: nginx serving lunarstream's playlist bytes as a static file) | $(rps nginx-static-playlist) | $(rps ls-playlist) | $playlist_ratio | ≥ 1× | $(verdict "$met_playlist") |"
  echo "| memory at $cpu_streams streams, PSS MiB | ${fig[nginx.pss_mib]} | ${fig[lunarstream.pss_mib]} | $(ratio "${fig[lunarstream.pss_mib]}" "${fig[nginx.pss_mib]}") | | |"
  echo "| HLS files on tmpfs at $cpu_streams streams, MiB (lunarstream keeps them in its PSS) | ${fig[nginx.tmpfs_mib]} | 0 | | | |"
  echo "| segment availability lag: keyframe sent → listed, p50 / p90 / max ms (samples) | ${fig[nginx.avail]} | ${fig[lunarstream.avail]} | | | |"
  echo "| segment fetch by $lat_viewers viewers, p50 / p99 ms (fetches) | ${fig[nginx.fetch]} | ${fig[lunarstream.fetch]} | | | |"
  echo "| viewer errors ($lat_viewers viewers, ${lat_seconds} s) | ${fig[nginx.viewer_errors]} | ${fig[lunarstream.viewer_errors]} | | | |"
  echo "| HLS segment req/s (wrk; peer: nginx serving lunarstream's segment as a static file) | $(rps nginx-static-segment) | $(rps ls-segment) | $segment_ratio | | |"
  echo
  echo "| wrk target | bytes | req/s | p99 ms | server CPU s | req per server CPU-s |"
  echo "|---|---:|---:|---:|---:|---:|"
  for t in nginx-static-playlist ls-playlist nginx-rtmp-playlist nginx-static-segment ls-segment nginx-rtmp-segment; do
    echo "| $t | ${wrk_bytes[$t]} | $(rps "$t") | $(p99 "$t") | ${wrk_cpu[$t]} | $(per_cpu "$t") |"
  done
  echo
  echo "Capacity search steps (server CPU % is of one core, over the step; lag is the worst wait of a due tag):"
  echo
  echo "| server | N | planned s | ran s | verdict | server CPU % | publishing | worst lag ms | worst segment lag ms | loadgen CPU (cores) | first failure |"
  echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"
  for s in $servers; do printf '%s' "${step_log[$s]}"; done
  for s in $servers; do
    [ -n "${fig[$s.search_note]}" ] && echo && echo "Note ($s): ${fig[$s.search_note]}."
  done
  true
)

echo "$table"
[ "$write" = 1 ] || exit 0

ls_commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$repo" diff --quiet HEAD -- src cmake CMakeLists.txt 2>/dev/null ||
  [ -n "$(git -C "$repo" ls-files --others --exclude-standard -- src cmake 2>/dev/null)" ]; then
  ls_commit="$ls_commit plus uncommitted changes in src/"
fi
rtmp_module_version=$(dpkg-query -W -f='${Version}' libnginx-mod-rtmp 2>/dev/null || echo unknown)
nginx_version=$("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //')
wrk_version=$({ "$wrk_bin" -v 2>&1 || true; } | awk 'NR == 1 { print $2 }')
ffmpeg_version=$(ffmpeg -version | awk 'NR == 1 { print $3 }')
mode="full run"
[ "$quick" = 1 ] && mode="**quick smoke run (--quick): small counts, not comparable with a full run**"
section="$tmp/section.md"
{
  echo "## Media"
  echo
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/media/run.sh$([ "$quick" = 1 ] && echo ' --quick') --write\`, $mode, ${elapsed} s in all."
  echo
  echo "- Machine: $(bench_machine_line). Before the run: load average $loadavg, CPUs ${machine_busy}% busy."
  if [ "$pin" = 1 ]; then
    echo "- Each server runs alone on CPU $server_cpus (\`taskset\`), the load generator and wrk on CPU $tool_cpus, over loopback;"
    echo "  every figure is one server on one core. The load generator's own CPU is in the steps table."
  else
    echo "- Load generator, nginx and lunarstream share the $(nproc) CPUs over loopback (BENCH_PIN=0); the load"
    echo "  generator's own CPU is in the steps table."
  fi
  echo "- Each measurement starts a fresh server (lunarstream keeps its data dir, so the livestreams created once"
  echo "  through the API stay valid; its HLS state starts empty)."
  echo "- Versions: lunarstream built from commit $ls_commit (RelWithDebInfo, -O2); nginx $nginx_version with"
  echo "  libnginx-mod-rtmp $rtmp_module_version (Debian), \`worker_processes $nginx_workers\`; wrk $wrk_version; ffmpeg $ffmpeg_version."
  echo "- Stream: \`$(basename "$flv")\`, ffmpeg testsrc 1280x720 30 fps + light noise, libx264 veryfast High,"
  echo "  ${flv_kbps} kbit/s overall, GOP 2 s (60 frames, no scene cuts), AAC 128 kbit/s; replayed in a loop, timestamps increasing."
  echo "- lunarstream: \`serve\` defaults (one media loop per usable CPU, 2 HTTP threads, 2 s segments, 6-segment window),"
  echo "  \`LUNARSTREAM_ABR_ENABLED=false\`, rate limits raised. nginx-rtmp: \`hls on; hls_fragment 2s;"
  echo "  hls_playlist_length 12s;\` on tmpfs, served by the same nginx, \`access_log off\`."
  echo
  echo "$table"
  echo
  echo "Targets: $(verdict "$met_cpu") ingest CPU per stream ≤ 0.5× nginx-rtmp ($cpu_ratio× with the HLS windows full; $cpu_fill_ratio× while they fill);"
  echo "$(verdict "$met_held") max real-time streams ≥ 2× nginx-rtmp ($held_ratio×);"
  echo "$(verdict "$met_first") first playable playlist ≤ one GOP + 200 ms (max ${fig[lunarstream.first_max]} ms against ${first_budget} ms);"
  echo "$(verdict "$met_playlist") playlist serving ≥ nginx serving the same bytes as a static file ($playlist_ratio×)."
  echo
  echo "How the figures are taken:"
  echo
  echo "- CPU: user+system ticks of the server's processes (nginx: master and workers) from /proc/PID/stat, with"
  echo "  $cpu_streams publishers and no viewer, divided by streams and seconds, in two ${cpu_window} s windows of one run:"
  echo "  from ${cpu_fill_at} s, while every stream's HLS window fills (each segment is written into memory new to the"
  echo "  server: lunarstream's heap, nginx-rtmp's tmpfs pages), and from ${cpu_steady_at} s, once old segments make room"
  echo "  for new ones. Memory: PSS (/proc/PID/smaps_rollup) at the end; nginx's HLS files sit on tmpfs outside it."
  echo "- First playable: from writing the \`publish\` command (so publish authorization is included) until a"
  echo "  probe polling the playlist sees a segment listed. Availability lag: the probe knows when the publisher's"
  echo "  keyframe reached the kernel and polls every 2 ms from then on until the segment it closes is listed"
  echo "  (a segment is matched to the keyframe at its end by summing EXTINF durations)."
  echo "- Viewers poll every target duration / 2 over keep-alive HTTP/1.1 and fetch every new segment; a viewer"
  echo "  error is a failed request after the stream became playable."
  echo "- wrk: \`wrk -t$wrk_threads -c$wrk_connections -d$wrk_duration --latency URL\` after a ${wrk_warmup} warm-up, both servers running one"
  echo "  live publisher each; segments are the newest listed one."
  echo "- Max streams: a fresh server, N publishers starting within 2 s; screening steps N in $steps for"
  echo "  ${screen_seconds} s each, $refinements bisection steps, then the best N for ${confirm_seconds} s (20% fewer if that fails, at most"
  echo "  $confirmations tries). A step fails when a publish is refused or dropped, a due tag waits over 1 s (the server"
  echo "  stopped reading fast enough), or a probed stream lists a segment over 2 s after its keyframe."
  echo
  echo "Commands (TMP is a fresh mktemp -d, SHM one under /dev/shm; ports are picked per run):"
  echo
  echo '```'
  echo "bench/media/run.sh$([ "$quick" = 1 ] && echo ' --quick') --write"
  pin_server="" pin_tools=""
  [ "$pin" = 1 ] && pin_server="taskset -c $server_cpus " pin_tools="taskset -c $tool_cpus "
  echo "${pin_server}nginx -p TMP/nginx-LABEL/ -c TMP/nginx-LABEL/nginx.conf    # config written by bench/media/servers.sh"
  echo "LUNARSTREAM_ABR_ENABLED=false ${pin_server}lunarstream serve --data-dir TMP/ls-data --http 127.0.0.1:0 --rtmp 127.0.0.1:0 --log-level warn"
  echo "${pin_tools}loadgen --flv FLV --rtmp-url rtmp://127.0.0.1:PORT/live/{key} [--keys TMP/ls-keys.txt] --streams $cpu_streams --duration $((cpu_steady_at + cpu_window + 2)) --ramp-ms 1000"
  echo "loadgen ... --streams $lat_streams --probe-streams $lat_probes --viewers $lat_viewers --playlist-url URL --duration $lat_seconds --ramp-ms 1000"
  echo "loadgen ... --streams N --duration S --ramp-ms 2000 --fail-fast --probe-streams $search_probes --playlist-url URL"
  echo "${pin_tools}wrk -t$wrk_threads -c$wrk_connections -d$wrk_duration --latency URL"
  echo '```'
  if [ "$perf" = 1 ]; then
    for s in $servers; do
      echo
      echo "<details><summary>perf: $s, cpu-clock samples over ${cpu_window} s from ${cpu_steady_at} s at $cpu_streams streams (self time, ≥ 1%)</summary>"
      echo
      echo '```'
      cat "$tmp/perf-$s.top"
      echo '```'
      echo
      echo "</details>"
    done
  fi
} >"$section"
bench_replace_section "$repo/bench/RESULTS.md" Media "$section"
echo "bench: wrote the Media section of bench/RESULTS.md (${elapsed} s)" >&2
