#!/usr/bin/env bash
# End-to-end checks of the `headroom` binary: output, exit codes, files it may and may not write.
# Usage: scripts/cli-checks.sh PATH_TO_HEADROOM
set -uo pipefail
headroom=${1:?usage: cli-checks.sh PATH_TO_HEADROOM}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() { # check NAME EXPECTED_STATUS COMMAND...
    local name=$1 expected=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    local status=$?
    if [[ $status -eq $expected ]]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: exit $status, expected $expected" >&2
        sed 's/^/  | /' "$work/err" | head -5 >&2
    fi
}
contains() { # contains NAME FILE TEXT
    if grep -q -- "$3" "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: '$3' not in $2" >&2; fi
}

check "no arguments analyses the bundled recording" 0 "$headroom"
contains "default report has a plan" "$work/out" "Plan for Bazel"
contains "default report has the live set" "$work/out" "peak live set"
check "gc with no file analyses the bundled GC log" 0 "$headroom" gc
contains "gc report names the collector" "$work/out" "Collector    G1"
contains "gc report has a live set" "$work/out" "Live set"

# The rules engine: analyze, its ready-made forms, review verdicts and exit codes, explain.
story=(--analysis-gc-log Corpus/g1-analysis-live-500m/gc.log --gc-log Corpus/g1-execution-growth-14g/gc.log)
check "analyze the 14 GB story" 0 "$headroom" analyze "${story[@]}" --bazelrc Corpus/remote-14g-story/team.bazelrc --bazel-version 6.4.0 --emit bazelrc
contains "fragment lowers the heap" "$work/out" "startup --host_jvm_args=-Xmx"
contains "fragment has the merkle-tree cache on 6.4" "$work/out" "build --experimental_remote_merkle_tree_cache"
check "analyze the 14 GB story for 9.0" 0 "$headroom" analyze "${story[@]}" --bazelrc Corpus/remote-14g-story/team.bazelrc --bazel-version 9.0.0 --emit bazelrc
if grep -q "^build --experimental_remote_merkle_tree_cache" "$work/out"; then failed=$((failed + 1)); echo "FAIL 9.0 fragment sets a removed flag" >&2; else passed=$((passed + 1)); fi
check "analyze json" 0 "$headroom" analyze "${story[@]}" --format json
python3 -m json.tool "$work/out" >/dev/null && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL analyze json is not JSON" >&2; }
check "systemd snippet" 0 "$headroom" analyze --emit systemd --run "bazel test //..."
contains "systemd snippet stops the server" "$work/out" "^bazel shutdown"
check "fail-on exits 2" 2 "$headroom" analyze "${story[@]}" --fail-on warning
check "review: raising to 14g is not justified" 10 "$headroom" review --diff Corpus/remote-14g-story/raise-heap.diff "${story[@]}" --format markdown
contains "review markdown says so" "$work/out" "not-justified"
check "review from standard input" 10 sh -c "'$headroom' review --diff - ${story[*]} < Corpus/remote-14g-story/raise-heap.diff"
check "review without a live set" 11 "$headroom" review --proposed "startup --host_jvm_args=-Xmx14g" --bazelrc Corpus/remote-14g-story/team.bazelrc
check "review with no evidence never judges on the bundled example" 11 "$headroom" review --diff Corpus/remote-14g-story/raise-heap.diff
contains "review says no evidence was given" "$work/err" "no evidence given"
check "review: too small a raise from a heap that ran out is raise-too-small" 12 "$headroom" review --proposed "startup --host_jvm_args=-Xmx160m" Corpus/truth-heap-too-small/bundle
contains "review says how much the evidence supports" "$work/out" "at least -Xmx512m"
check "review needs one form of change" 64 "$headroom" review --proposed "startup --host_jvm_args=-Xmx2g" --diff x.diff
check "analyze as OpenMetrics" 0 "$headroom" analyze "${story[@]}" --bazelrc Corpus/remote-14g-story/team.bazelrc --bazel-version 6.4.0 --format openmetrics
contains "OpenMetrics has the recommended heap" "$work/out" '^headroom_recommended_max_heap_bytes{context="workstation",bazel_release="6.4.0"} '
contains "OpenMetrics ends with EOF" "$work/out" '^# EOF$'
cp "$work/out" "$work/headroom.om"
if /usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
    check "an OpenMetrics parser reads it" 0 /usr/bin/python3 -c 'import sys; from prometheus_client.openmetrics.parser import text_string_to_metric_families as p; list(p(open(sys.argv[1]).read()))' "$work/headroom.om"
fi
check "analyze as Prometheus text" 0 "$headroom" analyze "${story[@]}" --format prometheus --output "$work/headroom.prom"
if command -v promtool >/dev/null 2>&1; then
    check "promtool checks the Prometheus text" 0 sh -c 'promtool check metrics < "$1"' promtool-check "$work/headroom.prom"
