#!/usr/bin/env bash
# The miss path to an upstream over TLS, as every hosted provider is. nginx serves the chat
# completion and its SSE stream twice, over plain HTTP and over HTTPS (a self-signed
# certificate that aiproxy trusts through UPSTREAM_CA_BUNDLE). Beside aiproxy: nginx
# `proxy_pass` to the same upstreams (a keep-alive pool, the certificate verified, sessions
# reused). Interleaved rounds, medians, at 64 and 1 connections:
#   req/s, p50, p99; the proxy's CPU a call (aiproxy only: nginx's workers are shared with the
#   upstream); and the upstream connections opened during the run (nginx stub_status), which
#   says whether upstream connections, and so their TLS handshakes, are reused. A run that ends
#   with calls in flight closes their connections (up to one per client connection), so the next
#   run at 64 connections opens that many again; nginx also ends an upstream connection after
#   1,000 requests (its upstream keepalive_requests).
# BIN=path/to/aiproxy (default .build/release/aiproxy). Writes Benchmarks/out/tls-upstream.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-3}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=${BIN:-.build/release/aiproxy}
[ -x "$BIN" ] || swift build -c release -Xswiftc -static-stdlib
source Benchmarks/common.sh

chat_fixtures
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

UP=$(free_port); UP_TLS=$(free_port); STATUS=$(free_port); PROXY=$(free_port); PROXY_TLS=$(free_port)
passing() {  # passing UPSTREAM_NAME SCHEME: nginx's reverse proxy to it
  echo "location / { proxy_pass $2://$1; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_buffering off;"
  [ "$2" = https ] && echo "proxy_ssl_verify on; proxy_ssl_trusted_certificate $WORK/cert.pem; proxy_ssl_name 127.0.0.1; proxy_ssl_session_reuse on;"
  echo "}"
}
start_nginx 2 "$(cat <<NGINX
    upstream llm { server 127.0.0.1:$UP; keepalive 128; }
    upstream llm_tls { server 127.0.0.1:$UP_TLS; keepalive 128; }
$(chat_upstream "$UP")
$(chat_upstream "$UP_TLS" " ssl" "ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem;")
    server { listen 127.0.0.1:$STATUS; location / { stub_status; } }
    server { listen 127.0.0.1:$PROXY; $(passing llm http) }
    server { listen 127.0.0.1:$PROXY_TLS; $(passing llm_tls https) }
NGINX
)"

export AIPROXY_MASTER_KEY=bench-master-key UPSTREAM_SECRET=bench-upstream-secret
PORT=$(free_port)
proxy_config "$PORT" "$(printf '[vars]\nUPSTREAM_CA_BUNDLE = "%s"' "$WORK/cert.pem")" > "$WORK/proxy.toml"
KEY=$("$BIN" keys create --config "$WORK/proxy.toml" --org bench --name bench | tail -1)
for kind in plain sse; do
  "$BIN" endpoints add --config "$WORK/proxy.toml" --org bench --name "$kind-http" --type openai \
    --base-url "http://127.0.0.1:$UP/$kind/v1" --secret-env UPSTREAM_SECRET >/dev/null
  "$BIN" endpoints add --config "$WORK/proxy.toml" --org bench --name "$kind-https" --type openai \
    --base-url "https://127.0.0.1:$UP_TLS/$kind/v1" --secret-env UPSTREAM_SECRET >/dev/null
done
"$BIN" --config "$WORK/proxy.toml" 2>"$WORK/proxy.log" & PIDS+=($!)
PROXY_PID=$!
wait_healthy "$PORT"

body() { echo "{\"model\":\"gpt-4o-mini\",\"stream\":$1,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say the sentence.\"}]}"; }
for kind in plain sse; do
  stream=false; [ $kind = sse ] && stream=true
  miss_lua "$WORK/direct-$kind.lua" "$(body $stream)" "$KEY"
  for scheme in http https; do
    miss_lua "$WORK/proxy-$kind-$scheme.lua" "$(body $stream)" "$KEY" "$kind-$scheme"
    # Every setup answers before it is measured.
    curl -fs "http://127.0.0.1:$PORT/v1/chat/completions" -H "authorization: Bearer $KEY" -H 'x-bt-use-cache: never' \
      -H "x-bt-endpoint-name: $kind-$scheme" -d "$(body $stream)" | grep -q lazy \
      || { echo "aiproxy → $kind over $scheme: unexpected reply"; tail -5 "$WORK/proxy.log"; exit 1; }
  done
  for port in $PROXY $PROXY_TLS; do
    curl -fs "http://127.0.0.1:$port/$kind/v1/chat/completions" -d "$(body $stream)" | grep -q lazy \
      || { echo "nginx proxy_pass on $port: unexpected reply"; exit 1; }
  done
