#!/usr/bin/env bash
# The miss path (issue 10): calls that go upstream, side by side with nginx, in interleaved
# rounds (medians). nginx serves a fixed chat completion, a 22-event OpenAI SSE transcript and
# Anthropic / Gemini streams; every setup is measured once per round, in this order:
#   (a) nginx direct   (b) nginx proxy_pass (upstream keep-alive pool)
#   (b) the runtime floor: bench-worker --upstream, a bare reverse proxy on EdgeRuntime (the
#       server and libcurl, no AI logic), built from this checkout
#   (c) aiproxy with a proxy key, x-bt-use-cache: never — one column per binary in BINS
# at 64 and 1 connections, plain and SSE, plus translated streams (Claude, Gemini) at 64, and
# cache hits (the plain call with x-bt-use-cache: always, memory CACHE) against nginx direct.
# BINS="a b" compares builds in the same run (e.g. the previous landing and this one); an entry
# BIN@NAME=VALUE runs BIN with --var NAME=VALUE (e.g. .build/release/aiproxy@STREAM_KEEPALIVE_SECONDS=0),
# and BIN@threads=N with `[server] threads = N` (event loops; the default is one per core).
# The binaries in BINS take turns going first: listed order in odd rounds, reversed in even ones.
# Writes Benchmarks/out/miss-path.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-5}
OUT=Benchmarks/out
mkdir -p "$OUT"
BINS=${BINS:-.build/release/aiproxy}
for bin in $BINS .build/release/bench-worker; do [ -x "${bin%%@*}" ] || swift build -c release -Xswiftc -static-stdlib; done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
source Benchmarks/common.sh

# The replies nginx serves.
printf '%s' '{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":10,"total_tokens":19}}' > "$WORK/chat.json"
{ for word in The quick brown fox jumps over the lazy dog and then the quick brown fox jumps over the lazy dog again; do
    printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"%s "},"finish_reason":null}]}\n\n' "$word"
  done
  printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
  printf 'data: [DONE]\n\n'; } > "$WORK/chat.sse"
cp Tests/Fixtures/anthropic/text.upstream.sse "$WORK/anthropic.sse"
cp Tests/Fixtures/google/text.stream.sse "$WORK/google.sse"

