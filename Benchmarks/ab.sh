#!/usr/bin/env bash
# Two or more builds' miss path side by side, in the order that least favours any of them: every
# binary in BINS up at once on one nginx upstream, 64 connections (CONNS), DURATION seconds a
# turn, and the order of the turns rotated and reversed round by round (ROUNDS, 10). Prints the
# median req/s and CPU µs per request of each build, and each turn's CPU, to show the spread.
# KIND=plain|sse. On this VM a turn's CPU per request moves ±20% within one run, so a change
# below ~5% needs many rounds, or `instructions.sh`. Loopback only; writes Benchmarks/out/ab.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BINS=${BINS:?BINS="old/aiproxy new/aiproxy"}
KIND=${KIND:-plain}; ROUNDS=${ROUNDS:-10}; CONNS=${CONNS:-64}; DURATION=${DURATION:-3}
OUT=Benchmarks/out
mkdir -p "$OUT"
source Benchmarks/common.sh

chat_fixtures
UP=$(free_port)
start_nginx 2 "$(chat_upstream "$UP")"

export AIPROXY_MASTER_KEY=bench-master-key UPSTREAM_SECRET=bench-upstream-secret
read -r -a bins <<<"$BINS"
PORTS=(); SERVERS=()
for index in "${!bins[@]}"; do PORTS+=("$(free_port)"); proxy_config "${PORTS[$index]}" > "$WORK/proxy-$index.toml"; done
KEY=$("${bins[0]}" keys create --config "$WORK/proxy-0.toml" --org bench --name bench | tail -1)
"${bins[0]}" endpoints add --config "$WORK/proxy-0.toml" --org bench --name "$KIND" --type openai \
  --base-url "http://127.0.0.1:$UP/$KIND/v1" --secret-env UPSTREAM_SECRET >/dev/null
for index in "${!bins[@]}"; do
  "${bins[$index]}" --config "$WORK/proxy-$index.toml" 2>"$WORK/proxy-$index.log" & PIDS+=($!)
  SERVERS+=($!)
  wait_healthy "${PORTS[$index]}"
done
stream=false; [ "$KIND" = sse ] && stream=true
miss_lua "$WORK/call.lua" "{\"model\":\"gpt-4o-mini\",\"stream\":$stream,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say the sentence.\"}]}" "$KEY" "$KIND"
url() { echo "http://127.0.0.1:${PORTS[$1]}/v1/chat/completions"; }
for index in "${!bins[@]}"; do wrk -t2 -c"$CONNS" -d1s -s "$WORK/call.lua" "$(url "$index")" >/dev/null; done  # warm

count=${#bins[@]}
for round in $(seq "$ROUNDS"); do
  for turn in $(seq 0 $((count - 1))); do
    index=$(( (turn + round) % count ))
    [ $((round % 2)) = 0 ] && index=$(( (count - 1 - turn + round) % count ))
    ticks=$(cpu_ticks "${SERVERS[$index]}")
    wrk -t2 -c"$CONNS" -d"${DURATION}s" -s "$WORK/call.lua" "$(url "$index")" > "$WORK/r.txt"
    if grep -qE "Non-2xx|Socket errors" "$WORK/r.txt"; then echo "${bins[$index]}: errors" >&2; cat "$WORK/r.txt" >&2; exit 1; fi
    requests=$(awk '/requests in/ {print $1}' "$WORK/r.txt")
    echo "$index $(awk '/Requests\/sec/ {print $2}' "$WORK/r.txt") $(cpu_per_request "$(( $(cpu_ticks "${SERVERS[$index]}") - ticks ))" "$requests")" >> "$WORK/turns.txt"
  done
done
{
  echo "$KIND, $CONNS connections, $ROUNDS rounds of ${DURATION} s turns, order rotated ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "| binary | req/s (median) | CPU/request (median) | CPU/request, each turn |"
  echo "|---|---|---|---|"
  for index in "${!bins[@]}"; do
    rps=$(median "$(awk -v i="$index" '$1 == i {print $2}' "$WORK/turns.txt" | tr '\n' ' ')")
    cpu=$(median "$(awk -v i="$index" '$1 == i {print $3}' "$WORK/turns.txt" | tr '\n' ' ')")
    each=$(awk -v i="$index" '$1 == i {printf "%s ", $3}' "$WORK/turns.txt")
    echo "| ${bins[$index]} | $rps | $cpu µs | $each|"
  done
} | tee "$OUT/ab.md"
