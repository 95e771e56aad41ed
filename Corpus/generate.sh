#!/usr/bin/env bash
# Generate the Headroom GC-log corpus with the JDK on PATH.
#
#   Corpus/generate.sh            regenerate the cases inside the Corpus folder
#   Corpus/generate.sh OUTDIR     write the cases into OUTDIR/<case>/ instead
#                                 (the Corpus folder itself is left untouched)
#
# Every case runs workload/HeapWorkload.java under a chosen collector and
# -Xlog configuration, with the case folder as working directory, so that the
# recorded command lines hold relative paths only. Each case folder gets its
# GC log file(s) and an expected.json whose figures come from the workload's
# design and from the JVM itself (never from a GC-log parser).
#
# Needs: bash, java + javac (JDK 17; other versions run but the expected
# figures and log formats are documented for 17), python3, gzip.
# Takes about 3-4 minutes on 2 cores.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

for tool in java javac python3 gzip; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "generate.sh: $tool not found on PATH" >&2
        exit 1
    fi
done

scratch="$(mktemp -d "${TMPDIR:-/tmp}/headroom-corpus.XXXXXX")"
cleanup() { rm -rf "$scratch"; }
trap cleanup EXIT

echo "Compiling the workload into a temporary directory"
mkdir -p "$scratch/classes"
javac -d "$scratch/classes" "$here/workload/HeapWorkload.java"
# The compiled class is found through CLASSPATH so that the recorded java
# command lines hold no machine-specific path.
export CLASSPATH="$scratch/classes"
classpath_note="temporary directory holding HeapWorkload.class compiled from workload/HeapWorkload.java"

java -version > "$scratch/java-version.txt" 2>&1
echo "JDK: $(head -n 1 "$scratch/java-version.txt")"

# Decorators used by Bazel users: -Xlog:gc*:file=gc.log:time,uptime,level,tags
bazel_xlog='-Xlog:gc*:file=gc.log:time,uptime,level,tags'

start_all=$SECONDS
sizes=()

