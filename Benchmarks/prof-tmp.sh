#!/usr/bin/env bash
# Observability overhead (issue 12): the miss path (x-bt-use-cache: never) through two instances
# of the same binary against nginx serving a chat completion and a 22-event SSE stream:
#   off: no [admin] listener (no metrics registry), USAGE_LOG = "off"
#   on:  [admin] on (every call recorded in the GenAI histograms and counters, /metrics scraped
#        each round), USAGE_LOG to a file (one JSON access-log line per call), LOG_FORMAT json
# Both share one file CONTROL (the key, the endpoints, the usage rollups and the admin events log,
# which serve the API and are on in both). Rounds alternate off/on; medians, and the median of
# each round's own on/off ratio (drift slower than a round cancels out of it).
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

printf '%s' '{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":10,"total_tokens":19}}' > "$WORK/chat.json"
{ for word in The quick brown fox jumps over the lazy dog and then the quick brown fox jumps over the lazy dog again; do
    printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"%s "},"finish_reason":null}]}\n\n' "$word"
  done
  printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":20,"total_tokens":29}}\n\n'
  printf 'data: [DONE]\n\n'; } > "$WORK/chat.sse"
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
OFF_PORT=$(free_port); ON_PORT=$(free_port); ADMIN_PORT=$(free_port)
proxy_config "$OFF_PORT" '[vars]
USAGE_LOG = "off"' > "$WORK/off.toml"
proxy_config "$ON_PORT" "[vars]
USAGE_LOG = \"$WORK/usage.jsonl\"
LOG_FORMAT = \"json\"
[admin]
port = $ADMIN_PORT" > "$WORK/on.toml"
KEY=$("$BIN" keys create --config "$WORK/off.toml" --org bench --name bench | tail -1)
"$BIN" endpoints add --config "$WORK/off.toml" --org bench --name plain --type openai --base-url "http://127.0.0.1:$UP/plain/v1" --secret-env UPSTREAM_SECRET >/dev/null
"$BIN" endpoints add --config "$WORK/off.toml" --org bench --name sse --type openai --base-url "http://127.0.0.1:$UP/sse/v1" --secret-env UPSTREAM_SECRET >/dev/null
declare -A PID
for name in off on; do
  "$BIN" --config "$WORK/$name.toml" 2>"$WORK/$name.log" & PIDS+=($!); PID[$name]=$!
done
for port in $OFF_PORT $ON_PORT; do wait_healthy "$port"; done

body() { echo "{\"model\":\"gpt-4o-mini\",\"stream\":$1,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say the sentence.\"}]}"; }
for kind in plain sse; do
  stream=false; [ $kind = sse ] && stream=true
  miss_lua "$WORK/$kind.lua" "$(body $stream)" "$KEY" "$kind"
  for port in $OFF_PORT $ON_PORT; do
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

for name in on off; do
port=$OFF_PORT; [ $name = on ] && port=$ON_PORT
wrk -t2 -c32 -d8s -s "$WORK/sse.lua" "http://127.0.0.1:$port/v1/chat/completions" > /tmp/wrk-$name.txt & W=$!
sleep 1
perf record -F 2000 -g -o /tmp/perf-$name.data -p "${PID[$name]}" -- sleep 5 2>/dev/null >/dev/null
wait $W
done
