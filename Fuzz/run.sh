#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Package.swift, ASan + libFuzzer, -O) and runs each in turn
# for a set time or number of executions, then prints executions, exec/s, coverage and crashes.
#
# usage: Fuzz/run.sh [TARGET...]             every target when none is named
#   FUZZ_SECONDS=60     time per target (default 60)
#   FUZZ_RUNS=N         stop each target after N executions instead of after FUZZ_SECONDS
#   FUZZ_MAX_LEN=N      largest input libFuzzer makes (default 4096; 1024 for sse and eventstream,
#                       whose harnesses feed every input a byte at a time)
#   FUZZ_ARGS="…"       more libFuzzer flags (-jobs=2, -seed=1, …)
# Corpora grow in Fuzz/out/corpus/<target> and are kept between runs; seeds are rebuilt each
# run (Fuzz/seeds.py); crashing inputs land in Fuzz/out/artifacts/<target>/, logs in
# Fuzz/out/logs/, each target's row of the table in Fuzz/out/results/. Exits 1 when a target
# crashed. Two runs on different targets may share the folder (one per core, say).
set -euo pipefail
cd "$(dirname "$0")/.."
ALL="http json toml devvars sse eventstream anthropic bedrock google openai"
TARGETS=${*:-$ALL}
OUT=Fuzz/out
# -enable-testing: fuzz-http reaches the internal HTTPRequestParser with `@testable import`.
# lld: gold crashes (internal error in format_file_lineno) linking the ASan objects.
BUILD=(swift build --package-path Fuzz --scratch-path .build-fuzz -c release
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld)

# libFuzzer's runtime comes with the Swift toolchain (swift.org builds; Xcode's has none).
TOOLCHAIN=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
if ! compgen -G "$TOOLCHAIN/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a" >/dev/null; then
    echo "run.sh: no libFuzzer runtime under $TOOLCHAIN/lib/clang (needs a swift.org toolchain)" >&2
    exit 1
fi
for target in $TARGETS; do
    [[ " $ALL " == *" $target "* ]] || { echo "run.sh: unknown target '$target' (one of: $ALL)" >&2; exit 2; }
done
mkdir -p "$OUT/logs"
echo "building (log: $OUT/logs/build.log)"
if ! nice -n 19 "${BUILD[@]}" >"$OUT/logs/build.log" 2>&1; then
    grep -E 'error' "$OUT/logs/build.log" >&2 || tail -20 "$OUT/logs/build.log" >&2
    echo "run.sh: the build failed" >&2
    exit 1
fi
BIN=$("${BUILD[@]}" --show-bin-path)
if [ -n "${FUZZ_RUNS:-}" ]; then LIMIT=(-runs="$FUZZ_RUNS"); else LIMIT=(-max_total_time="${FUZZ_SECONDS:-60}"); fi
mkdir -p "$OUT/results"
failed=0
for target in $TARGETS; do
    python3 Fuzz/seeds.py "$OUT/seeds" "$target" >/dev/null
    mkdir -p "$OUT/corpus/$target" "$OUT/artifacts/$target"
    log="$OUT/logs/$target.log"
    echo "fuzz-$target: ${LIMIT[*]} (log: $log)"
    start=$SECONDS
    status=0
    case $target in sse | eventstream) max_len=1024 ;; *) max_len=4096 ;; esac
    # The Swift runtime's own crash backtracer trips ASan; libFuzzer reports the crash instead.
    SWIFT_BACKTRACE=enable=no nice -n 19 "$BIN/fuzz-$target" "$OUT/corpus/$target" "$OUT/seeds/$target" \
        -max_len="${FUZZ_MAX_LEN:-$max_len}" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$target/" "${LIMIT[@]}" ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
    seconds=$((SECONDS - start))
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
    speed=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 || true)
    crashes=0
    if [ "$status" != 0 ]; then
        crashes=1
        failed=1
        grep -E 'Test unit written to|^SUMMARY|Fatal error' "$log" | sed 's/^/    /' || true
    fi
    read -r _ edges _ features _ corpus <<<"${cov:-cov: ? ft: ? corp: ?}"
    echo "| $target | ${runs:-?} | ${speed:-?} | $seconds | $edges | $features | $corpus | $crashes |" >"$OUT/results/$target.md"
done
echo
echo "| target | executions | exec/s | seconds | coverage (edges) | features | corpus | crashes |"
echo "|---|---|---|---|---|---|---|---|"
for target in $TARGETS; do cat "$OUT/results/$target.md"; done
exit $failed
