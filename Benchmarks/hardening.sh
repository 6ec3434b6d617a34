#!/usr/bin/env bash
# Hardening benchmark (issue 9): (1) hostile JSON bodies up to the 10 MiB limit — time to the
# answer with an unknown and a valid key, and /healthz on fresh connections meanwhile;
# (2) a Redis that hangs (SIGSTOP) for 10 s under load through haproxy with /readyz checks —
# errors and latency of cacheable calls. BIN and FLEET_CONFIG select another build (a baseline).
# Writes Benchmarks/out/hardening.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=${BIN:-.build/release/aiproxy}
FLEET_CONFIG=${FLEET_CONFIG:-deploy/fleet.toml}
STALL=${STALL:-10}
PARTS=${PARTS:-"bodies stall"}  # a baseline build may take minutes per hostile body: PARTS=stall
[ -x "$BIN" ] || swift build -c release -Xswiftc -static-stdlib
source Benchmarks/common.sh
cleanup_extra() { FLEET_STATE="$WORK/fleet" deploy/fleet.sh stop >/dev/null 2>&1 || true; }
export AIPROXY_MASTER_KEY=bench-hardening-key UPSTREAM_SECRET=bench-secret

# An upstream that answers at once: nginx serving a fixed chat completion.
UP=$(free_port)
printf '%s' '{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}' > "$WORK/chat.json"
start_nginx 1 "$(cat <<NGINX
    server {
        listen 127.0.0.1:$UP;
        root $WORK;
        location = /v1/chat/completions { default_type application/json; try_files /chat.json =404; }
        location = /chat.json { default_type application/json; }
        error_page 405 =200 \$uri;
    }
NGINX
)"

# (1) Hostile bodies, one instance.
echo "(not run)" > "$WORK/bodies.md"
if [[ " $PARTS " == *" bodies "* ]]; then
PORT=$(free_port)
proxy_config "$PORT" > "$WORK/one.toml"
"$BIN" endpoints add --config "$WORK/one.toml" --org bench --name up --type openai --base-url "http://127.0.0.1:$UP/v1" --secret-env UPSTREAM_SECRET >/dev/null
KEY=$("$BIN" keys create --config "$WORK/one.toml" --org bench | tail -1)
"$BIN" --config "$WORK/one.toml" 2>/dev/null & PIDS+=($!)
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.02; done
python3 Benchmarks/body_attack.py "$PORT" "$KEY" "$WORK/bodies.md" >/dev/null
fi

# (2) Redis hangs for STALL seconds under load through haproxy (3 instances).
echo "| (not run) |" > "$WORK/stall-row.md"
if [[ " $PARTS " == *" stall "* ]]; then
FRONT=$(free_port); FIRST=$(( $(free_port) % 20000 + 30000 )); REDIS=$(free_port)
FLEET_STATE="$WORK/fleet" FRONT_PORT=$FRONT FIRST_PORT=$FIRST REDIS_PORT=$REDIS BIN=$BIN FLEET_CONFIG=$FLEET_CONFIG deploy/fleet.sh start 3 >/dev/null
"$BIN" endpoints add --config "$WORK/fleet/instance-1.toml" --org bench --name up --type openai \
  --base-url "http://127.0.0.1:$UP/v1" --secret-env UPSTREAM_SECRET >/dev/null
FKEY=$("$BIN" keys create --config "$WORK/fleet/instance-1.toml" --org bench | tail -1)
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"stall"}],"seed":1}'
# Every instance resolves the key once (its credential cache then holds it) and the reply is cached.
for i in 0 1 2; do curl -fs -o /dev/null "http://127.0.0.1:$((FIRST + i))/v1/chat/completions" -H "authorization: Bearer $FKEY" -d "$BODY"; done
cat > "$WORK/stall.lua" <<LUA
wrk.method = "POST"
wrk.body = [[$BODY]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $FKEY"
LUA
REDIS_PID=$(head -1 "$WORK/fleet/pids")
( sleep 2; kill -STOP "$REDIS_PID"; sleep "$STALL"; kill -CONT "$REDIS_PID" ) &
wrk -t2 -c16 -d$((STALL + 4))s --latency -s "$WORK/stall.lua" "http://127.0.0.1:$FRONT/v1/chat/completions" > "$WORK/stall.txt"
cp "$WORK/stall.txt" "$OUT/hardening-stall.txt"
DOWN=$(grep -c "is DOWN" "$WORK/fleet/haproxy.log" || true)
requests=$(awk '/requests in/ {print $1}' "$WORK/stall.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/stall.txt"); non2xx=${non2xx:-0}
lat() { awk -v k="$1" '$1 == k {print $2}' "$WORK/stall.txt"; }
max=$(awk '/Latency/ && NF >= 4 {print $4; exit}' "$WORK/stall.txt")
echo "| $requests | $non2xx | $(lat 50%) | $(lat 99%) | $max | $DOWN |" > "$WORK/stall-row.md"
fi

{
  echo "## Hardening ($(date -u +%Y-%m-%d), $BIN, $(nproc) cores shared by the load and the servers)"
  echo
  echo "### Hostile bodies (one instance; unknown key = sk-aip-… not issued; valid key = a real proxy key)"
  echo
  cat "$WORK/bodies.md"
  echo
  echo "### Redis hung (SIGSTOP) for ${STALL} s under load: haproxy (/readyz checks) → 3 instances, cacheable calls, wrk -c16 for $((STALL + 4)) s"
  echo
  echo "| requests | non-2xx | p50 | p99 | max | haproxy \"is DOWN\" events |"
  echo "|---|---|---|---|---|---|"
  cat "$WORK/stall-row.md"
} | tee "$OUT/hardening.md"