done

accepts() { curl -fs "http://127.0.0.1:$STATUS/" | awk 'NR == 3 { print $1 }'; }
mkdir -p "$WORK/results"
measure() {  # measure SETUP KIND CONNS URL LUA CLIENT_CONNS [PID]
  local threads=2 ticks=0 cpu=- before after requests
  [ "$3" = 1 ] && threads=1
  [ -n "${7:-}" ] && ticks=$(cpu_ticks "$7")
  before=$(accepts)
  wrk -t$threads -c"$3" -d"${DURATION}s" --latency -s "$WORK/$5.lua" "$4" > "$WORK/r.txt"
  after=$(accepts)
  if grep -qE "Non-2xx|Socket errors" "$WORK/r.txt"; then echo "$1 $2 $3: errors"; cat "$WORK/r.txt"; fi
  requests=$(awk '/requests in/ {print $1}' "$WORK/r.txt")
  [ -n "${7:-}" ] && cpu=$(cpu_per_request "$(( $(cpu_ticks "$7") - ticks ))" "$requests")
  # The status read after the run counts itself, and nginx's own proxy accepts wrk's connections.
  local upstream=$(( after - before - 1 - $6 ))
  echo "$(wrk_summary "$WORK/r.txt") $cpu $upstream $requests" \
    >> "$WORK/results/$1-$2-$3"
}
for round in $(seq "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  for conns in 64 1; do
    for kind in plain sse; do
      measure nginx-proxy_pass-http $kind $conns "http://127.0.0.1:$PROXY/$kind/v1/chat/completions" direct-$kind "$conns"
      measure nginx-proxy_pass-https $kind $conns "http://127.0.0.1:$PROXY_TLS/$kind/v1/chat/completions" direct-$kind "$conns"
      measure aiproxy-http $kind $conns "http://127.0.0.1:$PORT/v1/chat/completions" proxy-$kind-http 0 "$PROXY_PID"
      measure aiproxy-https $kind $conns "http://127.0.0.1:$PORT/v1/chat/completions" proxy-$kind-https 0 "$PROXY_PID"
    done
  done
done

python3 - "$WORK/results" "$ROUNDS" > "$OUT/tls-upstream.md" <<'PY'
import os, statistics, sys
root, rounds = sys.argv[1], sys.argv[2]
def us(text):
    for unit, factor in (("us", 1), ("ms", 1000), ("s", 1_000_000)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)
def rows(name):
    return [line.split() for line in open(os.path.join(root, name)) if line.strip()]
def fmt(value):
    return f"{value / 1000:.2f} ms" if value >= 1000 else f"{value:.0f} µs"
med = statistics.median
print(f"Medians of {rounds} interleaved rounds.\n")
print("| reply | conns | setup | req/s | vs nginx `proxy_pass`, same scheme | p50 | p99 | CPU a call | upstream connections opened / calls in the run |")
print("|---|---|---|---|---|---|---|---|---|")
for kind in ("plain", "sse"):
    for conns in ("64", "1"):
        for setup in ("nginx-proxy_pass-http", "nginx-proxy_pass-https", "aiproxy-http", "aiproxy-https"):
            data = rows(f"{setup}-{kind}-{conns}")
            scheme = setup.rsplit("-", 1)[1]
            reference = med(float(r[0]) for r in rows(f"nginx-proxy_pass-{scheme}-{kind}-{conns}"))
            rps = med(float(r[0]) for r in data)
            cpu = [float(r[3]) for r in data if r[3] != "-"]
            print(f"| {kind} | {conns} | {setup} | {rps:,.0f} | {100 * rps / reference:.0f}% | {fmt(med(us(r[1]) for r in data))} "
                  f"| {fmt(med(us(r[2]) for r in data))} | {f'{med(cpu):.0f} µs' if cpu else '–'} | {med(int(r[4]) for r in data):.0f} / {med(int(r[5]) for r in data):,.0f} |")
PY
cat "$OUT/tls-upstream.md"