# Start a case: a fresh, empty folder OUTDIR/<case>.
new_case() {
    name="$1"
    case "$name" in
        ''|*/*|.*) echo "generate.sh: bad case name '$name'" >&2; exit 1 ;;
    esac
    case_dir="$out/$name"
    rm -rf "$case_dir"
    mkdir -p "$case_dir"
    case_start=$SECONDS
    echo
    echo "== $name"
}

# Run java in directory $1 with the arguments in the global array CMD
# (CMD[0] is "java"). The exit code is stored in last_exit.
run_java() {
    local dir="$1"
    echo "   (cd $name && ${CMD[*]})"
    set +e
    (cd "$dir" && "${CMD[@]}")
    last_exit=$?
    set -e
    echo "   exit code $last_exit"
}

# Write expected.json. Arguments: extra options for write_expected.py.
# Uses CMD, case_dir, name and the REPORTS array.
finish_case() {
    local report_args=()
    local r
    for r in "${REPORTS[@]}"; do
        report_args+=(--report "$r")
    done
    python3 "$here/workload/write_expected.py" \
        --case-dir "$case_dir" --case "$name" \
        --jdk-version-file "$scratch/java-version.txt" \
        --classpath-note "$classpath_note" \
        "${report_args[@]}" "$@" -- "${CMD[@]}"
    sizes+=("$name $(du -sk "$case_dir" | cut -f1)K $((SECONDS - case_start))s")
}

# A run whose report is written inside the case folder and then moved aside
# (it is embedded in expected.json).
single_run() {
    run_java "$case_dir"
    if [ ! -f "$case_dir/workload-report.json" ]; then
        echo "generate.sh: $name wrote no workload report" >&2
        exit 1
    fi
    mv "$case_dir/workload-report.json" "$scratch/$name-report.json"
    REPORTS=("$scratch/$name-report.json")
}

expect_exit() {
    if [ "$last_exit" -ne "$1" ]; then
        echo "generate.sh: $name: java exited with $last_exit, expected $1" >&2
        exit 1
    fi
}

# ---------------------------------------------------------------------------
# g1-steady: the default case. 300 MiB live, steady short-lived garbage plus
# some medium-lived garbage that gets promoted and dies in the old generation,
# so that concurrent marking cycles and mixed collections happen.
new_case g1-steady
CMD=(java -Xms1g -Xmx1g -XX:+UseG1GC -XX:InitiatingHeapOccupancyPercent=30
     "$bazel_xlog"
     HeapWorkload --live-mb 300 --garbage-mb-per-s 100
     --medium-mb-per-s 32 --medium-lived-mb 64 --seconds 20
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" \
    --description "G1, -Xmx1g, 300 MiB live, 100 MiB/s short-lived garbage and 32 MiB/s medium-lived garbage (a 64 MiB pool whose slots are replaced at random, so promoted objects die at scattered times) for 20 s; Bazel-style decorators time,uptime,level,tags." \
    --shows "young pauses" --shows "concurrent marking cycles (IHOP lowered to 30%)" \
    --shows "mixed collections" --shows "Bazel-style -Xlog decorators"

# ---------------------------------------------------------------------------
# g1-steady-gzip: same kind of run, the log compressed afterwards.
new_case g1-steady-gzip
CMD=(java -Xms256m -Xmx1g -XX:+UseG1GC -XX:InitiatingHeapOccupancyPercent=30
     "$bazel_xlog"
     HeapWorkload --live-mb 300 --garbage-mb-per-s 100
     --medium-mb-per-s 32 --medium-lived-mb 64 --seconds 15
     --report workload-report.json)
single_run
expect_exit 0
gzip -9 "$case_dir/gc.log"
finish_case --exit-code "$last_exit" \
    --description "Like g1-steady (but -Xms256m, 15 s), the log gzipped afterwards as gc.log.gz." \
    --shows "gzip-compressed log" --shows "heap growing from -Xms256m to -Xmx1g"

# ---------------------------------------------------------------------------
# g1-rotated: log rotation by the JVM (gc.log.0, gc.log.1, ... then gc.log).
new_case g1-rotated
CMD=(java -Xms256m -Xmx256m -Xmn32m -XX:+UseG1GC
     '-Xlog:gc*:file=gc.log:time,uptime,level,tags:filecount=5,filesize=32k'
     HeapWorkload --live-mb 64 --garbage-mb-per-s 180 --seconds 15
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" \
    --description "G1, -Xmx256m with a fixed 32 MiB young generation, 64 MiB live, 180 MiB/s garbage for 15 s; the JVM rotates the log every 32 KiB (filecount=5), so events are split across files." \
    --shows "log rotation (files listed in time order)" --shows "events split across rotated files"

# ---------------------------------------------------------------------------
# g1-decorators-all: every decorator JDK 17 accepts, debug lines mixed in.
new_case g1-decorators-all
CMD=(java -Xms512m -Xmx512m -XX:+UseG1GC
     '-Xlog:gc*=debug:file=gc.log:utctime,uptimemillis,uptimenanos,timemillis,timenanos,pid,tid,level,tags,hostname'
     HeapWorkload --live-mb 100 --garbage-mb-per-s 60 --seconds 6
     --report workload-report.json)
single_run
expect_exit 0
# The hostname decorator would name the recording machine: it reads "recorder" instead.
host=$(hostname)
sed -i "s/\]\[$host\]\[/][recorder][/" "$case_dir/gc.log"
finish_case --exit-code "$last_exit" \
    --description "G1, -Xmx512m, 100 MiB live, 60 MiB/s garbage for 6 s; gc*=debug with decorators utctime,uptimemillis,uptimenanos,timemillis,timenanos,pid,tid,level,tags,hostname (the JVM prints them in its own fixed order, not in the order given)." \
    --shows "all decorators" --shows "debug-level lines mixed with info lines"

# ---------------------------------------------------------------------------
# g1-uptime-only: only the gc tag, only the uptime decorator.
new_case g1-uptime-only
CMD=(java -Xms512m -Xmx512m -XX:+UseG1GC
     '-Xlog:gc:file=gc.log:uptime'
     HeapWorkload --live-mb 100 --garbage-mb-per-s 80 --seconds 10
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" \
    --description "G1, -Xmx512m, 100 MiB live, 80 MiB/s garbage for 10 s; -Xlog:gc (exact tag gc only) with the uptime decorator only." \
    --shows "minimal log: one line per pause, no level/tags decorators"

# ---------------------------------------------------------------------------
# parallel-steady: Parallel GC, heap grows from -Xms256m, final System.gc().
new_case parallel-steady
CMD=(java -Xms256m -Xmx1g -XX:+UseParallelGC
     "$bazel_xlog"
     HeapWorkload --live-mb 300 --garbage-mb-per-s 100 --seconds 15 --final-gc
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" \
    --description "Parallel GC, -Xms256m -Xmx1g, 300 MiB live, 100 MiB/s garbage for 15 s, then System.gc() once." \
    --shows "Parallel young pauses" --shows "Full GC (System.gc())" --shows "heap growing from -Xms"

# ---------------------------------------------------------------------------
# serial-steady: Serial GC, smaller heap, final System.gc().
new_case serial-steady
CMD=(java -Xms512m -Xmx512m -XX:+UseSerialGC
     "$bazel_xlog"
     HeapWorkload --live-mb 100 --garbage-mb-per-s 60 --seconds 12 --final-gc
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" \
    --description "Serial GC, -Xmx512m, 100 MiB live, 60 MiB/s garbage for 12 s, then System.gc() once." \
    --shows "Serial young pauses" --shows "Full GC (System.gc())"

# ---------------------------------------------------------------------------
# zgc-steady: ZGC as in JDK 17 (single generation).
new_case zgc-steady
CMD=(java -Xms1g -Xmx1g -XX:+UseZGC
     "$bazel_xlog"
     HeapWorkload --live-mb 300 --garbage-mb-per-s 100 --seconds 15
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" \
    --description "ZGC (JDK 17, not generational), -Xmx1g, 300 MiB live, 100 MiB/s garbage for 15 s." \
    --shows "ZGC cycles (Pause Mark Start / Mark End / Relocate Start)" --shows "concurrent collector"

# ---------------------------------------------------------------------------
# shenandoah-steady: Shenandoah, when this JDK build has it.
if java -XX:+UseShenandoahGC -version >/dev/null 2>&1; then
    new_case shenandoah-steady
    CMD=(java -Xms1g -Xmx1g -XX:+UseShenandoahGC
         "$bazel_xlog"
         HeapWorkload --live-mb 300 --garbage-mb-per-s 100 --seconds 15
         --report workload-report.json)
    single_run
    expect_exit 0
    finish_case --exit-code "$last_exit" \
        --description "Shenandoah, -Xmx1g, 300 MiB live, 100 MiB/s garbage for 15 s." \
        --shows "Shenandoah cycles (Pause Init Mark / Final Mark / ...)" --shows "concurrent collector"
else
    echo
    echo "== shenandoah-steady skipped: this JDK has no Shenandoah (-XX:+UseShenandoahGC fails)"
fi

# ---------------------------------------------------------------------------
# g1-leak: 100 MiB live growing by 15 MiB/s for 20 s, System.gc() every 5 s
# and at the end, so that the growth of the live set is visible in the
# results of the Full GCs.
new_case g1-leak
CMD=(java -Xmx1g -XX:+UseG1GC
     "$bazel_xlog"
     HeapWorkload --live-mb 100 --leak-mb-per-s 15 --garbage-mb-per-s 60
     --seconds 20 --system-gc-every-s 5 --final-gc
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" --leak \
    --description "G1, -Xmx1g (default -Xms), starts with 100 MiB live and leaks 15 MiB/s for 20 s (about 400 MiB at the end), 60 MiB/s garbage; System.gc() every 5 s and once at the end, so Full GCs show the live set at about 175, 250, 325 and 400 MiB." \
    --shows "live set growing steadily (leak)" --shows "Full GC (System.gc()) every 5 s and at the end"

# ---------------------------------------------------------------------------
# g1-thrash-oom: the retained set grows in a small heap until the JVM throws
# OutOfMemoryError; the workload catches it, reports and exits with code 3.
new_case g1-thrash-oom
CMD=(java -Xms128m -Xmx128m -XX:+UseG1GC
     "$bazel_xlog"
     HeapWorkload --oom --live-mb 32 --leak-mb-per-s 12 --garbage-mb-per-s 30
     --report workload-report.json)
single_run
expect_exit 3
finish_case --exit-code "$last_exit" --expect-oom \
    --description "G1, -Xmx128m, starts with 32 MiB live and grows it by 12 MiB/s (30 MiB/s garbage) until java.lang.OutOfMemoryError; back-to-back Full GCs that free little before the error. The workload then drops its data, writes its report and exits with code 3." \
    --shows "heap filling up" --shows "to-space exhausted, back-to-back Full GCs" --shows "OutOfMemoryError"

# ---------------------------------------------------------------------------
# g1-analysis-live-500m and g1-execution-growth-14g: the two halves of "the
# 14 GB story" (a Bazel server with -Xmx14g whose analysis graph is ~500 MB).
# The first keeps 500 MiB, as after analysis; the second starts there and
# grows to 1.5 GiB in its first 4 s, then holds it, as a server does while
# remote actions' input trees are in flight. Both under -Xmx14g, System.gc()
# every 4 s so full collections show the live set. These are the workload
# JVM standing in for a Bazel server: the remote-execution build itself
# cannot run here.
new_case g1-analysis-live-500m
CMD=(java -Xmx14g -XX:+UseG1GC
     "$bazel_xlog"
     HeapWorkload --live-mb 500 --garbage-mb-per-s 150 --seconds 12
     --system-gc-every-s 4 --final-gc
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" \
    --description "G1, -Xmx14g, 500 MiB live (an analysis graph's worth), 150 MiB/s garbage for 12 s; System.gc() every 4 s and at the end, so full GCs show the live set at 500 MiB." \
    --shows "a heap 28x larger than its live set" --shows "Full GC (System.gc()) every 4 s"

new_case g1-execution-growth-14g
CMD=(java -Xmx14g -XX:+UseG1GC
     "$bazel_xlog"
     HeapWorkload --live-mb 500 --leak-mb-per-s 256 --leak-seconds 4
     --garbage-mb-per-s 150 --seconds 24 --system-gc-every-s 4 --final-gc
     --report workload-report.json)
single_run
expect_exit 0
finish_case --exit-code "$last_exit" \
    --description "G1, -Xmx14g, 500 MiB live growing by 256 MiB/s for the first 4 s (to 1.5 GiB), then steady for 20 s, 150 MiB/s garbage; System.gc() every 4 s and at the end. Growth that stops is not a leak." \
    --shows "live set that grows, then plateaus" --shows "a heap 9x larger than its live set"

# ---------------------------------------------------------------------------
# parallel-restart: two JVM runs with the same command, their logs appended
# into one gc.log, so uptime goes back to zero inside the file.
new_case parallel-restart
CMD=(java -Xms256m -Xmx256m -XX:+UseParallelGC
     "$bazel_xlog"
     HeapWorkload --live-mb 64 --garbage-mb-per-s 60 --seconds 6
     --report workload-report.json)
REPORTS=()
codes=()
: > "$case_dir/gc.log"
for run in 1 2; do
    run_dir="$scratch/parallel-restart-run$run"
    mkdir -p "$run_dir"
    run_java "$run_dir"
    expect_exit 0
    codes+=(--exit-code "$last_exit")
    cat "$run_dir/gc.log" >> "$case_dir/gc.log"
    mv "$run_dir/workload-report.json" "$scratch/parallel-restart-report-$run.json"
    REPORTS+=("$scratch/parallel-restart-report-$run.json")
    # Make the wall-clock gap between the two runs visible.
    if [ "$run" = 1 ]; then
        sleep 1
    fi
done
finish_case "${codes[@]}" --restarts 1 \
    --description "Parallel GC, -Xmx256m, 64 MiB live, 60 MiB/s garbage for 6 s, run twice with the same command; the second run's log is appended to the first in one gc.log (a JVM restart inside one file)." \
    --shows "JVM restart inside one log (uptime goes back to 0)" --shows "two 'Using Parallel' headers in one file"

echo
echo "Cases written to $out:"
for s in "${sizes[@]}"; do
    echo "   $s"
done
echo "Total: $(du -sh "$out" | cut -f1), $((SECONDS - start_all)) s"
