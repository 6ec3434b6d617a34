# Sourced by the benchmark scripts: free loopback ports, a work directory, and stopping on exit
# everything a script started (the pids in PIDS, an nginx whose pid file is in WORK, and what a
# script's own `cleanup_extra` stops, when it defines one).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d); chmod 755 "$WORK"  # nginx workers run as www-data
PIDS=()
bench_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  if declare -F cleanup_extra >/dev/null; then cleanup_extra; fi
  rm -rf "$WORK"
}
trap bench_cleanup EXIT

# Starts nginx with $1 worker processes and the server blocks in $2 (text inside `http { }`),
# its pid, log and temp files in $WORK (stopped on exit by bench_cleanup).
start_nginx() {  # start_nginx WORKERS SERVER_BLOCKS
  cat > "$WORK/nginx.conf" <<NGINX
worker_processes $1;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
$2
}
NGINX
  nginx -c "$WORK/nginx.conf" -p "$WORK"
}
