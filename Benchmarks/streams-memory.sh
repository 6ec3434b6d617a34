#!/usr/bin/env bash
# Memory under 1,000 concurrent slow streams (issue 10's "RSS < 100 MB"): a fresh proxy (CACHE
# in memory, CONTROL on file, one proxy key, the bundled mock upstream streaming each reply over
# ~2 s), 1,000 streamed calls opened at once; its RSS when idle and at its peak (VmHWM).
# BINS="old new" alternates builds over ROUNDS (3) rounds: the peak moves ±6 MB between runs of
# one build. Prints one line per run; writes Benchmarks/out/streams-memory.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=Benchmarks/out
mkdir -p "$OUT"
BINS=${BINS:-.build/release/aiproxy}
MOCK=${MOCK:-.build/release/mock-upstream}
[ -x "${BINS%% *}" ] && [ -x "$MOCK" ] || swift build -c release -Xswiftc -static-stdlib
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
source Benchmarks/common.sh

MOCK_PORT=$(free_port)
"$MOCK" --port "$MOCK_PORT" --threads 2 >/dev/null 2>&1 & PIDS+=($!)
wait_healthy "$MOCK_PORT"
curl -fs -o /dev/null -X POST "http://127.0.0.1:$MOCK_PORT/__mock/behavior" -d '{"chunk_delay_ms":300}'
export AIPROXY_MASTER_KEY=bench-master-key UPSTREAM_SECRET=bench-upstream-secret
proxy_config 1 > "$WORK/base.toml"
FIRST=${BINS%% *}
KEY=$("$FIRST" keys create --config "$WORK/base.toml" --org bench --name bench | tail -1)
"$FIRST" endpoints add --config "$WORK/base.toml" --org bench --name mock --type openai \
  --base-url "http://127.0.0.1:$MOCK_PORT/v1" --secret-env UPSTREAM_SECRET >/dev/null

LINES=()
for round in $(seq "${ROUNDS:-3}"); do
  for bin in $BINS; do
    port=$(free_port)
    proxy_config "$port" > "$WORK/streams.toml"
    "$bin" --config "$WORK/streams.toml" 2>"$WORK/proxy.log" & pid=$!
    wait_healthy "$port"
    idle=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
    completed=$(python3 - "$port" "$KEY" <<'PY'
import asyncio, sys
port, key = int(sys.argv[1]), sys.argv[2]
body = b'{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"one two three four five"}]}'
request = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
           b"Authorization: Bearer " + key.encode() + b"\r\nx-bt-use-cache: never\r\nx-bt-endpoint-name: mock\r\n"
           b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
async def one():
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    data = await reader.read()
    writer.close()
    return b"data: [DONE]" in data
async def main():
    results = await asyncio.gather(*[one() for _ in range(1000)], return_exceptions=True)
    print(sum(1 for r in results if r is True))
asyncio.run(main())
PY
)
    peak=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    LINES+=("| $bin | $round | $completed | $((idle / 1024)) MB | $((peak / 1024)) MB |")
    echo "$bin: $completed of 1000 streams completed with [DONE]; RSS idle $((idle / 1024)) MB, peak $((peak / 1024)) MB"
  done
done
{
  echo "## 1,000 concurrent slow streams ($(date -u +%Y-%m-%d), $(nproc) cores; target: peak RSS < 100 MB)"
  echo
  echo "| binary | round | completed | RSS idle | RSS peak |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${LINES[@]}"
} > "$OUT/streams-memory.md"
