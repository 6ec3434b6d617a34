#!/usr/bin/env bash
# Limits benchmark (issue 11): the miss path (x-bt-use-cache: never) on one instance with
# everything on Redis (deploy/fleet.toml: CACHE, CONTROL, LIMITS, usage to stdout), called with
# a key without limits ("off"), one with rpm_limit alone ("rpm": the admission script) and one
# with rpm + tpm + budget ("on": the admission script, and the settle script after the reply).
# Rounds alternate the keys (their order rotates each round) so drift hits all; the summary
# gives the medians, and — what the target is judged on, as this VM's speed moves ±20% between
# rounds — the median of each round's own ratio to OFF (req/s) and difference from OFF (p50).
# Writes Benchmarks/out/limits.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-9}
OUT=Benchmarks/out
mkdir -p "$OUT"
BIN=${BIN:-.build/release/aiproxy}
MOCK=${MOCK:-.build/release/mock-upstream}
[ -x "$BIN" ] && [ -x "$MOCK" ] || swift build -c release -Xswiftc -static-stdlib
source Benchmarks/common.sh
cleanup_extra() { FLEET_STATE="$WORK/fleet" deploy/fleet.sh stop >/dev/null 2>&1 || true; }
export AIPROXY_MASTER_KEY=bench-limits-key UPSTREAM_SECRET=bench-secret

MOCK_PORT=$(free_port)
"$MOCK" --port "$MOCK_PORT" >/dev/null 2>&1 & PIDS+=($!)
FRONT=$(free_port); FIRST=$(( $(free_port) % 20000 + 30000 )); REDIS=$(free_port)
FLEET_STATE="$WORK/fleet" FRONT_PORT=$FRONT FIRST_PORT=$FIRST REDIS_PORT=$REDIS BIN=$BIN deploy/fleet.sh start 1 >/dev/null
CONFIG="$WORK/fleet/instance-1.toml"
"$BIN" endpoints add --config "$CONFIG" --org bench --name mock --type openai \
  --base-url "http://127.0.0.1:$MOCK_PORT/v1" --secret-env UPSTREAM_SECRET >/dev/null
OFF=$("$BIN" keys create --config "$CONFIG" --org bench | tail -1)
# Limits far above what the run reaches: every call is checked, counted and settled, none refused.
ON=$("$BIN" keys create --config "$CONFIG" --org bench --rpm-limit 100000000 --tpm-limit 1000000000 \
  --max-budget 1000000 --budget-duration 1d | tail -1)
# rpm alone: one admission script, no reservation to settle.
RPM=$("$BIN" keys create --config "$CONFIG" --org bench --rpm-limit 100000000 | tail -1)
URL="http://127.0.0.1:$FIRST/v1/chat/completions"
BODY='{"model":"gpt-4o-mini","max_tokens":20,"messages":[{"role":"user","content":"Say the sentence."}]}'
for name in OFF RPM ON; do
  miss_lua "$WORK/$name.lua" "$BODY" "${!name}"
  curl -fs -o /dev/null "$URL" -H "authorization: Bearer ${!name}" -H 'x-bt-use-cache: never' -d "$BODY"
done
# The "on" key must really be limited: its reply carries the limit headers.
curl -fsi "$URL" -H "authorization: Bearer $ON" -H 'x-bt-use-cache: never' -d "$BODY" | grep -qi '^x-ratelimit-limit-tokens' \
  || { echo "limits.sh: the limited key's reply has no x-ratelimit headers" >&2; exit 1; }

declare -A RPS P50 P99 ERR RATIO ADDED
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
for round in $(seq "$ROUNDS"); do
  order=(OFF RPM ON); shift_by=$(( (round - 1) % 3 )); order=("${order[@]:shift_by}" "${order[@]:0:shift_by}")
  for conns in 1 32; do
    declare -A last_rps last_p50
    for name in "${order[@]}"; do
      threads=2; [ "$conns" = 1 ] && threads=1
      wrk -t$threads -c$conns -d"${DURATION}s" --latency -s "$WORK/$name.lua" "$URL" > "$WORK/r.txt"
      cp "$WORK/r.txt" "$OUT/limits-$name-$conns-$round.txt"
      RPS[$name,$conns]+="$(awk '/Requests\/sec/ {print $2}' "$WORK/r.txt") "
      P50[$name,$conns]+="$(awk '$1 == "50%" {print $2}' "$WORK/r.txt" | to_us) "
      P99[$name,$conns]+="$(awk '$1 == "99%" {print $2}' "$WORK/r.txt" | to_us) "
      ERR[$name,$conns]+="$(grep -cE 'Non-2xx|Socket errors' "$WORK/r.txt" || true)"
      last_rps[$name]=$(awk '/Requests\/sec/ {print $2}' "$WORK/r.txt")
      last_p50[$name]=$(awk '$1 == "50%" {print $2}' "$WORK/r.txt" | to_us)
    done
    for name in RPM ON; do
      RATIO[$name,$conns]+="$(ratio "${last_rps[$name]}" "${last_rps[OFF]}") "
      ADDED[$name,$conns]+="$(awk -v a="${last_p50[$name]}" -v b="${last_p50[OFF]}" 'BEGIN { printf "%+d", a - b }') "
    done
  done
done
range() { tr ' ' '\n' <<<"$1" | grep . | sort -g | sed -n '1p;$p' | paste -sd' ' | sed 's/ / to /'; }
{
  echo "## Limits on vs off: miss path, one instance on Redis, ${ROUNDS} alternating rounds of ${DURATION}s ($(date -u +%Y-%m-%d), $(nproc) cores shared by wrk, Redis, the mock and the instance)"
  echo
  echo "| key | connections | requests/s (median) | p50 µs (median) | p99 µs (median) | vs OFF, rounds' ratios: median (range) | p50 added, rounds' differences: median (range) | runs with errors |"
  echo "|---|---|---|---|---|---|---|---|"
  for conns in 1 32; do
    for name in OFF RPM ON; do
      versus="" added=""
      if [ "$name" != OFF ]; then
        versus="$(median "${RATIO[$name,$conns]}")% ($(range "${RATIO[$name,$conns]}"))"
        added="$(median "${ADDED[$name,$conns]}") µs ($(range "${ADDED[$name,$conns]}"))"
      fi
      echo "| $name | $conns | $(median "${RPS[$name,$conns]}") | $(median "${P50[$name,$conns]}") | $(median "${P99[$name,$conns]}") | $versus | $added | $(grep -o 1 <<<"${ERR[$name,$conns]}" | wc -l) |"
    done
  done
} | tee "$OUT/limits.md"
