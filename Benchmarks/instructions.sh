#!/usr/bin/env bash
# Instructions per proxied call (issues 10 and 12), counted by callgrind: a measure of the
# proxy's own work that this VM's noise (±10–15% in requests/s between identical runs) doesn't
# move. The miss path (x-bt-use-cache: never) against nginx serving a chat completion and a
# 22-event SSE stream, 8 connections for DURATION seconds under valgrind, per binary in BINS
# (each its own instance on one file CONTROL; an entry BIN@NAME=VALUE adds --var NAME=VALUE).
# OBSERVABILITY=1 runs each binary twice: metrics and access log off, then on (the admin
# listener, so metrics are kept, and USAGE_LOG to a file) — issue 12's overhead, in instructions.
# Counted only while the load runs (--instr-atstart=no, toggled around it), all threads:
#   loop   — the Swift jobs the event loops ran (swift_job_run_on_task_executor, inclusive)
#   events — all the event loops' work (event_base_loop, inclusive): the jobs, closures queued on
#            the loops (a transfer's start) and libevent's callbacks (sockets, curl's timers). A
#            change in curl's part shows here and not in `loop`.
#   total  — everything the process ran meanwhile, background flushes and timers included
# Writes Benchmarks/out/instructions.md and prints it; each profile is kept beside it
# (instructions-<run>-<reply>.callgrind, for callgrind_annotate).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
OUT=Benchmarks/out
mkdir -p "$OUT"
BINS=${BINS:-.build/release/aiproxy}
for bin in $BINS; do [ -x "${bin%%@*}" ] || swift build -c release -Xswiftc -static-stdlib; done
command -v valgrind >/dev/null || { echo "instructions.sh needs valgrind (make bench installs it)" >&2; exit 1; }
source Benchmarks/common.sh

chat_fixtures
UP=$(free_port)
start_nginx 1 "$(chat_upstream "$UP")"

export AIPROXY_MASTER_KEY=bench-master-key UPSTREAM_SECRET=bench-upstream-secret
first=$(echo $BINS | awk '{print $1}'); first=${first%%@*}
proxy_config 0 > "$WORK/setup.toml"
KEY=$("$first" keys create --config "$WORK/setup.toml" --org bench --name bench | tail -1)
for kind in plain sse; do
  "$first" endpoints add --config "$WORK/setup.toml" --org bench --name $kind --type openai \
    --base-url "http://127.0.0.1:$UP/$kind/v1" --secret-env UPSTREAM_SECRET >/dev/null
  stream=false; [ $kind = sse ] && stream=true
  miss_lua "$WORK/$kind.lua" "{\"model\":\"gpt-4o-mini\",\"stream\":$stream,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say the sentence.\"}]}" "$KEY" "$kind"
done

rows=()
dumps() { find "$WORK" -maxdepth 1 -name "cg-$index.out.*" | wc -l; }
export AIPROXY_ADMIN_TOKEN=bench-admin-token
RUNS=(); for bin in $BINS; do RUNS+=("$bin|off"); [ "${OBSERVABILITY:-0}" = 1 ] && RUNS+=("$bin|on"); done
index=0
for run in "${RUNS[@]}"; do
  bin=${run%|*}; mode=${run#*|}
  port=$(free_port)
  proxy_config "$port" > "$WORK/proxy-$index.toml"
  label="$(cd "$(dirname "${bin%%@*}")/../.." && basename "$PWD")"
  variable=(); [ "$bin" != "${bin%%@*}" ] && { variable=(--var "${bin#*@}"); label="$label-${bin#*@}"; }
  if [ "$mode" = on ]; then
    variable+=(--admin-port "$(free_port)" --var "USAGE_LOG=$WORK/usage-$index.jsonl" --var LOG_FORMAT=json)
    label="$label, metrics+log on"
  else
    variable+=(--var USAGE_LOG=off)
  fi
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/cg-$index.out" \
    "${bin%%@*}" --config "$WORK/proxy-$index.toml" "${variable[@]}" 2>"$WORK/proxy-$index.log" & PIDS+=($!)
  pid=$!
  for _ in $(seq 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.1; done
  for kind in plain sse; do
    url="http://127.0.0.1:$port/v1/chat/completions"
    wrk -t1 -c8 -d3s -s "$WORK/$kind.lua" "$url" >/dev/null  # warm: connections, caches
    before=$(dumps)
    callgrind_control -i on "$pid" >/dev/null
    wrk -t1 -c8 -d"${DURATION}s" -s "$WORK/$kind.lua" "$url" > "$WORK/r.txt"
    callgrind_control -i off "$pid" >/dev/null
    callgrind_control -d "$pid" >/dev/null
    for _ in $(seq 100); do [ "$(dumps)" -gt "$before" ] && break; sleep 0.1; done
    dump=$(ls -t "$WORK"/cg-$index.out.* | head -1)
    cp "$dump" "$OUT/instructions-$index-$kind.callgrind"  # for callgrind_annotate
    requests=$(awk '/requests in/ {print $1}' "$WORK/r.txt")
    if grep -qE "Non-2xx|Socket errors" "$WORK/r.txt"; then echo "$label $kind: errors" >&2; cat "$WORK/r.txt" >&2; exit 1; fi
    total=$(awk '/^totals:/ {print $2}' "$dump")
    callgrind_annotate --inclusive=yes "$dump" 2>/dev/null > "$WORK/inclusive.txt"
    inclusive() { awk -v name="$1" '!found && index($0, name) { gsub(",", "", $1); print $1; found = 1 }' "$WORK/inclusive.txt"; }
    loop=$(inclusive swift_job_run_on_task_executor)
    events=$(inclusive event_base_loop)
    per() { awk -v a="${1:-0}" -v n="$requests" 'BEGIN { printf "%.0f", a / n / 1000 }'; }
    rows+=("| $kind | $label | $requests | $(per "$loop")k | $(per "$events")k | $(per "$total")k |")
    callgrind_control -z "$pid" >/dev/null
  done
  index=$((index + 1))
done
{
  echo "## Instructions per call (callgrind): miss path, 8 connections, ${DURATION}s under valgrind ($(date -u +%Y-%m-%d))"
  echo
  echo "| reply | binary | calls | loop instructions/call | event-loop instructions/call | all instructions/call |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$OUT/instructions.md"
