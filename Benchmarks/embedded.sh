#!/usr/bin/env bash
# In-process vs over a socket (issue 14): the latency one call pays for the hop to a proxy
# server. bench-embedded (Benchmarks/EmbeddedBench) makes the same OpenAI-format Claude call,
# one at a time, in-process through an EmbeddedProxy and over loopback to an `aiproxy` server
# (its own libcurl client, keep-alive); both proxies translate it to the same mock-upstream
# Anthropic API. Cases: plain and streamed calls that reach the upstream, and a cache hit.
# CALLS per case and way (bounded), after WARMUP calls, in ROUNDS alternating which way goes
# first. Loopback only. Writes Benchmarks/out/embedded.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-2000}
WARMUP=${WARMUP:-200}
ROUNDS=${ROUNDS:-4}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN_DIR=${BIN_DIR:-.build/release}
for binary in aiproxy mock-upstream bench-embedded; do
  [ -x "$BIN_DIR/$binary" ] || { swift build -c release -Xswiftc -static-stdlib; break; }
done
source Benchmarks/common.sh

UP=$(free_port); PROXY=$(free_port)
"$BIN_DIR/mock-upstream" --provider anthropic --port "$UP" --api-key sk-ant-bench >/dev/null & PIDS+=($!)
wait_healthy "$UP"
# The embedded proxy's bindings, as a server config: memory CACHE and CONTROL, one loop thread.
cat > "$WORK/proxy.toml" <<TOML
name = "aiproxy-bench"
[vars]
ANTHROPIC_BASE_URL = "http://127.0.0.1:$UP/v1"
[[kv_namespaces]]
binding = "CACHE"
backend = "memory"
[[kv_namespaces]]
binding = "CONTROL"
backend = "memory"
[dev]
port = $PROXY
[server]
threads = 1
TOML
"$BIN_DIR/aiproxy" --config "$WORK/proxy.toml" 2>"$WORK/proxy.log" & PIDS+=($!)
wait_healthy "$PROXY"

"$BIN_DIR/bench-embedded" --upstream "http://127.0.0.1:$UP/v1" --server "http://127.0.0.1:$PROXY" --key sk-ant-bench \
  --calls "$CALLS" --warmup "$WARMUP" --rounds "$ROUNDS" > "$WORK/table.md"
{
  echo "## In-process vs over a socket: $CALLS sequential calls per case and way after $WARMUP warm-up, $ROUNDS alternating rounds, latency to the last body byte in µs ($(date -u +%Y-%m-%d), $(nproc) cores shared by the bench, aiproxy and the mock)"
  echo
  cat "$WORK/table.md"
} | tee "$OUT/embedded.md"
