#!/usr/bin/env bash
# All tests: installs the prerequisites, runs the Swift test suite (unit, scenario and
# conformance tests over ../shared/gc-corpus when present), checks the command line end to end,
# and checks the parser against logs a live JDK writes right now (a fresh Corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-prerequisites.sh

swift build
swift test

echo "== command line" >&2
bash scripts/cli-checks.sh .build/debug/headroom

if [[ ${HEADROOM_SKIP_FRESH_CORPUS:-0} != 1 ]]; then
    echo "== a fresh Corpus from the JDK on this machine" >&2
    fresh=$(mktemp -d)
    trap 'rm -rf "$fresh"' EXIT
    bash Corpus/generate.sh "$fresh" >&2
    HEADROOM_CORPUS_UNDER_TEST="$fresh" swift test --skip-build --filter CorpusTests
fi
