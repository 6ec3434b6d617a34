#!/usr/bin/env bash
# Proxy benchmark (issue 3): nginx as the upstream serving a fixed chat completion (plain and
# SSE); requests/s and p50/p99 at 64 and 1 keep-alive connections for (a) nginx direct,
# (b) nginx proxy_pass, (c) aiproxy with x-bt-use-cache: never, (d) aiproxy cache hits (memory
# and file KV); time-to-first-byte overhead of a streamed reply; RSS with 1,000 concurrent
# streams. Writes Benchmarks/out/proxy.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=${BIN:-.build/release/aiproxy}
MOCK=${MOCK:-.build/release/mock-upstream}
[ -x "$BIN" ] && [ -x "$MOCK" ] || swift build -c release -Xswiftc -static-stdlib
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

source Benchmarks/common.sh

UP=$(free_port); NGX_PROXY=$(free_port); PROXY=$(free_port); PROXY_FILE=$(free_port)
CHAT='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":10,"total_tokens":19}}'
SSE=""
for word in The quick brown fox jumps over the lazy dog.; do
  SSE+="data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"$word \"},\"finish_reason\":null}]}\n\n"
done
SSE+='data: [DONE]\n\n'

printf '%s' "$CHAT" > "$WORK/chat.json"
printf "$SSE" > "$WORK/chat.sse"
start_nginx 2 "$(cat <<NGINX
    upstream llm { server 127.0.0.1:$UP; keepalive 128; }
    server {
        listen 127.0.0.1:$UP;
        root $WORK;
        location = /plain/v1/chat/completions { default_type application/json; try_files /chat.json =404; }
        location = /sse/v1/chat/completions { default_type text/event-stream; try_files /chat.sse =404; }
        # try_files ends in an internal redirect to the file: its type is set where it lands.
        location = /chat.json { default_type application/json; }
        location = /chat.sse { default_type text/event-stream; }
        error_page 405 =200 \$uri;
    }
    server {
        listen 127.0.0.1:$NGX_PROXY;
        location / { proxy_pass http://llm; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
NGINX
)"

# Two proxies: CACHE on memory and on file KV; CONTROL on file (shared with the admin CLI).
export AIPROXY_MASTER_KEY=bench-master-key
for kind in memory file; do
  port=$PROXY; [ "$kind" = file ] && port=$PROXY_FILE
  cache_backend='backend = "memory"'; [ "$kind" = file ] && cache_backend="backend = \"file\"
path = \"$WORK/cache-$kind\""
  cat > "$WORK/$kind.toml" <<TOML
name = "aiproxy-bench"
[[kv_namespaces]]
binding = "CACHE"
$cache_backend
[[kv_namespaces]]
binding = "CONTROL"
backend = "file"
path = "$WORK/control"
[dev]
port = $port
TOML
done
export UPSTREAM_SECRET=bench-upstream-secret
KEY=$("$BIN" keys create --config "$WORK/memory.toml" --org bench --name bench | tail -1)
"$BIN" endpoints add --config "$WORK/memory.toml" --org bench --name plain --type openai --base-url "http://127.0.0.1:$UP/plain/v1" --secret-env UPSTREAM_SECRET >/dev/null
"$BIN" endpoints add --config "$WORK/memory.toml" --org bench --name sse --type openai --base-url "http://127.0.0.1:$UP/sse/v1" --secret-env UPSTREAM_SECRET >/dev/null
"$BIN" --config "$WORK/memory.toml" 2>"$WORK/proxy.log" & PIDS+=($!)
"$BIN" --config "$WORK/file.toml" 2>"$WORK/proxy-file.log" & PIDS+=($!)
for port in $PROXY $PROXY_FILE; do
  wait_healthy "$port"
done

BODY_PLAIN='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say the sentence."}],"seed":1}'
BODY_SSE='{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say the sentence."}],"seed":1}'
script() {  # script NAME BODY [extra header lines]
  {
    echo 'wrk.method = "POST"'
    echo "wrk.body = [[$2]]"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo "wrk.headers[\"Authorization\"] = \"Bearer $KEY\""
    shift 2
    for h in "$@"; do echo "$h"; done
  } > "$WORK/$1.lua"
}
for mode in plain sse; do
  body=$BODY_PLAIN; [ "$mode" = sse ] && body=$BODY_SSE
  script "direct-$mode" "$body"
  script "never-$mode" "$body" 'wrk.headers["x-bt-use-cache"] = "never"' "wrk.headers[\"x-bt-endpoint-name\"] = \"$mode\""
  script "hit-$mode" "$body" 'wrk.headers["x-bt-use-cache"] = "always"' "wrk.headers[\"x-bt-endpoint-name\"] = \"$mode\""
done

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
lat() { awk -v k="$2" '$1 == k {print $2}' "$1"; }
errors() { grep -E "Non-2xx|Socket errors" "$1" || true; }
ROWS=()
run() {  # run LABEL MODE CONNS URL SCRIPT
  local label=$1 mode=$2 conns=$3 url=$4 lua=$5 out="$WORK/r.txt"
  local threads=2; [ "$conns" = 1 ] && threads=1
  wrk -t$threads -c"$conns" -d"${DURATION}s" --latency -s "$WORK/$lua.lua" "$url" > "$out"
  cp "$out" "$OUT/proxy-$label-$mode-$conns.txt"
  local e; e=$(errors "$out")
  ROWS+=("| $label | $mode | $conns | $(rps "$out") | $(lat "$out" 50%) | $(lat "$out" 99%) | ${e:-} |")
  eval "RPS_${label//[^a-z]/_}_${mode}_${conns}=$(rps "$out")"
}
for mode in plain sse; do
  # Warm the caches and connections.
  curl -fs -o /dev/null "http://127.0.0.1:$PROXY/v1/chat/completions" -H "authorization: Bearer $KEY" -H 'x-bt-use-cache: always' -H "x-bt-endpoint-name: $mode" -d "$([ $mode = sse ] && echo "$BODY_SSE" || echo "$BODY_PLAIN")"
  curl -fs -o /dev/null "http://127.0.0.1:$PROXY_FILE/v1/chat/completions" -H "authorization: Bearer $KEY" -H 'x-bt-use-cache: always' -H "x-bt-endpoint-name: $mode" -d "$([ $mode = sse ] && echo "$BODY_SSE" || echo "$BODY_PLAIN")"
  sleep 0.3
  for conns in 64 1; do
    run a-nginx-direct $mode $conns "http://127.0.0.1:$UP/$mode/v1/chat/completions" direct-$mode
    run b-nginx-proxy_pass $mode $conns "http://127.0.0.1:$NGX_PROXY/$mode/v1/chat/completions" direct-$mode
    run c-aiproxy-never $mode $conns "http://127.0.0.1:$PROXY/v1/chat/completions" never-$mode
    run d-aiproxy-hit-memory $mode $conns "http://127.0.0.1:$PROXY/v1/chat/completions" hit-$mode
    run d-aiproxy-hit-file $mode $conns "http://127.0.0.1:$PROXY_FILE/v1/chat/completions" hit-$mode
  done
done

# Time to first byte of a streamed reply, direct vs through the proxy (median of 300 sequential requests).
ttfb() {  # ttfb URL [headers...]
  local url=$1; shift
  for _ in $(seq 300); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' "$url" -H 'content-type: application/json' "$@" -d "$BODY_SSE"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int(NR/2)+1]*1000}'
}
TTFB_DIRECT=$(ttfb "http://127.0.0.1:$UP/sse/v1/chat/completions")
TTFB_PROXY=$(ttfb "http://127.0.0.1:$PROXY/v1/chat/completions" -H "authorization: Bearer $KEY" -H 'x-bt-use-cache: never' -H 'x-bt-endpoint-name: sse')

# Memory with 1,000 concurrent streams, on a fresh proxy so the number isn't the high-water mark
# of the load runs above (Benchmarks/streams-memory.sh, one run).
STREAMS_LINE=$(BINS="$BIN" MOCK="$MOCK" ROUNDS=1 Benchmarks/streams-memory.sh | tail -1)

ratio() { python3 -c "print(round(100 * $1 / $2))"; }
{
  echo "## Proxy: nginx upstream, fixed chat completion, ${DURATION}s per run ($(date -u +%Y-%m-%d), $(nproc) cores, wrk on the same machine)"
  echo
  echo "| setup | reply | connections | requests/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "- (c) vs (b) at 64 connections, plain: $(ratio "$RPS_c_aiproxy_never_plain_64" "$RPS_b_nginx_proxy_pass_plain_64")% (target ≥ 60%); SSE: $(ratio "$RPS_c_aiproxy_never_sse_64" "$RPS_b_nginx_proxy_pass_sse_64")%"
  echo "- (d, memory KV) vs (a) at 64 connections, plain: $(ratio "$RPS_d_aiproxy_hit_memory_plain_64" "$RPS_a_nginx_direct_plain_64")% (target ≥ 40%); file KV: $(ratio "$RPS_d_aiproxy_hit_file_plain_64" "$RPS_a_nginx_direct_plain_64")%"
  echo "- p50 added at 1 connection, plain: (c) $(lat "$OUT/proxy-c-aiproxy-never-plain-1.txt" 50%) vs (a) $(lat "$OUT/proxy-a-nginx-direct-plain-1.txt" 50%) (target: under 0.3 ms added)"
  echo "- streamed reply, time to first byte (median of 300): direct ${TTFB_DIRECT} ms, through the proxy ${TTFB_PROXY} ms, added $(python3 -c "print(f'{$TTFB_PROXY - $TTFB_DIRECT:.3f}')") ms (target < 1 ms)"
  echo "- 1,000 concurrent streams through the proxy (mock upstream, ~2 s each): ${STREAMS_LINE#*: } (target < 100 MB)"
} | tee "$OUT/proxy.md"
