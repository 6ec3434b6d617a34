#!/usr/bin/env bash
# Translation cost (issue 4): nginx serves fixed provider replies (OpenAI, Anthropic, Gemini,
# Bedrock Converse; plain and streamed, the streams from Tests/Fixtures), so the proxy is the
# only thing working per call. Through one proxy, x-bt-use-cache: never, 64 keep-alive
# connections: OpenAI passthrough beside Claude, Gemini and Bedrock translation (Bedrock also
# signs every call with SigV4 and decodes AWS's binary event stream). Writes
# Benchmarks/out/providers.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=${BIN:-.build/release/aiproxy}
[ -x "$BIN" ] || swift build -c release -Xswiftc -static-stdlib
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

source Benchmarks/common.sh

# The replies nginx serves.
cat > "$WORK/openai.json" <<'JSON'
{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":10,"total_tokens":19}}
JSON
{ for word in The quick brown fox jumps over the lazy dog.; do
    printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"%s "},"finish_reason":null}]}\n\n' "$word"
  done; printf 'data: [DONE]\n\n'; } > "$WORK/openai.sse"
cp Tests/Fixtures/anthropic/text.response.json "$WORK/anthropic.json"
cp Tests/Fixtures/anthropic/text.upstream.sse "$WORK/anthropic.sse"
cat > "$WORK/google.json" <<'JSON'
{"candidates":[{"content":{"parts":[{"text":"The quick brown fox jumps over the lazy dog."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":10,"totalTokenCount":19},"modelVersion":"gemini-2.5-flash"}
JSON
cp Tests/Fixtures/google/text.stream.sse "$WORK/google.sse"
cat > "$WORK/bedrock.json" <<'JSON'
{"output":{"message":{"role":"assistant","content":[{"text":"The quick brown fox jumps over the lazy dog."}]}},"stopReason":"end_turn","usage":{"inputTokens":9,"outputTokens":10,"totalTokens":19},"metrics":{"latencyMs":100}}
JSON
python3 - Tests/Fixtures/bedrock/converse-stream.tool_use.events.jsonl "$WORK/bedrock.bin" <<'PY'
import json, struct, sys, zlib
def message(event, payload):
    headers = b""
    for name, value in ((":event-type", event), (":content-type", "application/json"), (":message-type", "event")):
        headers += bytes([len(name)]) + name.encode() + b"\x07" + struct.pack(">H", len(value)) + value.encode()
    body = json.dumps(payload, separators=(",", ":")).encode()
    prelude = struct.pack(">II", 16 + len(headers) + len(body), len(headers))
    out = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + body
    return out + struct.pack(">I", zlib.crc32(out))
with open(sys.argv[2], "wb") as f:
    for line in open(sys.argv[1]):
        event = json.loads(line)
        f.write(message(event["event"], event["payload"]))
PY

UP=$(free_port); PROXY=$(free_port)
start_nginx 1 "$(cat <<NGINX
    server {
        listen 127.0.0.1:$UP;
        root $WORK;
        error_page 405 =200 \$uri;
        location /plain/openai/ { default_type application/json; try_files /openai.json =404; }
        location /sse/openai/ { default_type text/event-stream; try_files /openai.sse =404; }
        location /plain/anthropic/ { default_type application/json; try_files /anthropic.json =404; }
        location /sse/anthropic/ { default_type text/event-stream; try_files /anthropic.sse =404; }
        location /plain/google/ { default_type application/json; try_files /google.json =404; }
        location /sse/google/ { default_type text/event-stream; try_files /google.sse =404; }
        location /plain/bedrock/ { default_type application/json; try_files /bedrock.json =404; }
        location /sse/bedrock/ { default_type application/vnd.amazon.eventstream; try_files /bedrock.bin =404; }
        # try_files ends in an internal redirect to the file: its type is set where it lands.
        location ~ \.json\$ { default_type application/json; }
        location ~ \.sse\$ { default_type text/event-stream; }
        location ~ \.bin\$ { default_type application/vnd.amazon.eventstream; }
    }
NGINX
)"

proxy_config "$PROXY" > "$WORK/proxy.toml"
export AIPROXY_MASTER_KEY=bench-master-key SECRET_openai=sk-bench SECRET_anthropic=sk-ant-bench SECRET_google=AIza-bench \
  SECRET_bedrock=AKIDBENCH:bench-secret
KEY=$("$BIN" keys create --config "$WORK/proxy.toml" --org bench --name bench | tail -1)
for provider in openai anthropic google bedrock; do
  for mode in plain sse; do
    base="http://127.0.0.1:$UP/$mode/$provider"
    case $provider in openai|anthropic) base+="/v1" ;; google) base+="/v1beta" ;; esac
    "$BIN" endpoints add --config "$WORK/proxy.toml" --org bench --name "$provider-$mode" --type "$provider" \
      --base-url "$base" --secret-env "SECRET_$provider" >/dev/null
  done
done
"$BIN" --config "$WORK/proxy.toml" 2>"$WORK/proxy.log" & PIDS+=($!)
wait_healthy "$PROXY"

ROWS=()
run() {  # run PROVIDER MODEL MODE
  local provider=$1 model=$2 mode=$3 out="$WORK/r.txt" stream=false
  [ "$mode" = sse ] && stream=true
  local body="{\"model\":\"$model\",\"stream\":$stream,\"max_tokens\":64,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say the sentence.\"}]}"
  miss_lua "$WORK/s.lua" "$body" "$KEY" "$provider-$mode"
  # One call first: it must succeed (a translation error would make the numbers meaningless).
  curl -s -o "$WORK/check.txt" "http://127.0.0.1:$PROXY/v1/chat/completions" -H "authorization: Bearer $KEY" \
    -H 'content-type: application/json' -H 'x-bt-use-cache: never' -H "x-bt-endpoint-name: $provider-$mode" -d "$body"
  grep -q "quick\|lazy\|Hello\|Claude\|cities" "$WORK/check.txt" || { echo "$provider $mode: unexpected reply"; cat "$WORK/check.txt"; exit 1; }
  wrk -t2 -c64 -d"${DURATION}s" --latency -s "$WORK/s.lua" "http://127.0.0.1:$PROXY/v1/chat/completions" > "$out"
  cp "$out" "$OUT/providers-$provider-$mode.txt"
  local errors; errors=$(grep -E "Non-2xx|Socket errors" "$out" || true)
  ROWS+=("| $provider | $model | $mode | $(awk '/Requests\/sec/ {print $2}' "$out") | $(awk '$1 == "50%" {print $2}' "$out") | $(awk '$1 == "99%" {print $2}' "$out") | ${errors:-} |")
}
for mode in plain sse; do
  run openai gpt-4o-mini $mode
  run anthropic claude-3-5-sonnet-latest $mode
  run google gemini-2.5-flash $mode
  run bedrock anthropic.claude-3-5-sonnet-20241022-v2:0 $mode
done
{
  echo "## Providers: translation cost, nginx serving fixed provider replies, 64 connections, ${DURATION}s per run ($(date -u +%Y-%m-%d), $(nproc) cores, wrk, proxy and nginx on the same machine)"
  echo
  echo "| provider | model | reply | requests/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$OUT/providers.md"
