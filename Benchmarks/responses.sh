#!/usr/bin/env bash
# Responses bridge cost (issue 13): nginx serves recorded Claude and Gemini streams
# (Tests/Fixtures), so the proxy is the only thing working per call. The same stream is asked
# for as a chat completion (/v1/chat/completions: provider → chat chunks) and as a Response
# (/v1/responses: provider → chat chunks → Responses events), x-bt-use-cache: never, at 64 and
# 1 keep-alive connections; rounds alternate chat/responses so drift hits both; medians.
# Target: a translated Responses stream at ≥ 80% of a translated chat stream's req/s.
# Writes Benchmarks/out/responses.md and prints it.
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

cp Tests/Fixtures/anthropic/text.upstream.sse "$WORK/anthropic.sse"
cp Tests/Fixtures/google/text.stream.sse "$WORK/google.sse"
UP=$(free_port); PROXY=$(free_port)
start_nginx 1 "$(cat <<NGINX
    server {
        listen 127.0.0.1:$UP;
        root $WORK;
        error_page 405 =200 \$uri;
        location /anthropic/ { default_type text/event-stream; try_files /anthropic.sse =404; }
        location /google/ { default_type text/event-stream; try_files /google.sse =404; }
        location ~ \.sse\$ { default_type text/event-stream; }
    }
NGINX
)"
proxy_config "$PROXY" > "$WORK/proxy.toml"
export AIPROXY_MASTER_KEY=bench-master-key SECRET_anthropic=sk-ant-bench SECRET_google=AIza-bench
KEY=$("$BIN" keys create --config "$WORK/proxy.toml" --org bench --name bench | tail -1)
"$BIN" endpoints add --config "$WORK/proxy.toml" --org bench --name claude --type anthropic \
  --base-url "http://127.0.0.1:$UP/anthropic/v1" --secret-env SECRET_anthropic >/dev/null
"$BIN" endpoints add --config "$WORK/proxy.toml" --org bench --name gemini --type google \
  --base-url "http://127.0.0.1:$UP/google/v1beta" --secret-env SECRET_google >/dev/null
"$BIN" --config "$WORK/proxy.toml" 2>"$WORK/proxy.log" & PIDS+=($!); PROXY_PID=$!
wait_healthy "$PROXY"

declare -A MODEL=([claude]=claude-3-5-sonnet-latest [gemini]=gemini-2.5-flash)
declare -A BODY=(
  [chat]='{"model":"%s","stream":true,"max_tokens":64,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello."}]}'
  [responses]='{"model":"%s","stream":true,"max_output_tokens":64,"instructions":"Be brief.","input":"Say hello."}'
)
declare -A PATHS=([chat]=/v1/chat/completions [responses]=/v1/responses)
for provider in claude gemini; do
  for api in chat responses; do
    body=$(printf "${BODY[$api]}" "${MODEL[$provider]}")
    miss_lua "$WORK/$provider-$api.lua" "$body" "$KEY" "$provider"
    # Each setup answers a whole stream before it is measured.
    curl -fsN "http://127.0.0.1:$PROXY${PATHS[$api]}" -H "authorization: Bearer $KEY" -H 'x-bt-use-cache: never' \
      -H "x-bt-endpoint-name: $provider" -d "$body" > "$WORK/check.txt"
    grep -q 'response.completed\|\[DONE\]' "$WORK/check.txt" || { echo "responses.sh: $provider $api: no whole stream" >&2; cat "$WORK/check.txt" >&2; exit 1; }
  done
done

declare -A RPS P50 CPU
for round in $(seq "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  for conns in 64 1; do
    for provider in claude gemini; do
      order="chat responses"; [ $((round % 2)) = 0 ] && order="responses chat"
      for api in $order; do
        threads=2; [ "$conns" = 1 ] && threads=1
        before=$(cpu_ticks "$PROXY_PID")
        wrk -t$threads -c$conns -d"${DURATION}s" --latency -s "$WORK/$provider-$api.lua" "http://127.0.0.1:$PROXY${PATHS[$api]}" > "$WORK/r.txt"
        ticks=$(( $(cpu_ticks "$PROXY_PID") - before ))
        CPU[$provider,$api,$conns]+="$(cpu_per_request "$ticks" "$(awk '/requests in/ {print $1}' "$WORK/r.txt")") "
        if grep -qE "Non-2xx|Socket errors" "$WORK/r.txt"; then echo "$provider $api $conns: errors" >&2; cat "$WORK/r.txt" >&2; exit 1; fi
        RPS[$provider,$api,$conns]+="$(awk '/Requests\/sec/ {print $2}' "$WORK/r.txt") "
        P50[$provider,$api,$conns]+="$(awk '$1 == "50%" {print $2}' "$WORK/r.txt" | to_us) "
      done
    done
  done
done
{
  echo "## Responses bridge vs chat: translated streams, nginx serving recorded provider streams, ${ROUNDS} alternating rounds of ${DURATION}s ($(date -u +%Y-%m-%d), $(nproc) cores shared by wrk, nginx and the proxy)"
  echo
  echo "| provider | connections | chat req/s | responses req/s | responses/chat | chat p50 µs | responses p50 µs | chat CPU µs/request | responses CPU µs/request |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for conns in 64 1; do
    for provider in claude gemini; do
      chat=$(median "${RPS[$provider,chat,$conns]}")
      responses=$(median "${RPS[$provider,responses,$conns]}")
      echo "| $provider | $conns | $chat | $responses | $(percent "$responses" "$chat") | $(median "${P50[$provider,chat,$conns]}") | $(median "${P50[$provider,responses,$conns]}") | $(median "${CPU[$provider,chat,$conns]}") | $(median "${CPU[$provider,responses,$conns]}") |"
    done
  done
} | tee "$OUT/responses.md"
