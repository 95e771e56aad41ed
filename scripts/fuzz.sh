#!/usr/bin/env bash
# Fuzzes Headroom's parsers with libFuzzer: builds one instrumented binary (the parser layers'
# sources plus Tests/Fuzz/FuzzTargets.swift, with -sanitize=fuzzer,address), seeds each target
# from the Corpus and the test fixtures, and runs each target for SECONDS (default 60).
# A crash, a hang (> 1 s per input) or memory above 2 GiB stops a target and leaves the input
# in .build-fuzz/artifacts/TARGET/; the script then exits 1.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   targets: gc-log gc-legacy gzip kernel-files oom-report trace-profile bazelrc samples (default: all)
#   HEADROOM_FUZZ_MAX_LEN: the largest input tried (default 65536; smaller runs faster).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(gc-log gc-legacy gzip kernel-files oom-report trace-profile bazelrc samples)
work=.build-fuzz
binary=$work/headroom-fuzz
mkdir -p "$work"

# The parser layers (core, ingest, analysis) as one module: their `import Headroom…` lines name
# each other's targets, which one module does not need, so a copy without them is compiled.
layers=(Sources/HeadroomCore Sources/HeadroomIngest Sources/HeadroomAnalysis)
# Rebuild only when a source changed.
if [[ ! -x $binary ]] || [[ -n $(find "${layers[@]}" Tests/Fuzz -name '*.swift' -newer "$binary" | head -1) ]]; then
    echo "building the fuzzing binary (a few minutes)" >&2
    rm -rf "$work/sources"
    mkdir -p "$work/sources"
    while IFS= read -r file; do
        [[ $(basename "$file") == Exports.swift ]] && continue
        sed -E '/^(@_exported )?import Headroom[A-Za-z]*$/d' "$file" >"$work/sources/$(echo "$file" | tr '/' '_')"
    done < <(find "${layers[@]}" -name '*.swift' | sort)
    swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name HeadroomKit -package-name headroom \
        -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap -I Sources/CZlib \
        "$work"/sources/*.swift Tests/Fuzz/FuzzTargets.swift -o "$binary" 2>&1 | { grep -v "Cannot export local symbol" || true; } >&2
fi

# Seeds: what each parser reads in real life, cut to the largest input the fuzzer tries.
max_len=${HEADROOM_FUZZ_MAX_LEN:-65536}
seed() { # seed TARGET FILE...
    local dir=$work/seeds/$1
    shift
    mkdir -p "$dir"
    local file
    for file in "$@"; do
        [[ -f $file ]] || continue
        head -c "$max_len" "$file" >"$dir/$(echo "$file" | tr '/' '_')"
    done
}
fixtures=Tests/HeadroomKitTests/Fixtures
seed gc-log Corpus/*/gc.log Corpus/g1-rotated/gc.log.*
if [[ -f ../shared/gc-corpus/MANIFEST.tsv ]]; then
    # Other analysers' logs, read in place: unified ones for gc-log, JDK 8 legacy for gc-legacy.
    for format in unified jdk8-legacy; do
        mapfile -t shared < <(awk -F'\t' -v f="$format" 'NR > 1 && $5 == f && $9 < 65536 { print "../shared/gc-corpus/" $1 }' ../shared/gc-corpus/MANIFEST.tsv | head -60)
        seed "$([[ $format == unified ]] && echo gc-log || echo gc-legacy)" "${shared[@]}"
    done
fi
mkdir -p "$work/seeds/gc-legacy"
seed gzip Corpus/g1-steady-gzip/gc.log.gz Corpus/*/command.profile.gz Corpus/*/bundle/command.profile.gz
seed kernel-files $(find "$fixtures/cgroup-v1" "$fixtures/cgroup-v2" "$fixtures/proc" -type f ! -name README.md)
seed oom-report "$fixtures"/oom/*.dmesg "$fixtures"/oom/*.log Corpus/bazel-test-oom-kill/kernel.log Corpus/cgroup-oom-kill/oom.dmesg
mkdir -p "$work/seeds/trace-profile"
for profile in Corpus/*/command.profile.gz Corpus/*/bundle/command.profile.gz; do
    # head stops reading early: gzip's broken pipe is expected.
    [[ -f $profile ]] && { gzip -dc "$profile" 2>/dev/null || true; } | head -c "$max_len" >"$work/seeds/trace-profile/$(echo "$profile" | tr '/' '_').json"
done
seed bazelrc $(find "$fixtures/bazelrc" -type f) Corpus/remote-14g-story/team.bazelrc
seed samples Corpus/*/samples.jsonl Corpus/*/bundle/samples.jsonl $(find "$fixtures/series" -type f 2>/dev/null)

status=0
printf '%-14s %12s %10s %s\n' target executions exec/s result
for target in "${targets[@]}"; do
    corpus=$work/corpus/$target
    artifacts=$work/artifacts/$target/
    mkdir -p "$corpus" "$artifacts"
    log=$work/$target.log
    set +e
    HEADROOM_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
        "$binary" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len="$max_len" \
        -artifact_prefix="$artifacts" -print_final_stats=1 "$corpus" "$work/seeds/$target" >"$log" 2>&1
    result=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    if ((result == 0)); then verdict=ok; else verdict="FAILED (see $log, $artifacts)"; status=1; fi
    printf '%-14s %12s %10s %s\n' "$target" "$runs" "$speed" "$verdict"
done
exit $status