UP=$(free_port); NGX_PROXY=$(free_port)
start_nginx 2 "$(cat <<NGINX
    upstream llm { server 127.0.0.1:$UP; keepalive 128; }
    server {
        listen 127.0.0.1:$UP;
        root $WORK;
        error_page 405 =200 \$uri;
        location /plain/ { default_type application/json; try_files /chat.json =404; }
        location /sse/ { default_type text/event-stream; try_files /chat.sse =404; }
        location /anthropic/ { default_type text/event-stream; try_files /anthropic.sse =404; }
        location /google/ { default_type text/event-stream; try_files /google.sse =404; }
        # try_files ends in an internal redirect to the file: its type is set where it lands.
        location ~ \.json\$ { default_type application/json; }
        location ~ \.sse\$ { default_type text/event-stream; }
    }
    server {
        listen 127.0.0.1:$NGX_PROXY;
        location / { proxy_pass http://llm; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
NGINX
)"

# One proxy per binary, sharing one CONTROL directory (one key, the same endpoints).
export AIPROXY_MASTER_KEY=bench-master-key UPSTREAM_SECRET=bench-upstream-secret
first=$(echo $BINS | awk '{print $1}'); first=${first%%@*}
PORTS=(); LABELS=()
index=0
for bin in $BINS; do
  port=$(free_port)
  server=""; [[ "$bin" == *@threads=* ]] && server=$(printf '[server]\nthreads = %s' "${bin#*@threads=}")
  proxy_config "$port" "$server" > "$WORK/proxy-$index.toml"
  # Named after the checkout the binary was built in (main, wt-baseline, …).
  label="c-aiproxy-$(cd "$(dirname "${bin%%@*}")/../.." && basename "$PWD")"
  [ "$bin" != "${bin%%@*}" ] && label="$label-${bin#*@}"
  PORTS+=("$port"); LABELS+=("$label")
  index=$((index + 1))
done
KEY=$("$first" keys create --config "$WORK/proxy-0.toml" --org bench --name bench | tail -1)
add() { "$first" endpoints add --config "$WORK/proxy-0.toml" --org bench --name "$1" --type "$2" --base-url "$3" --secret-env UPSTREAM_SECRET >/dev/null; }
add plain openai "http://127.0.0.1:$UP/plain/v1"
add sse openai "http://127.0.0.1:$UP/sse/v1"
add anthropic anthropic "http://127.0.0.1:$UP/anthropic/v1"
add google google "http://127.0.0.1:$UP/google/v1beta"
index=0
for bin in $BINS; do
  variable=(); [ "$bin" != "${bin%%@*}" ] && [[ "$bin" != *@threads=* ]] && variable=(--var "${bin#*@}")
  "${bin%%@*}" --config "$WORK/proxy-$index.toml" "${variable[@]}" 2>"$WORK/proxy-$index.log" & PIDS+=($!)
  wait_healthy "${PORTS[$index]}"
  index=$((index + 1))
done

FLOOR=$(free_port)
.build/release/bench-worker --port "$FLOOR" --upstream "http://127.0.0.1:$UP" 2>"$WORK/floor.log" & PIDS+=($!)
FLOOR_PID=$!
wait_healthy "$FLOOR"

body() {  # body MODEL STREAM
  echo "{\"model\":\"$1\",\"stream\":$2,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say the sentence.\"}]}"
}
lua() { miss_lua "$WORK/$1.lua" "$2" "$KEY" "${3:-}"; }  # lua NAME BODY [endpoint]
lua direct-plain "$(body gpt-4o-mini false)"
lua direct-sse "$(body gpt-4o-mini true)"
lua proxy-plain "$(body gpt-4o-mini false)" plain
lua proxy-sse "$(body gpt-4o-mini true)" sse
lua proxy-anthropic "$(body claude-3-5-sonnet-latest true)" anthropic
lua proxy-google "$(body gemini-2.5-flash true)" google
sed 's/"never"/"always"/' "$WORK/proxy-plain.lua" > "$WORK/proxy-hit.lua"

# Every setup answers correctly before it is measured.
for index in "${!PORTS[@]}"; do
  for endpoint in plain sse anthropic google; do
    model=gpt-4o-mini; stream=true
    case $endpoint in plain) stream=false ;; anthropic) model=claude-3-5-sonnet-latest ;; google) model=gemini-2.5-flash ;; esac
    curl -fs -o "$WORK/check.txt" "http://127.0.0.1:${PORTS[$index]}/v1/chat/completions" -H "authorization: Bearer $KEY" \
      -H 'x-bt-use-cache: never' -H "x-bt-endpoint-name: $endpoint" -d "$(body $model $stream)"
    grep -q "quick\|Hello\|Claude\|cities\|lazy" "$WORK/check.txt" || { echo "${LABELS[$index]} $endpoint: unexpected reply"; cat "$WORK/check.txt"; exit 1; }
  done
  # The entry the hit rows read, stored by one call; the next must be a HIT.
  for _ in 1 2; do
    curl -fs -D "$WORK/hit-head.txt" -o /dev/null "http://127.0.0.1:${PORTS[$index]}/v1/chat/completions" -H "authorization: Bearer $KEY" \
      -H 'x-bt-use-cache: always' -H 'x-bt-endpoint-name: plain' -d "$(body gpt-4o-mini false)"
  done
  grep -qi '^x-bt-cached: HIT' "$WORK/hit-head.txt" || { echo "${LABELS[$index]}: no cache hit"; cat "$WORK/hit-head.txt"; exit 1; }
done

curl -fs "http://127.0.0.1:$FLOOR/sse/v1/chat/completions" -d "$(body gpt-4o-mini true)" | grep -q "lazy" \
  || { echo "runtime floor: unexpected reply"; exit 1; }

