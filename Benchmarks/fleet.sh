#!/usr/bin/env bash
# Fleet benchmark (issue 5): cache-hit requests/s through haproxy with 1 and 3 instances on
# Redis, and the per-request cost of RedisKV vs FileKV vs MemoryKV on the hit path (one
# instance, direct). Writes Benchmarks/out/fleet.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=${BIN:-.build/release/aiproxy}
MOCK=${MOCK:-.build/release/mock-upstream}
[ -x "$BIN" ] && [ -x "$MOCK" ] || swift build -c release -Xswiftc -static-stdlib
source Benchmarks/common.sh
cleanup_extra() { FLEET_STATE="$WORK/fleet" deploy/fleet.sh stop >/dev/null 2>&1 || true; }
export AIPROXY_MASTER_KEY=bench-fleet-key UPSTREAM_SECRET=bench-secret

MOCK_PORT=$(free_port)
"$MOCK" --port "$MOCK_PORT" >/dev/null 2>&1 & PIDS+=($!)
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say the sentence."}],"seed":1}'
lua() {  # lua FILE KEY
  cat > "$1" <<LUA
wrk.method = "POST"
wrk.body = [[$BODY]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $2"
wrk.headers["x-bt-use-cache"] = "always"
LUA
}
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
lat() { awk -v k="$2" '$1 == k {print $2}' "$1"; }
ROWS=()
measure() {  # measure LABEL URL LUA CONNS
  local out="$WORK/r.txt" threads=2; [ "$4" = 1 ] && threads=1
  curl -fs -o /dev/null "$2" -H "authorization: Bearer $KEY" -H 'x-bt-use-cache: always' -d "$BODY"
  sleep 0.3
  wrk -t$threads -c"$4" -d"${DURATION}s" --latency -s "$3" "$2" > "$out"
  cp "$out" "$OUT/fleet-${1// /-}-$4.txt"
  local errors; errors=$(grep -E "Non-2xx|Socket errors" "$out" || true)
  ROWS+=("| $1 | $4 | $(rps "$out") | $(lat "$out" 50%) | $(lat "$out" 99%) | ${errors:-} |")
}

# Through haproxy, CACHE and CONTROL on Redis, 1 then 3 instances.
for size in 1 3; do
  FRONT=$(free_port); FIRST=$(( $(free_port) % 20000 + 30000 )); REDIS=$(free_port)
  FLEET_STATE="$WORK/fleet" FRONT_PORT=$FRONT FIRST_PORT=$FIRST REDIS_PORT=$REDIS BIN=$BIN deploy/fleet.sh start "$size" >/dev/null
  "$BIN" endpoints add --config "$WORK/fleet/instance-1.toml" --org bench --name mock --type openai \
    --base-url "http://127.0.0.1:$MOCK_PORT/v1" --secret-env UPSTREAM_SECRET >/dev/null
  KEY=$("$BIN" keys create --config "$WORK/fleet/instance-1.toml" --org bench | tail -1)
  lua "$WORK/hit.lua" "$KEY"
  measure "haproxy → $size instance(s), Redis" "http://127.0.0.1:$FRONT/v1/chat/completions" "$WORK/hit.lua" 64
  FLEET_STATE="$WORK/fleet" deploy/fleet.sh stop >/dev/null
done

# One instance, direct: the hit path on each KV backend.
REDIS=$(free_port)
redis-server --port "$REDIS" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null 2>&1 & PIDS+=($!)
sleep 0.3
for backend in memory file redis; do
  PORT=$(free_port)
  case $backend in
    memory) cache='backend = "memory"' ;;
    file) cache="backend = \"file\"
path = \"$WORK/cache-file\"" ;;
    redis) cache="backend = \"redis\"
url = \"redis://127.0.0.1:$REDIS/0\"" ;;
  esac
  cat > "$WORK/$backend.toml" <<TOML
[[kv_namespaces]]
binding = "CACHE"
$cache
[[kv_namespaces]]
binding = "CONTROL"
backend = "file"
path = "$WORK/control"
[dev]
port = $PORT
TOML
  "$BIN" endpoints add --config "$WORK/$backend.toml" --org bench --name mock --type openai \
    --base-url "http://127.0.0.1:$MOCK_PORT/v1" --secret-env UPSTREAM_SECRET >/dev/null 2>&1 || true
  KEY=$("$BIN" keys create --config "$WORK/$backend.toml" --org bench | tail -1)
  "$BIN" --config "$WORK/$backend.toml" 2>/dev/null & PIDS+=($!)
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.02; done
  lua "$WORK/hit-$backend.lua" "$KEY"
  for conns in 64 1; do measure "direct, CACHE on $backend KV" "http://127.0.0.1:$PORT/v1/chat/completions" "$WORK/hit-$backend.lua" $conns; done
done

{
  echo "## Fleet: cache hits, ${DURATION}s per run ($(date -u +%Y-%m-%d), $(nproc) cores shared by wrk, haproxy, Redis and the instances)"
  echo
  echo "| setup | connections | requests/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$OUT/fleet.md"
