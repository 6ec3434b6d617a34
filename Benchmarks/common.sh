# Sourced by the benchmark scripts: free loopback ports, a work directory, and stopping on exit
# everything a script started (the pids in PIDS, an nginx whose pid file is in WORK, and what a
# script's own `cleanup_extra` stops, when it defines one).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d); chmod 755 "$WORK"  # nginx workers run as www-data
PIDS=()
bench_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  # Gone before their files are: a proxy still flushing rollups made `rm -rf` fail.
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
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

# A proxy config on loopback port $1: memory CACHE, file CONTROL in $WORK/control (shared by
# every instance a script starts), then the TOML in $2 (e.g. a [vars] table).
proxy_config() {  # proxy_config PORT [EXTRA_TOML]
  cat <<TOML
name = "aiproxy-bench"
[[kv_namespaces]]
binding = "CACHE"
backend = "memory"
[[kv_namespaces]]
binding = "CONTROL"
backend = "file"
path = "$WORK/control"
[dev]
port = $1
${2:-}
TOML
}

# A wrk script at $1 that POSTs the JSON body $2 with the key $3 and x-bt-use-cache: never (every
# call goes upstream), pinned to the endpoint $4 when given.
miss_lua() {  # miss_lua FILE BODY KEY [ENDPOINT]
  {
    echo 'wrk.method = "POST"'
    echo "wrk.body = [[$2]]"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo "wrk.headers[\"Authorization\"] = \"Bearer $3\""
    echo 'wrk.headers["x-bt-use-cache"] = "never"'
    if [ -n "${4:-}" ]; then echo "wrk.headers[\"x-bt-endpoint-name\"] = \"$4\""; fi
  } > "$1"
}

# Waits up to 6 s for a server on loopback port $1 to answer /healthz.
wait_healthy() {  # wait_healthy PORT
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return; sleep 0.02; done
}

# wrk's latency ("512.00us", "3.05ms", "1.2s") in microseconds, from stdin.
to_us() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v*1000 } else { sub(/s$/,"",v); print v*1000000 } }'; }
# The median of the numbers in $1 (separated by spaces), the medians the tables report.
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR]=$1 } END { print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2) }'; }
# CPU ticks (user + system) process $1 has used: per request, steadier than req/s on a shared VM.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Microseconds of CPU per request: cpu_per_request TICKS REQUESTS.
cpu_per_request() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }'; }
# "REQ/S P50 P99" of the wrk --latency output in file $1 (latencies as wrk prints them).
wrk_summary() { awk '/Requests\/sec/ { r = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } END { print r, p50, p99 }' "$1"; }
# $1 as a percentage of $2, one decimal.
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }

# nginx's server block for the chat upstream on loopback port $1: /plain/… answers with
# $WORK/chat.json and /sse/… with $WORK/chat.sse (chat_fixtures), to POSTs too. $2 is added to
# the listen directive (e.g. " ssl") and $3 to the block (e.g. its ssl_certificate lines).
chat_upstream() {  # start_nginx WORKERS "$(chat_upstream PORT [LISTEN_OPTIONS [DIRECTIVES]])"
  cat <<NGINX
    server {
        listen 127.0.0.1:$1${2:-};
        ${3:-}
        root $WORK;
        error_page 405 =200 \$uri;
        location /plain/ { default_type application/json; try_files /chat.json =404; }
        location /sse/ { default_type text/event-stream; try_files /chat.sse =404; }
    }
NGINX
}

# An OpenAI chat completion ($WORK/chat.json) and its 22-event stream ending with a usage chunk
# ($WORK/chat.sse, as stream_options.include_usage gets it), for nginx to serve as the upstream.
chat_fixtures() {
  printf '%s' '{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":10,"total_tokens":19}}' > "$WORK/chat.json"
  { for word in The quick brown fox jumps over the lazy dog and then the quick brown fox jumps over the lazy dog again; do
      printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"%s "},"finish_reason":null}]}\n\n' "$word"
    done
    printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":20,"total_tokens":29}}\n\n'
    printf 'data: [DONE]\n\n'; } > "$WORK/chat.sse"
}
