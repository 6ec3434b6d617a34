#!/usr/bin/env bash
# Soak test: SOAK_SECONDS (1800) of mixed load against one aiproxy whose CACHE and CONTROL live on
# a real redis-server, with the proxy's RSS and open fds sampled every 10 s. Upstreams are six
# mock-upstream processes on loopback, one per behaviour (healthy, 429, 500, cut mid-stream,
# slow, and one for the slow readers' long replies), each an endpoint of one org that the load
# pins with `x-bt-endpoint-name`.
# Writes Benchmarks/out/soak.csv, soak-summary.md and soak.png; exits non-zero when RSS or fds
# grow more than 5% after warm-up, when a request ends in an outcome it was not meant to, or
# when the proxy does not drain and exit 0 on SIGTERM at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK_SECONDS=${SOAK_SECONDS:-1800}
PYTHON=${PYTHON:-python3}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=${BIN:-.build/release/aiproxy}
MOCK=${MOCK:-.build/release/mock-upstream}
[ -x "$BIN" ] && [ -x "$MOCK" ] || swift build -c release -Xswiftc -static-stdlib

source Benchmarks/common.sh
# Ctrl-C or a kill: leave through `exit`, so the EXIT trap (bench_cleanup) stops what was started.
trap 'exit 130' INT
trap 'exit 143' TERM
export AIPROXY_MASTER_KEY=soak-master-key UPSTREAM_SECRET=soak-upstream-secret

wait_http() {  # wait_http URL: up to 10 s for any HTTP answer
  for _ in $(seq 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done
  echo "soak: $1 did not answer" >&2; return 1
}

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  >"$OUT/soak-redis.log" 2>&1 & PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

# One mock per behaviour (a mock's behaviour applies to every call it gets). `large` behaves like
# `healthy` but serves the slow readers' 24,000-word replies: building one stalls a mock's single
# loop for ~0.3 s, which would otherwise show up as the proxy's latency on the healthy calls.
declare -A BEHAVIOUR=(
  [healthy]='{}'
  [large]='{}'
  [rate-limited]='{"fail_status": 429}'
  [failing]='{"fail_status": 500}'
  [cut]='{"fail_mid_stream_after": 3}'
  [slow]='{"latency_ms": 500, "chunk_delay_ms": 50}'
)
declare -A MOCK_PORT
for name in "${!BEHAVIOUR[@]}"; do
  MOCK_PORT[$name]=$(free_port)
  "$MOCK" --port "${MOCK_PORT[$name]}" --name "$name" >/dev/null 2>"$OUT/soak-mock-$name.log" & PIDS+=($!)
done
for name in "${!BEHAVIOUR[@]}"; do
  wait_http "http://127.0.0.1:${MOCK_PORT[$name]}/__mock/requests"
  curl -fs -X POST "http://127.0.0.1:${MOCK_PORT[$name]}/__mock/behavior" -d "${BEHAVIOUR[$name]}"
done

PROXY_PORT=$(free_port)
cat > "$WORK/soak.toml" <<TOML
name = "aiproxy-soak"
[[kv_namespaces]]
binding = "CACHE"
backend = "redis"
url = "redis://127.0.0.1:$REDIS_PORT/0"
[[kv_namespaces]]
binding = "CONTROL"
backend = "redis"
url = "redis://127.0.0.1:$REDIS_PORT/0"
[dev]
ip = "127.0.0.1"
port = $PROXY_PORT
TOML
for name in "${!BEHAVIOUR[@]}"; do
  "$BIN" endpoints add --config "$WORK/soak.toml" --org soak --name "$name" --type openai \
    --base-url "http://127.0.0.1:${MOCK_PORT[$name]}/v1" --secret-env UPSTREAM_SECRET >/dev/null
done
KEY=$("$BIN" keys create --config "$WORK/soak.toml" --org soak --name soak | tail -1)

"$BIN" --config "$WORK/soak.toml" 2>"$OUT/soak-aiproxy.log" & PROXY_PID=$!
PIDS+=("$PROXY_PID")
wait_http "http://127.0.0.1:$PROXY_PORT/healthz"

mock_ports=""
for name in "${!BEHAVIOUR[@]}"; do mock_ports+="${mock_ports:+,}${MOCK_PORT[$name]}"; done
status=0
# In the background, so a signal to this script is handled at once (bash runs traps only
# between foreground commands) and the cleanup stops the load too.
"$PYTHON" Benchmarks/soak_load.py --port "$PROXY_PORT" --key "$KEY" --pid "$PROXY_PID" \
  --seconds "$SOAK_SECONDS" --mock-ports "$mock_ports" --redis-port "$REDIS_PORT" --out "$OUT" & PIDS+=($!)
wait "${PIDS[-1]}" || status=$?

# The proxy must still drain and exit 0 after the soak (drain_timeout is 30 s; killed at 40 s).
if kill -TERM "$PROXY_PID" 2>/dev/null; then
  for _ in $(seq 400); do kill -0 "$PROXY_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$PROXY_PID" 2>/dev/null && kill -KILL "$PROXY_PID"
fi
# Bash has reaped the process by now and `wait` returns its status (137 when it had to be killed).
exit_code=0
wait "$PROXY_PID" || exit_code=$?
echo "aiproxy exit status (SIGTERM after the load): $exit_code" | tee -a "$OUT/soak-summary.md"
[ "$exit_code" = 0 ] || status=1
echo "aiproxy log lines by level: $(awk '{print $2}' "$OUT/soak-aiproxy.log" | sort | uniq -c | xargs echo)" \
  | tee -a "$OUT/soak-summary.md"

if "$PYTHON" -c 'import matplotlib' 2>/dev/null; then
  "$PYTHON" Benchmarks/soak_plot.py "$OUT/soak.csv" "$OUT/soak.png" || status=1
else
  echo "soak: matplotlib is missing for $PYTHON, no plot (make soak installs it into .venv)"
fi
exit "$status"
