#!/usr/bin/env bash
# fleet.sh start [N] | stop — Redis, N aiproxy instances on consecutive ports, haproxy in front.
# Everything it starts is recorded in .fleet/pids, and `stop` stops exactly that.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${FLEET_STATE:-.fleet}
FRONT_PORT=${FRONT_PORT:-8787}
FIRST_PORT=${FIRST_PORT:-8801}
REDIS_PORT=${REDIS_PORT:-6399}
BIN=${BIN:-.build/release/aiproxy}
CONFIG=${FLEET_CONFIG:-deploy/fleet.toml}  # the instance config template
# ADMIN_FIRST_PORT: give each instance an admin listener (port ADMIN_FIRST_PORT + i - 1; needs
# AIPROXY_ADMIN_TOKEN in the environment).
ADMIN_FIRST_PORT=${ADMIN_FIRST_PORT:-}

start() {
  local n=${1:-3}
  [ -f "$STATE/pids" ] && { echo "fleet already running (make fleet-stop first)"; exit 1; }
  mkdir -p "$STATE"
  : "${AIPROXY_MASTER_KEY:?set AIPROXY_MASTER_KEY (the same for every instance)}"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$STATE/redis.log" 2>&1 &
  echo $! >> "$STATE/pids"
  local servers=""
  for i in $(seq 1 "$n"); do
    local port=$((FIRST_PORT + i - 1))
    sed -e "s/^port = .*/port = $port/" "$CONFIG" > "$STATE/instance-$i.toml"
    sed -i "s|@REDIS@|redis://127.0.0.1:$REDIS_PORT/0|" "$STATE/instance-$i.toml"
    local admin=()
    [ -n "$ADMIN_FIRST_PORT" ] && admin=(--admin-port $((ADMIN_FIRST_PORT + i - 1)))
    "$BIN" --config "$STATE/instance-$i.toml" "${admin[@]}" >"$STATE/instance-$i.log" 2>&1 &
    echo $! >> "$STATE/pids"
    servers+="    server instance-$i 127.0.0.1:$port check"$'\n'
  done
  sed -e "s/@FRONT_PORT@/$FRONT_PORT/" deploy/haproxy.cfg.template | awk -v servers="$servers" '{ if ($0 == "@SERVERS@") printf "%s", servers; else print }' > "$STATE/haproxy.cfg"
  haproxy -f "$STATE/haproxy.cfg" -db >"$STATE/haproxy.log" 2>&1 &
  echo $! >> "$STATE/pids"
  local front=""
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$FRONT_PORT/readyz" >/dev/null 2>&1 && { front=1; break; }; sleep 0.1; done
  [ -n "$front" ] || { echo "haproxy did not come up:"; cat "$STATE/haproxy.log"; stop; exit 1; }
  for i in $(seq 1 "$n"); do
    local port=$((FIRST_PORT + i - 1)) up=""
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { up=1; break; }; sleep 0.05; done
    [ -n "$up" ] || { echo "instance $i did not start:"; cat "$STATE/instance-$i.log"; stop; exit 1; }
  done
  echo "fleet: haproxy http://127.0.0.1:$FRONT_PORT -> $n instances on $FIRST_PORT.., redis on $REDIS_PORT (logs in $STATE/)"
}

stop() {
  [ -f "$STATE/pids" ] || { echo "no fleet running"; return 0; }
  while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$STATE/pids"
  # Instances drain (drain_delay_ms, then in-flight work) before they exit: wait for them.
  for _ in $(seq 350); do
    local alive=""
    while read -r pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$STATE/pids"
    [ -n "$alive" ] || break
    sleep 0.1
  done
  rm -f "$STATE/pids"
  echo "fleet stopped"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  *) echo "usage: deploy/fleet.sh start [N] | stop"; exit 2 ;;
esac
