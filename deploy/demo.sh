#!/usr/bin/env bash
# demo.sh — a full round trip offline, no provider key: the bundled mock OpenAI API on 127.0.0.1:8799,
# an org "demo" with an endpoint pointing at it and a key with limits, the proxy on :8787 and its
# admin page on :8001 (kv-data/demo/). Prints the key, the admin token and a curl to try; Ctrl-C
# stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release}
STATE=kv-data/demo
mkdir -p "$STATE"
export AIPROXY_MASTER_KEY=${AIPROXY_MASTER_KEY:-demo-master-key-not-for-production}
export AIPROXY_ADMIN_TOKEN=${AIPROXY_ADMIN_TOKEN:-$(openssl rand -hex 16)}
cat > "$STATE/wrangler.toml" <<TOML
name = "aiproxy-demo"
[vars]
USAGE_LOG = "$STATE/usage.jsonl"
[[kv_namespaces]]
binding = "CACHE"
backend = "file"
path = "$STATE/cache"
[[kv_namespaces]]
binding = "CONTROL"
backend = "file"
path = "$STATE/control"
[dev]
ip = "127.0.0.1"
port = 8787
[admin]
ip = "127.0.0.1"
port = 8001
TOML
"$BIN/mock-upstream" --port 8799 >/dev/null &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
MOCK_SECRET=sk-mock "$BIN/aiproxy" endpoints add --config "$STATE/wrangler.toml" --org demo --name mock --type openai \
  --base-url http://127.0.0.1:8799/v1 --secret-env MOCK_SECRET >/dev/null
KEY=$("$BIN/aiproxy" keys create --config "$STATE/wrangler.toml" --org demo --name demo --rpm-limit 60 \
  --max-budget 1 --budget-duration 1d | tail -1)
cat <<TEXT
proxy:  http://127.0.0.1:8787/v1      key: $KEY
admin:  http://127.0.0.1:8001/        token: $AIPROXY_ADMIN_TOKEN

try:    curl -s http://127.0.0.1:8787/v1/chat/completions -H "authorization: Bearer $KEY" \\
          -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello from the demo"}]}'
TEXT
"$BIN/aiproxy" --config "$STATE/wrangler.toml"
