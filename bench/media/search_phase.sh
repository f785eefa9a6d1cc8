# Phase 4 of bench/media/run.sh (sourced): the largest N each server holds at real
# time. A step passes when every publisher was accepted, none was disconnected, no
# due tag waited more than 1 s to be written (the server kept reading), and the
# probed streams listed each segment within 2 s of its closing keyframe.
#   1. screening: N in $steps, $screen_seconds each with --fail-fast, up to the first failure
#      (halving from the first step if that one fails);
#   2. $refinements refinements, each halfway between the last pass and the first failure;
#   3. confirmation: the best N held for $confirm_seconds; if that fails, 20% fewer, at most
#      $confirmations confirmations in all.
# A step whose load generator was itself saturated ends the search as inconclusive.

declare -A step_log
# step SERVER N SECONDS: sets step_verdict to pass, fail or inconclusive; records a table row.
# (Not run in $(...): the server and load generator PIDs must stay in this shell.)
step() {
  local s=$1 n=$2 secs=$3 label="n$2-$1-$3s" pids t0 t1 w0 w1 verdict cpu
  start_server "$s" "$label"
  w0=$(date +%s.%N)
  pids=$(server_pids)
  # shellcheck disable=SC2086
  t0=$(bench_cpu_ticks $pids)
  loadgen_run "$label" --streams "$n" --duration "$secs" --ramp-ms 2000 --fail-fast \
    --probe-streams "$search_probes" --playlist-url "$playlist_url"
  loadgen_wait "$label"
  # shellcheck disable=SC2086
  t1=$(bench_cpu_ticks $pids)
  w1=$(date +%s.%N)
  kill -0 "$server_pid" 2>/dev/null || echo "bench: $s died during the $n-stream step" >&2
  stop_server
  cpu=$(awk -v t=$((t1 - t0)) -v hz="$clk_tck" -v a="$w0" -v b="$w1" 'BEGIN { printf "%.0f", 100 * t / hz / (b - a) }')
  if [ "$(j "$label" '.summary.passed')" = true ]; then
    verdict=pass
  elif [ "$(j "$label" '.summary.loadgen.saturated')" = true ]; then
    verdict=inconclusive
  else
    verdict=fail
  fi
  step_log[$s]+="| $s | $n | $secs | $(j "$label" '.summary.wallSeconds') | $verdict | $cpu |"
  step_log[$s]+=" $(j "$label" '.summary.publishing') | $(j "$label" '.summary.maxLagMs.max // "n/a"') |"
  step_log[$s]+=" $(j "$label" '.summary.segmentAvailabilityLagMs.max // "n/a"') |"
  step_log[$s]+=" $(j "$label" '.summary.loadgen.cpuShareOfOneCore') |"
  step_log[$s]+=" $(j "$label" '(.summary.failReasons[0] // "") | gsub("\\|"; "/")') |"$'\n'
  echo "bench: $s: $n streams for ${secs}s: $verdict" >&2
  step_verdict=$verdict
}

for s in $servers; do
  best=0 fail_at="" passes=() note=""
  for n in $steps; do
    [ "$n" -le "$max_streams" ] || break
    step "$s" "$n" "$screen_seconds"; v=$step_verdict
    if [ "$v" = pass ]; then
      best=$n
      passes+=("$n")
    else
      fail_at=$n
      [ "$v" = inconclusive ] && note="the load generator saturated at $n streams"
      break
    fi
  done
  # A machine too small for the first step: halve until one passes.
  while [ "$best" = 0 ] && [ -n "$fail_at" ] && [ "$fail_at" -gt 50 ] && [ -z "$note" ]; do
    n=$((fail_at / 2))
    step "$s" "$n" "$screen_seconds"
    if [ "$step_verdict" = pass ]; then best=$n; passes+=("$n"); else fail_at=$n; fi
  done
  for ((r = 0; r < refinements; r++)); do
    [ "$best" -gt 0 ] && [ -n "$fail_at" ] || break
    mid=$(((best + fail_at) / 2))
    [ "$mid" -gt "$best" ] && [ "$mid" -lt "$fail_at" ] || break
    step "$s" "$mid" "$screen_seconds"; v=$step_verdict
    if [ "$v" = pass ]; then best=$mid; passes+=("$mid"); else fail_at=$mid; fi
  done
  held=0 tried=""
  candidate=$best
  for ((c = 0; c < confirmations && candidate > 0; c++)); do
    step "$s" "$candidate" "$confirm_seconds"
    if [ "$step_verdict" = pass ]; then
      held=$candidate
      break
    fi
    fail_at=$candidate tried+="${tried:+, }$candidate"
    candidate=$((candidate * 80 / 100 / 25 * 25))  # 20% lower, a multiple of 25
  done
  if [ "$best" -gt 0 ] && [ "$held" = 0 ]; then
    note="no N was confirmed for ${confirm_seconds} s ($tried failed); $best passed the ${screen_seconds} s screening"
  fi
  fig[$s.held]=$held
  fig[$s.fail_at]=${fail_at:-none}
  if [ -z "$fail_at" ] && [ -z "$note" ]; then
    note="every step passed, up to the largest one tried ($best; steps: $steps; cap BENCH_MAX_STREAMS=$max_streams): the figure is a lower bound"
  fi
  fig[$s.search_note]=$note
done
