#!/usr/bin/env bash
# Throughput benchmark of `headroom gc` / HeadroomKit on a large generated GC log.
#
#  1. Generates a unified G1 log of at least HEADROOM_BENCH_MB MiB (default 200) by repeating
#     Corpus/g1-steady/gc.log with rising GC ids, uptime and wall clock
#     (Tests/Benchmarks/make_big_log.py), plus a gzip copy of it. Both go to the data folder
#     (default Tests/Benchmarks/.build/data, git-ignored) and are reused while the source log,
#     the size and the generator are unchanged.
#  2. Runs the benchmark package Tests/Benchmarks (ordo-one/benchmark plugin, release build)
#     on both files, then its AggregateThroughput target (10 000 run summaries → one plan).
#  3. Times `zcat` over the gzip file, and runs the release `headroom gc --format json` on both
#     files under `/usr/bin/time -v` for elapsed time and peak RSS (HEADROOM_BENCH_RUNS times
#     each, default 3; the table shows the best and the median run).
#  4. Prints a summary table (1 MB = 10^6 bytes; MB/s counts decoded log bytes).
#
# Usage: scripts/benchmark.sh [--regenerate] [--no-plugin]
#   --regenerate   write the big logs again even if they look current
#   --no-plugin    skip step 2 (only the generator, zcat and the headroom CLI runs)
# Environment: HEADROOM_BENCH_MB, HEADROOM_BENCH_RUNS, HEADROOM_BENCH_SOURCE (a unified GC log),
#              HEADROOM_BENCH_DATA_DIR (where the generated logs and results go).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_PKG=Tests/Benchmarks
GENERATOR=$BENCH_PKG/make_big_log.py
SOURCE=${HEADROOM_BENCH_SOURCE:-Corpus/g1-steady/gc.log}
SIZE_MB=${HEADROOM_BENCH_MB:-200}
RUNS=${HEADROOM_BENCH_RUNS:-3}
DATA_DIR=${HEADROOM_BENCH_DATA_DIR:-$BENCH_PKG/.build/data}

regenerate=0
run_plugin=1
for arg in "$@"; do
    case $arg in
        --regenerate) regenerate=1 ;;
        --no-plugin) run_plugin=0 ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "benchmark.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

say() { printf '\n== %s\n' "$*"; }
need() { command -v "$1" > /dev/null 2>&1 || { echo "benchmark.sh: $1 is required" >&2; exit 1; }; }
need swift
need python3
need gzip
need zcat

mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
PLAIN=$DATA_DIR/g1-big.log
GZ=$PLAIN.gz
RESULTS=$DATA_DIR/iterations.tsv

now_ns() { date +%s%N; }
seconds_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
file_size() { wc -c < "$1" | tr -d ' '; }
mb_per_s() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else print "n/a" }'; }

# --- 0. machine -------------------------------------------------------------------------------
say "machine"
echo "cpus: $(nproc 2> /dev/null || getconf _NPROCESSORS_ONLN)"
if command -v lscpu > /dev/null 2>&1; then
    lscpu | grep 'Model name' | sed 's/  */ /g' || true
fi
swift --version 2>&1 | head -n 1

# --- 1. data ----------------------------------------------------------------------------------
say "input data in $DATA_DIR"
[ -f "$SOURCE" ] || { echo "benchmark.sh: no source log at $SOURCE" >&2; exit 1; }
# Snapshot the source so that a log being rewritten meanwhile cannot mix two versions.
cp "$SOURCE" "$DATA_DIR/source.log"
stamp=$(cat "$DATA_DIR/source.log" "$GENERATOR" | cksum | tr ' ' '-')-$SIZE_MB
if [ "$regenerate" = 1 ] || [ ! -f "$GZ" ] || [ "$(cat "$DATA_DIR/stamp" 2> /dev/null)" != "$stamp" ]; then
    rm -f "$DATA_DIR/stamp" "$PLAIN" "$GZ"
    t0=$(now_ns)
    python3 "$GENERATOR" "$DATA_DIR/source.log" "$PLAIN" $((SIZE_MB * 1024 * 1024))
    echo "generated in $(seconds_since "$t0") s"
    t0=$(now_ns)
    gzip -c "$PLAIN" > "$GZ.tmp" && mv "$GZ.tmp" "$GZ"
    echo "gzip -c in $(seconds_since "$t0") s"
    echo "$stamp" > "$DATA_DIR/stamp"
