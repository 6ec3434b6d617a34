#!/usr/bin/env bash
# Observability overhead (issue 12): the miss path (x-bt-use-cache: never) through two instances
# of the same binary against nginx serving a chat completion and a 22-event SSE stream:
#   off: no [admin] listener (no metrics registry), USAGE_LOG = "off"
#   on:  [admin] on (every call recorded in the GenAI histograms and counters, /metrics scraped
#        each round), USAGE_LOG to a file (one JSON access-log line per call), LOG_FORMAT json
# Both share one file CONTROL (the key, the endpoints, the usage rollups and the admin events log,
# which serve the API and are on in both). Two ways, each ROUNDS times:
#   alternating: off, then on, the order swapped each round; medians, and the median of each
#     round's own on/off ratio (drift slower than a round cancels out of it);
#   side by side: off and on loaded at the same time, each by its own wrk with half the
#     connections, so the VM's noise (another tenant, a slow wake-up) hits both in the same
#     seconds; the median of the rounds' on/off ratios. A control does the same with off and a
#     third instance configured as off ("ctl"): what the method reads when there is no difference.
#     The two loads start in turn, first one then the other.
# Writes Benchmarks/out/observability.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-5}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=${BIN:-.build/release/aiproxy}
[ -x "$BIN" ] || swift build -c release -Xswiftc -static-stdlib
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
source Benchmarks/common.sh

chat_fixtures
UP=$(free_port)
start_nginx 1 "$(cat <<NGINX
    server {
        listen 127.0.0.1:$UP;
        root $WORK;
        error_page 405 =200 \$uri;
        location /plain/ { default_type application/json; try_files /chat.json =404; }
        location /sse/ { default_type text/event-stream; try_files /chat.sse =404; }
        location ~ \.json\$ { default_type application/json; }
        location ~ \.sse\$ { default_type text/event-stream; }
    }
NGINX
)"

export AIPROXY_MASTER_KEY=bench-master-key UPSTREAM_SECRET=bench-upstream-secret AIPROXY_ADMIN_TOKEN=bench-admin-token
OFF_PORT=$(free_port); ON_PORT=$(free_port); CTL_PORT=$(free_port); ADMIN_PORT=$(free_port)
proxy_config "$OFF_PORT" '[vars]
USAGE_LOG = "off"' > "$WORK/off.toml"
proxy_config "$CTL_PORT" '[vars]
USAGE_LOG = "off"' > "$WORK/ctl.toml"
proxy_config "$ON_PORT" "[vars]
USAGE_LOG = \"$WORK/usage.jsonl\"
LOG_FORMAT = \"json\"
[admin]
port = $ADMIN_PORT" > "$WORK/on.toml"
KEY=$("$BIN" keys create --config "$WORK/off.toml" --org bench --name bench | tail -1)
"$BIN" endpoints add --config "$WORK/off.toml" --org bench --name plain --type openai --base-url "http://127.0.0.1:$UP/plain/v1" --secret-env UPSTREAM_SECRET >/dev/null
"$BIN" endpoints add --config "$WORK/off.toml" --org bench --name sse --type openai --base-url "http://127.0.0.1:$UP/sse/v1" --secret-env UPSTREAM_SECRET >/dev/null
declare -A PID
for name in off on ctl; do
  "$BIN" --config "$WORK/$name.toml" 2>"$WORK/$name.log" & PIDS+=($!); PID[$name]=$!
done
for port in $OFF_PORT $ON_PORT $CTL_PORT; do wait_healthy "$port"; done

body() { echo "{\"model\":\"gpt-4o-mini\",\"stream\":$1,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say the sentence.\"}]}"; }
for kind in plain sse; do
  stream=false; [ $kind = sse ] && stream=true
  miss_lua "$WORK/$kind.lua" "$(body $stream)" "$KEY" "$kind"
  for port in $OFF_PORT $ON_PORT $CTL_PORT; do
    curl -fs "http://127.0.0.1:$port/v1/chat/completions" -H "authorization: Bearer $KEY" -H 'x-bt-use-cache: never' \
      -H "x-bt-endpoint-name: $kind" -d "$(body $stream)" | grep -q lazy || { echo "observability.sh: $port $kind: unexpected reply" >&2; exit 1; }
  done