fi
check "review has no metrics format" 64 "$headroom" review --proposed "startup --host_jvm_args=-Xmx2g" --format openmetrics
check "explain a rule" 0 "$headroom" explain heap.oversized
contains "explain gives the rationale" "$work/out" "Java Performance"
check "explain an unknown rule" 64 "$headroom" explain heap.nothing
# Colour only on a terminal and never with NO_COLOR; progress only on a terminal.
if command -v script >/dev/null 2>&1; then
    script -qec "'$headroom'" /dev/null >"$work/tty" 2>&1
    if grep -q $'\e\[' "$work/tty"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL no colour on a terminal" >&2; fi
    NO_COLOR=1 script -qec "'$headroom'" /dev/null >"$work/tty" 2>&1
    if grep -q $'\e\[' "$work/tty"; then failed=$((failed + 1)); echo "FAIL colour despite NO_COLOR" >&2; else passed=$((passed + 1)); fi
fi
check "no colour into a pipe" 0 "$headroom" analyze
if grep -q $'\e\[' "$work/out"; then failed=$((failed + 1)); echo "FAIL colour into a pipe" >&2; else passed=$((passed + 1)); fi
if [[ -s $work/err ]]; then failed=$((failed + 1)); echo "FAIL progress on a non-terminal stderr" >&2; else passed=$((passed + 1)); fi
python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' "$work/out" && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL analyze report wider than 80 columns" >&2; }

# Shell completions come from the command definitions.
for shell in bash zsh fish; do
    check "$shell completion script" 0 "$headroom" --generate-completion-script "$shell"
    contains "$shell completion knows analyze" "$work/out" "analyze"
done
"$headroom" --generate-completion-script bash >"$work/completion.bash" && bash -n "$work/completion.bash" \
    && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL bash completion is not valid bash" >&2; }

check "analyze as an HTML page" 0 "$headroom" analyze Corpus/bazel-test-oom-kill/bundle --oom Corpus/bazel-test-oom-kill/kernel.log --format html --output "$work/report.html"
contains "the page has its charts" "$work/report.html" "<svg"
if grep -qi "<script" "$work/report.html"; then failed=$((failed + 1)); echo "FAIL the page has a script" >&2; else passed=$((passed + 1)); fi
check "review has no HTML form" 64 "$headroom" review --proposed "startup --host_jvm_args=-Xmx2g" --format html