# results/<setup>/<kind>-<conns>: one "rps p50 p99" line per round.
mkdir -p "$WORK/results"
measure() {  # measure SETUP KIND CONNS URL LUA [PID: CPU µs per request of that process]
  local threads=2 ticks=0 cpu=-; [ "$3" = 1 ] && threads=1
  mkdir -p "$WORK/results/$1"
  [ -n "${6:-}" ] && ticks=$(cpu_ticks "$6")
  wrk -t$threads -c"$3" -d"${DURATION}s" --latency -s "$WORK/$5.lua" "$4" > "$WORK/r.txt"
  if grep -qE "Non-2xx|Socket errors" "$WORK/r.txt"; then echo "$1 $2 $3: errors"; cat "$WORK/r.txt"; fi
  if [ -n "${6:-}" ]; then
    cpu=$(cpu_per_request "$(( $(cpu_ticks "$6") - ticks ))" "$(awk '/requests in/ {print $1}' "$WORK/r.txt")")
  fi
  echo "$(wrk_summary "$WORK/r.txt") $cpu" \
    >> "$WORK/results/$1/$2-$3"
}
for round in $(seq "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  # The binaries take turns going first: always measured second, a build came out 5–13% slower
  # at 64 connections than A/B runs with the order alternating showed it (level or faster).
  ORDER=("${!PORTS[@]}"); [ $((round % 2)) = 0 ] && ORDER=($(printf '%s\n' "${!PORTS[@]}" | tac))
  for conns in 64 1; do
    for kind in plain sse; do
      measure a-nginx-direct $kind $conns "http://127.0.0.1:$UP/$kind/v1/chat/completions" direct-$kind
      measure b-nginx-proxy_pass $kind $conns "http://127.0.0.1:$NGX_PROXY/$kind/v1/chat/completions" direct-$kind
      measure b-runtime-floor $kind $conns "http://127.0.0.1:$FLOOR/$kind/v1/chat/completions" direct-$kind "$FLOOR_PID"
      for index in "${ORDER[@]}"; do
        measure "${LABELS[$index]}" $kind $conns "http://127.0.0.1:${PORTS[$index]}/v1/chat/completions" proxy-$kind "${PIDS[$index]}"
      done
    done
  done
  for index in "${ORDER[@]}"; do
    for kind in anthropic google hit; do
      measure "${LABELS[$index]}" $kind 64 "http://127.0.0.1:${PORTS[$index]}/v1/chat/completions" proxy-$kind "${PIDS[$index]}"
    done
  done
done

python3 - "$WORK/results" "${LABELS[@]}" > "$OUT/miss-path.md" <<'PY'
import os, statistics, sys
root, labels = sys.argv[1], sys.argv[2:]
def us(text):
    for unit, factor in (("us", 1), ("ms", 1000), ("s", 1_000_000)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)
def series(setup, case):
    path = os.path.join(root, setup, case)
    if not os.path.exists(path):
        return None
    rows = [line.split() for line in open(path) if line.strip()]
    return [float(r[0]) for r in rows], [us(r[1]) for r in rows], [us(r[2]) for r in rows], [r[3] for r in rows if len(r) > 3 and r[3] != "-"]
def med(values):
    return statistics.median(values)
def fmt_us(value):
    return f"{value / 1000:.2f} ms" if value >= 1000 else f"{value:.0f} µs"
rounds = len(series("a-nginx-direct", "plain-64")[0])
print(f"Medians of {rounds} interleaved rounds.\n")
def cpu(values):
    return f"{med([float(v) for v in values]):.0f} µs" if values else "–"
print("| reply | conns | setup | req/s | vs proxy_pass | p50 | p99 | p99 vs proxy_pass | p50 added over direct | CPU/request |")
print("|---|---|---|---|---|---|---|---|---|---|")
for kind in ("plain", "sse"):
    for conns in ("64", "1"):
        case = f"{kind}-{conns}"
        direct, passing = series("a-nginx-direct", case), series("b-nginx-proxy_pass", case)
        for setup in ["a-nginx-direct", "b-nginx-proxy_pass", "b-runtime-floor"] + labels:
            rps, p50, p99, cpus = series(setup, case)
            ratio = f"{100 * med(rps) / med(passing[0]):.0f}%"
            p99ratio = f"{med(p99) / med(passing[2]):.2f}×"
            added = fmt_us(med(p50) - med(direct[1]))
            print(f"| {kind} | {conns} | {setup} | {med(rps):,.0f} | {ratio} | {fmt_us(med(p50))} | {fmt_us(med(p99))} "
                  f"(max {fmt_us(max(p99))}) | {p99ratio} | {added} | {cpu(cpus)} |")
print("\n| translated stream (64 conns) | setup | req/s | vs the same build's OpenAI SSE | p50 | p99 | CPU/request |")
print("|---|---|---|---|---|---|---|")
for kind in ("anthropic", "google"):
    for setup in labels:
        rps, p50, p99, cpus = series(setup, f"{kind}-64")
        sse = series(setup, "sse-64")[0]
        print(f"| {kind} | {setup} | {med(rps):,.0f} | {100 * med(rps) / med(sse):.0f}% | {fmt_us(med(p50))} | {fmt_us(med(p99))} | {cpu(cpus)} |")
print("\n| cache hits (64 conns) | req/s | vs nginx direct (plain) | p50 | p99 | CPU/request |")
print("|---|---|---|---|---|---|")
direct = series("a-nginx-direct", "plain-64")[0]
for setup in labels:
    rps, p50, p99, cpus = series(setup, "hit-64")
    print(f"| {setup} | {med(rps):,.0f} | {100 * med(rps) / med(direct):.0f}% | {fmt_us(med(p50))} | {fmt_us(med(p99))} | {cpu(cpus)} |")
PY
cat "$OUT/miss-path.md"
