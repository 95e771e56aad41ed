#!/usr/bin/env bash
# The main job: set up, build Headroom in release mode and run it. With no arguments it runs
# `headroom analyze` on the bundled Corpus case bazel-test-cgroup (a real recording of `bazel test`
# in a memory cgroup); any arguments go to `headroom` as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-prerequisites.sh
swift build -c release --product headroom >&2
exec .build/release/headroom "$@"