else
    echo "reusing the generated logs (source, size and generator unchanged)"
fi
PLAIN_BYTES=$(file_size "$PLAIN")
GZ_BYTES=$(file_size "$GZ")
echo "plain: $PLAIN ($PLAIN_BYTES bytes)"
echo "gzip:  $GZ ($GZ_BYTES bytes)"

# --- 2. benchmark package ---------------------------------------------------------------------
if [ "$run_plugin" = 1 ]; then
    say "benchmark package ($BENCH_PKG, release)"
    rm -f "$RESULTS"
    HEADROOM_BENCH_LOG=$PLAIN HEADROOM_BENCH_LOG_GZ=$GZ HEADROOM_BENCH_RESULTS=$RESULTS \
        swift package --package-path "$BENCH_PKG" --allow-writing-to-directory "$DATA_DIR" \
        benchmark run --target GCLogThroughput --no-progress 2>&1 | tee "$DATA_DIR/benchmark.txt"
fi

# --- 2b. aggregate: 10 000 run summaries into one plan -----------------------------------------
if [ "$run_plugin" = 1 ]; then
    say "aggregate benchmark ($BENCH_PKG, release): run summaries → histograms → plan"
    rm -f "$DATA_DIR/aggregate.tsv"
    HEADROOM_BENCH_RESULTS=$DATA_DIR/aggregate.tsv \
        swift package --package-path "$BENCH_PKG" --allow-writing-to-directory "$DATA_DIR" \
        benchmark run --target AggregateThroughput --no-progress 2>&1 | tee "$DATA_DIR/benchmark-aggregate.txt"
fi

# --- 3. zcat and the headroom CLI -------------------------------------------------------------
say "release headroom CLI"
swift build -c release --package-path "$BENCH_PKG" --product headroom 2>&1 | tail -n 3
HEADROOM=$(swift build -c release --package-path "$BENCH_PKG" --show-bin-path)/headroom
[ -x "$HEADROOM" ] || { echo "benchmark.sh: no headroom binary at $HEADROOM" >&2; exit 1; }

TIME=/usr/bin/time
if ! "$TIME" --version > /dev/null 2>&1; then
    if command -v apt-get > /dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "installing GNU time"
        apt-get install -y time > /dev/null 2>&1 || { apt-get update > /dev/null 2>&1 && apt-get install -y time > /dev/null 2>&1; }
    fi
fi
if ! "$TIME" --version > /dev/null 2>&1; then
    echo "benchmark.sh: GNU time (/usr/bin/time) is needed for peak RSS; install the 'time' package" >&2
    exit 1
fi

# run_timed NAME COMMAND...: runs COMMAND $RUNS times under `time -v`, stdout to
# $DATA_DIR/NAME.out and the last `time -v` report to NAME.time; sets BEST and MEDIAN (elapsed
# seconds, from the shell's clock) and RSS_KB (the highest peak RSS of the runs).
run_timed() {
    local name=$1
    shift
    local t0 rc i rss times=()
    RSS_KB=0
    for ((i = 1; i <= RUNS; i++)); do
        rc=0
        t0=$(now_ns)
        "$TIME" -v -o "$DATA_DIR/$name.time" "$@" > "$DATA_DIR/$name.out" || rc=$?
        times+=("$(seconds_since "$t0")")
        rss=$(awk -F': *' '/Maximum resident set size/ { print $2 }' "$DATA_DIR/$name.time")
        if [ "${rss:-0}" -gt "$RSS_KB" ]; then RSS_KB=$rss; fi
        if [ "$rc" != 0 ]; then echo "  ($name exited with status $rc)"; fi
    done
    read -r BEST MEDIAN < <(printf '%s\n' "${times[@]}" | sort -n |
        awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f\n", v[1], m }')
    echo "$name: $RUNS run(s), best $BEST s, median $MEDIAN s, peak RSS $(mib "$RSS_KB") MiB"
}
json_field() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {"s": s}))' "$@"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

