#!/usr/bin/env bash
# All tests: installs the prerequisites, runs the Swift test suite (unit, scenario and
# conformance tests over ../shared/gc-corpus when present), checks the command line end to end,
# and checks the parser against logs a live JDK writes right now (a fresh Corpus).
# Knobs: HEADROOM_FUZZ_SECONDS (per fuzz target, default 10; 0 skips fuzzing),
#        HEADROOM_SKIP_FRESH_CORPUS=1 (skips the fresh Corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-prerequisites.sh

swift build
swift test

echo "== command line" >&2
bash scripts/cli-checks.sh .build/debug/headroom

echo "== completions and man page" >&2
docs=$(mktemp -d)
bash scripts/generate-docs.sh "$docs"
for command in analyze aggregate review verify explain gc sample oom record baseline; do
    grep -q "$command" "$docs/headroom.1" || { echo "man page lacks $command" >&2; exit 1; }
    grep -q "$command" "$docs/_headroom" || { echo "zsh completion lacks $command" >&2; exit 1; }
done
bash -n "$docs/headroom.bash"
rm -rf "$docs"

fuzz_seconds=${HEADROOM_FUZZ_SECONDS:-10}
if [[ $fuzz_seconds != 0 ]]; then
    echo "== fuzzing every parser briefly (long runs: scripts/fuzz.sh 3600)" >&2
    bash scripts/fuzz.sh "$fuzz_seconds"
fi

if [[ ${HEADROOM_SKIP_FRESH_CORPUS:-0} != 1 ]]; then
    echo "== a fresh Corpus from the JDK on this machine" >&2
    fresh=$(mktemp -d)
    trap 'rm -rf "$fresh"' EXIT
    bash Corpus/generate.sh "$fresh" >&2
    HEADROOM_CORPUS_UNDER_TEST="$fresh" swift test --skip-build --filter CorpusTests
fi