done
# "on" really records: the access log has the calls and /metrics counts them.
sleep 1.2
grep -q '"route":"/v1/chat/completions"' "$WORK/usage.jsonl" || { echo "observability.sh: no access-log lines" >&2; exit 1; }
scrape() { curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" -H "authorization: Bearer $AIPROXY_ADMIN_TOKEN"; }
# (Read whole first: `grep -q` stopping early would cut curl's pipe, and pipefail would count that.)
metrics=$(scrape)
grep -q '^gen_ai_client_token_usage_count' <<<"$metrics" || { echo "observability.sh: /metrics records nothing" >&2; exit 1; }

declare -A RPS P50 CPU PAIRED last
calls=0
# After each round: /metrics scraped, and the log counted and rotated, as a real one would be (a
# file grown to hundreds of MB on this VM's disk makes the writer wait on writeback, a cost of the
# disk, not of the proxy).
end_round() {
  scrape > /dev/null
  sleep 0.1
  calls=$(( calls + $(wc -l < "$WORK/usage.jsonl") ))
  : > "$WORK/usage.jsonl"
}
# $1 as a percentage of $2, one decimal, no sign: a round's on/off.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
for round in $(seq "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  for conns in 32 1; do
    for kind in plain sse; do
      # The order within a round alternates, so drift hits both.
      order="off on"; [ $((round % 2)) = 0 ] && order="on off"
      for name in $order; do
        port=$OFF_PORT; [ $name = on ] && port=$ON_PORT
        threads=2; [ "$conns" = 1 ] && threads=1
        before=$(cpu_ticks "${PID[$name]}")
        wrk -t$threads -c$conns -d"${DURATION}s" --latency -s "$WORK/$kind.lua" "http://127.0.0.1:$port/v1/chat/completions" > "$WORK/r.txt"
        ticks=$(( $(cpu_ticks "${PID[$name]}") - before ))
        requests=$(awk '/requests in/ {print $1}' "$WORK/r.txt")
        CPU[$name,$kind,$conns]+="$(cpu_per_request "$ticks" "$requests") "
        if grep -qE "Non-2xx|Socket errors" "$WORK/r.txt"; then echo "$name $kind $conns: errors" >&2; cat "$WORK/r.txt" >&2; exit 1; fi
        RPS[$name,$kind,$conns]+="$(awk '/Requests\/sec/ {print $2}' "$WORK/r.txt") "
        P50[$name,$kind,$conns]+="$(awk '$1 == "50%" {print $2}' "$WORK/r.txt" | to_us) "
        last[$name]=$(awk '/Requests\/sec/ {print $2}' "$WORK/r.txt")
      done
      # The same round's on/off: drift slower than a round cancels out of it.
      PAIRED[$kind,$conns]+="$(ratio "${last[on]}" "${last[off]}") "
    done
  done
  end_round
done
# Side by side: both instances under load in the same seconds, each from its own wrk.
declare -A SIDE SIDECPU
for round in $(seq "$ROUNDS"); do
  echo "side by side: round $round of $ROUNDS" >&2
  for conns in 16 1; do
    for kind in plain sse; do
      for other in on ctl; do
        declare -A before=()
        pair="off $other"; [ $((round % 2)) = 0 ] && pair="$other off"
        for name in $pair; do before[$name]=$(cpu_ticks "${PID[$name]}"); done
        loads=()
        for name in $pair; do
          port=$OFF_PORT; [ $name = on ] && port=$ON_PORT; [ $name = ctl ] && port=$CTL_PORT
          wrk -t1 -c$conns -d"${DURATION}s" -s "$WORK/$kind.lua" "http://127.0.0.1:$port/v1/chat/completions" > "$WORK/side-$name.txt" & loads+=($!)
        done
        wait "${loads[@]}"
        declare -A rps=() cpu=()
        for name in $pair; do
          if grep -qE "Non-2xx|Socket errors" "$WORK/side-$name.txt"; then echo "side by side $name $kind $conns: errors" >&2; cat "$WORK/side-$name.txt" >&2; exit 1; fi
          rps[$name]=$(awk '/Requests\/sec/ {print $2}' "$WORK/side-$name.txt")
          cpu[$name]=$(cpu_per_request "$(( $(cpu_ticks "${PID[$name]}") - before[$name] ))" "$(awk '/requests in/ {print $1}' "$WORK/side-$name.txt")")
        done
        SIDE[$other,$kind,$conns]+="$(ratio "${rps[$other]}" "${rps[off]}") "
        SIDECPU[$other,$kind,$conns]+="$(ratio "${cpu[$other]}" "${cpu[off]}") "
      done
    done
  done
  end_round
done
spread() { tr ' ' '\n' <<<"$1" | grep . | sort -g | sed -n '1p;$p' | paste -sd '~'; }
{
  echo "## Metrics and access log on vs off: miss path, ${ROUNDS} alternating rounds of ${DURATION}s ($(date -u +%Y-%m-%d), $(nproc) cores shared by wrk, nginx and both instances)"
  echo
  echo "| reply | connections | off req/s | on req/s | on/off | on/off per round: median (range) | off p50 µs | on p50 µs | off CPU µs/request | on CPU µs/request | on/off CPU |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for conns in 32 1; do
    for kind in plain sse; do
      off=$(median "${RPS[off,$kind,$conns]}")
      on=$(median "${RPS[on,$kind,$conns]}")
      offcpu=$(median "${CPU[off,$kind,$conns]}")
      oncpu=$(median "${CPU[on,$kind,$conns]}")
      paired=${PAIRED[$kind,$conns]}
      range="$(spread "$paired")"
      echo "| $kind | $conns | $off | $on | $(percent "$on" "$off") | $(median "$paired")% ($range) | $(median "${P50[off,$kind,$conns]}") | $(median "${P50[on,$kind,$conns]}") | $offcpu | $oncpu | $(percent "$oncpu" "$offcpu") |"
    done
  done
  echo
  echo "Side by side: off and on (and off and the control, configured as off) under load in the same ${DURATION}s, each from its own wrk with the connections given, ${ROUNDS} rounds:"
  echo
  echo "| reply | connections each | on/off req/s per round: median (range) | control/off req/s: median (range) | on/off CPU per request: median (range) | control/off CPU: median (range) |"
  echo "|---|---|---|---|---|---|"
  for conns in 16 1; do
    for kind in plain sse; do
      echo "| $kind | $conns | $(median "${SIDE[on,$kind,$conns]}")% ($(spread "${SIDE[on,$kind,$conns]}")) | $(median "${SIDE[ctl,$kind,$conns]}")% ($(spread "${SIDE[ctl,$kind,$conns]}")) | $(median "${SIDECPU[on,$kind,$conns]}")% ($(spread "${SIDECPU[on,$kind,$conns]}")) | $(median "${SIDECPU[ctl,$kind,$conns]}")% ($(spread "${SIDECPU[ctl,$kind,$conns]}")) |"
    done
  done
  echo
  echo "The \"on\" instance wrote $calls access-log lines in the run."
} | tee "$OUT/observability.md"