run_timed zcat zcat "$GZ"
ZCAT_BEST=$BEST ZCAT_MED=$MEDIAN ZCAT_RSS=$RSS_KB
rm -f "$DATA_DIR/zcat.out"

run_timed cli-plain "$HEADROOM" gc --format json "$PLAIN"
CLI_PLAIN_BEST=$BEST CLI_PLAIN_MED=$MEDIAN CLI_PLAIN_RSS=$RSS_KB
CLI_PLAIN_BYTES=$(json_field "$DATA_DIR/cli-plain.out" 's["inputs"][0]["bytesRead"]')
PAUSES=$(json_field "$DATA_DIR/cli-plain.out" 's["pauseCount"]')

run_timed cli-gzip "$HEADROOM" gc --format json "$GZ"
CLI_GZ_BEST=$BEST CLI_GZ_MED=$MEDIAN CLI_GZ_RSS=$RSS_KB
CLI_GZ_BYTES=$(json_field "$DATA_DIR/cli-gzip.out" 's["inputs"][0]["bytesRead"]')
echo "decoded bytes: plain $CLI_PLAIN_BYTES, gzip $CLI_GZ_BYTES; $PAUSES pauses"

# --- 4. summary -------------------------------------------------------------------------------
bench_mbps() { # best or median MB/s of the benchmark iterations named $1
    [ -f "$RESULTS" ] || { echo "n/a"; return; }
    awk -F'\t' -v n="$1" '$1 == n && $3 > 0 { printf "%.3f\n", $2 / 1e6 / $3 }' "$RESULTS" | sort -n |
        awk -v what="$2" '{ v[NR] = $1 } END {
            if (NR == 0) { print "n/a"; exit }
            if (what == "best") printf "%.1f", v[NR]
            else printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

say "summary (1 MB = 10^6 bytes; MB/s = decoded log bytes per second; $RUNS run(s) each)"
row() { printf '%-34s %12s %12s %14s\n' "$@"; }
{
    printf 'input: %s bytes plain, %s bytes gzip (%.1fx), %s pauses\n' "$PLAIN_BYTES" "$GZ_BYTES" \
        "$(awk -v a="$PLAIN_BYTES" -v b="$GZ_BYTES" 'BEGIN { print a / b }')" "$PAUSES"
    row "measurement" "MB/s best" "MB/s median" "peak RSS MiB"
    row "headroom gc --format json, plain" "$(mb_per_s "$CLI_PLAIN_BYTES" "$CLI_PLAIN_BEST")" "$(mb_per_s "$CLI_PLAIN_BYTES" "$CLI_PLAIN_MED")" "$(mib "$CLI_PLAIN_RSS")"
    row "headroom gc --format json, gzip" "$(mb_per_s "$CLI_GZ_BYTES" "$CLI_GZ_BEST")" "$(mb_per_s "$CLI_GZ_BYTES" "$CLI_GZ_MED")" "$(mib "$CLI_GZ_RSS")"
    row "zcat > /dev/null" "$(mb_per_s "$PLAIN_BYTES" "$ZCAT_BEST")" "$(mb_per_s "$PLAIN_BYTES" "$ZCAT_MED")" "$(mib "$ZCAT_RSS")"
    if [ "$run_plugin" = 1 ]; then
        row "GCLogAnalysis.run plain (bench)" "$(bench_mbps plain best)" "$(bench_mbps plain median)" "-"
        row "GCLogAnalysis.run gzip (bench)" "$(bench_mbps gzip best)" "$(bench_mbps gzip median)" "-"
    fi
    if [ -f "$DATA_DIR/aggregate.tsv" ]; then
        cut -f2,3 "$DATA_DIR/aggregate.tsv" | sort -t$'\t' -k2 -g | awk -F'\t' '{ n = $1; v[NR] = $2 } END {
            if (NR) printf "aggregate of %d run summaries (bench): best %.3f s, median %.3f s of %d\n", n, v[1], (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, NR }'
    fi
} | tee "$DATA_DIR/summary.txt"