# aggregate: many runs into one plan; run summaries appended as JSON lines.
check "analyze emits a run summary line" 0 "$headroom" analyze Corpus/bazel-test-oom-kill/bundle --oom Corpus/bazel-test-oom-kill/kernel.log --emit summary
[[ $(wc -l <"$work/out") -eq 1 ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL summary is not one line" >&2; }
contains "the summary says the run was OOM-killed" "$work/out" '"oomKilled":true'
cat "$work/out" >"$work/runs.jsonl"
"$headroom" analyze Corpus/bazel-test-cgroup --emit summary >>"$work/runs.jsonl"
check "aggregate the Corpus bundles" 0 "$headroom" aggregate Corpus/bazel-test-cgroup Corpus/bazel-test-oom-kill/bundle Corpus/bazel-server-outside-scope Corpus/bazel-analysis-thrashing Corpus/cgroup-oom-kill
contains "aggregate shows its section" "$work/out" "Aggregate of 5 runs"
contains "aggregate plans" "$work/out" "Plan for Bazel"
check "aggregate a run-summary file as a bazelrc fragment" 0 "$headroom" aggregate "$work/runs.jsonl" --emit bazelrc --half-life 12h --percentile 0.95 --margin 0.2
echo 'not json' >>"$work/runs.jsonl"
check "aggregate lists a damaged line and goes on" 1 "$headroom" aggregate "$work/runs.jsonl" --format json
contains "the damaged line is named by file and line" "$work/err" "runs.jsonl:3:"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(r["aggregate"]["runs"] != 2)' "$work/out" && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL aggregate JSON lacks the runs" >&2; }
check "aggregate with nothing readable" 3 "$headroom" aggregate "$work/nothing.jsonl"
check "aggregate percentile out of range" 64 "$headroom" aggregate Corpus/bazel-test-cgroup --percentile 1.5

check "analyze an unreadable input" 3 "$headroom" analyze --gc-log "$work/nothing.log"
contains "unreadable input is named" "$work/err" "nothing.log"

check "json output" 0 "$headroom" gc --format json Corpus/g1-steady/gc.log
python3 -m json.tool "$work/out" >/dev/null && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL json output is not JSON" >&2; }

check "standard input" 0 sh -c "cat Corpus/g1-steady/gc.log | '$headroom' gc --format json -"
contains "standard input is named" "$work/out" '"<stdin>"'

check "missing file" 3 "$headroom" gc "$work/does-not-exist.log"
contains "missing file is named" "$work/err" "does-not-exist.log"

: >"$work/empty.log"
check "empty file has nothing to analyse" 4 "$headroom" gc "$work/empty.log"

mkdir "$work/nologs"
check "directory without logs" 3 "$headroom" gc "$work/nologs"

gzip -c Corpus/g1-steady/gc.log >"$work/full.gz"
head -c $(($(stat -c %s "$work/full.gz") / 2)) "$work/full.gz" >"$work/cut.gz"
check "truncated gzip gives a partial result" 1 "$headroom" gc "$work/cut.gz"
contains "truncated gzip is marked partial" "$work/out" "PARTIAL"

check "--output writes the report" 0 "$headroom" gc --format json --output "$work/report.json" Corpus/g1-steady/gc.log
[[ -s $work/report.json ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL --output wrote nothing" >&2; }
check "--output refuses to overwrite" 3 "$headroom" gc --output "$work/report.json" Corpus/g1-steady/gc.log
check "--output --force overwrites" 0 "$headroom" gc --force --output "$work/report.json" Corpus/g1-steady/gc.log
contains "--force replaced the JSON with text" "$work/report.json" "GC log analysis"
leftovers=$(find "$work" -name '.*.tmp' | wc -l)
[[ $leftovers -eq 0 ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL temporary files left behind" >&2; }

check "unknown option is a usage error" 64 "$headroom" gc --no-such-option

# sample: JSON lines from a live process, bundles, clean stops.
check "sample a live process" 0 "$headroom" sample --pid $$ --count 2 --interval 100ms --quiet
[[ $(wc -l <"$work/out") -eq 4 ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL sample: expected header, 2 samples, end" >&2; }
contains "sample records say what they are" "$work/out" '"record":"end"'
check "sample without a target is a usage error" 64 "$headroom" sample --count 1
check "sample of a missing process" 3 "$headroom" sample --pid 999999999 --count 1
check "sample into a bundle" 0 "$headroom" sample --pid $$ --count 2 --interval 100ms --quiet --out "$work/bundle"
contains "the bundle manifest lists the samples" "$work/bundle/bundle.json" '"samples.jsonl"'
check "a bundle is not replaced without --force" 3 "$headroom" sample --pid $$ --count 1 --quiet --out "$work/bundle"

# oom: kernel OOM reports from a file.
check "oom reads a kernel log" 0 "$headroom" oom Tests/HeadroomKitTests/Fixtures/oom/f-6.8-two-kills-kern.log
contains "oom classifies kills" "$work/out" "test-or-action"
check "oom as JSON" 0 "$headroom" oom --format json Tests/HeadroomKitTests/Fixtures/oom/c-6.18-memcg-v1-real.dmesg
contains "oom JSON has kills" "$work/out" '"kills"'
check "oom of a missing file" 3 "$headroom" oom "$work/does-not-exist.log"

# verify: usage errors and unreadable inputs (the real runs need root and Bazel: VerifyTests).
check "verify needs a bundle" 64 "$headroom" verify
check "verify --memory-max takes a size" 64 "$headroom" verify Corpus/bazel-test-cgroup --memory-max lots
check "verify --tolerance-wall below 1" 64 "$headroom" verify Corpus/bazel-test-cgroup --tolerance-wall 0.5
check "verify --tolerance-gc above 1" 64 "$headroom" verify Corpus/bazel-test-cgroup --tolerance-gc 5
check "verify --max-tries below 1" 64 "$headroom" verify Corpus/bazel-test-cgroup --max-tries 0
check "verify --memory-max-ceiling takes a size" 64 "$headroom" verify Corpus/bazel-test-cgroup --memory-max-ceiling lots
check "verify --search with --no-retry" 64 "$headroom" verify Corpus/bazel-test-cgroup --search --no-retry
check "verify with no command after --" 64 "$headroom" verify Corpus/bazel-test-cgroup -- bazel --output_base=/x
check "verify of a missing bundle" 3 "$headroom" verify "$work/no-such-bundle"
check "verify of a missing fragment" 3 "$headroom" verify Corpus/bazel-test-cgroup --fragment "$work/no-such.bazelrc" --memory-max 1g
mkdir -p "$work/verify-out"
check "verify does not replace --out without --force" 3 "$headroom" verify Corpus/bazel-test-cgroup --out "$work/verify-out"
contains "verify names the existing folder" "$work/err" "give --force"
# A bundle recorded elsewhere (the Corpus's) whose command has options beyond verify's allowlists.
check "verify refuses a foreign bundle's options without --trust-bundle" 5 "$headroom" verify Corpus/bazel-test-cgroup --memory-max 1g --out "$work/verify-refused"
contains "verify names what it refused" "$work/err" "give --trust-bundle to replay them"
check "the cgroup helper is hidden" 0 "$headroom" --help
if grep -q "__exec-in-cgroup" "$work/out"; then failed=$((failed + 1)); echo "FAIL __exec-in-cgroup is listed" >&2; else passed=$((passed + 1)); fi

echo "cli: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
