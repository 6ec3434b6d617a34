#!/usr/bin/env bash
# Runtime benchmark (issue 2): a 600-byte JSON reply over 64 keep-alive connections, our
# server beside nginx serving the same bytes in the same run; idle and loaded RSS; time
# from exec to the first 200. Writes Benchmarks/out/runtime.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=.build/release/bench-worker
[ -x "$BIN" ] || swift build -c release -Xswiftc -static-stdlib --product bench-worker

source Benchmarks/common.sh
rss_kb() { awk '/^VmRSS/ {print $2}' /proc/$1/status; }
hwm_kb() { awk '/^VmHWM/ {print $2}' /proc/$1/status; }

PORT=$(free_port)
NGINX_PORT=$(free_port)

# Time from exec to the first 200, measured by a client polling every 1 ms.
STARTUP_MS=$(python3 - "$BIN" "$PORT" <<'PY'
import socket, subprocess, sys, time
binary, port = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
proc = subprocess.Popen([binary, "--port", str(port)], stderr=subprocess.DEVNULL)
request = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
while True:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(request)
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                break
    except OSError:
        time.sleep(0.001)
print(f"{(time.perf_counter() - start) * 1000:.1f}")
proc.terminate()
proc.wait()
PY
)

"$BIN" --port "$PORT" 2>/dev/null &
PID=$!; PIDS+=($PID)
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break; sleep 0.01; done
"$BIN" --print-payload > "$WORK/payload.json"
sleep 0.5
IDLE_RSS=$(rss_kb $PID)

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    open_file_cache max=16 inactive=60s;
    sendfile on;
    tcp_nodelay on;
    client_body_temp_path $WORK;
    proxy_temp_path $WORK;
    fastcgi_temp_path $WORK;
    uwsgi_temp_path $WORK;
    scgi_temp_path $WORK;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / { default_type application/json; root $WORK; try_files /payload.json =404; }
        location = /mem { default_type application/json; return 200 '$(cat "$WORK/payload.json")'; }
    }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.3

run_wrk() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" > "$2"; }
field() { awk -v k="$2" '$1 == k {print $2}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }

# Warm both, then measure alternately so neither gets a quieter machine.
wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$PORT/" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$NGINX_PORT/" >/dev/null
run_wrk "http://127.0.0.1:$PORT/" "$WORK/ours.txt"
run_wrk "http://127.0.0.1:$NGINX_PORT/" "$WORK/nginx.txt"
run_wrk "http://127.0.0.1:$NGINX_PORT/mem" "$WORK/nginx-mem.txt"
cp "$WORK/ours.txt" "$WORK/nginx.txt" "$WORK/nginx-mem.txt" "$OUT/"
LOADED_RSS=$(hwm_kb $PID)

OURS_RPS=$(rps "$WORK/ours.txt"); NGINX_RPS=$(python3 -c "print(max($(rps "$WORK/nginx.txt"), $(rps "$WORK/nginx-mem.txt")))")
for f in ours nginx nginx-mem; do
  if grep -q "Non-2xx" "$WORK/$f.txt"; then echo "bench: $f answered errors; see $OUT/$f.txt" >&2; exit 1; fi
done
RATIO=$(python3 -c "print(round(100 * $OURS_RPS / $NGINX_RPS))")
{
  echo "## Runtime: 600-byte JSON, $CONNECTIONS keep-alive connections, ${DURATION}s, wrk -t2 ($(date -u +%Y-%m-%d))"
  echo
  echo "| server | requests/s | p50 | p99 |"
  echo "|---|---|---|---|"
  echo "| EdgeRuntime (bench-worker, $(nproc) loops) | $OURS_RPS | $(field "$WORK/ours.txt" 50%) | $(field "$WORK/ours.txt" 99%) |"
  echo "| nginx 2 workers, static file | $(rps "$WORK/nginx.txt") | $(field "$WORK/nginx.txt" 50%) | $(field "$WORK/nginx.txt" 99%) |"
  echo "| nginx 2 workers, \`return 200\` from memory | $(rps "$WORK/nginx-mem.txt") | $(field "$WORK/nginx-mem.txt" 50%) | $(field "$WORK/nginx-mem.txt" 99%) |"
  echo
  echo "- throughput vs the faster nginx row: ${RATIO}% (target ≥ 50%)"
  echo "- idle RSS: $((IDLE_RSS / 1024)) MB ($IDLE_RSS kB; target < 25 MB)"
  echo "- loaded RSS (peak, VmHWM): $((LOADED_RSS / 1024)) MB ($LOADED_RSS kB)"
  echo "- exec to first 200: ${STARTUP_MS} ms (target ≤ 100 ms)"
} | tee "$OUT/runtime.md"
