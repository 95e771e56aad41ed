#!/usr/bin/env bash
# Records the Bazel Corpus cases with the installed Bazel (Debian's bazel-bootstrap, offline):
#   bazel-baseline     `headroom baseline --sweep` on a generated workspace of genrule chains;
#   bazel-test-cgroup  `headroom record` of a `bazel test` of memory-hungry sh_tests, run inside
#                      a fresh cgroup v1 memory cgroup (as under systemd-run --scope).
# Needs root and the cgroup v1 memory controller for the second. Everything is recorded under
# /tmp/headroom-corpus (so the paths inside the bundles name no machine), then copied.
#
# Usage: Corpus/generate-bazel.sh [OUTDIR]   (default: the Corpus folder itself)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
(cd "$here/.." && swift build --product headroom >&2)
headroom=$(cd "$here/.." && swift build --show-bin-path)/headroom
bazel=$(command -v bazel)
work=/tmp/headroom-corpus
rm -rf "$work"
mkdir -p "$work"

# bazel-baseline: 20 packages x 2 chains x 100 genrules through a Starlark macro.
python3 "$here/../scripts/make-workspace.py" "$work/workspace" --packages 20 --chains 2 --length 100
"$headroom" baseline //... --workspace "$work/workspace" --bazel "$bazel" \
    --startup-option=--output_base="$work/ob" --sweep --sweep-max 512m --sweep-steps 3 --out "$work/bazel-baseline"
(cd "$work/workspace" && "$bazel" --output_base="$work/ob" shutdown) || true

# bazel-test-cgroup: 3 sh_tests of 80 MiB each, the server and the tests inside one cgroup.
root=/sys/fs/cgroup/memory
if [[ $(id -u) -eq 0 && -f $root/memory.limit_in_bytes ]]; then
    python3 "$here/../scripts/make-workspace.py" "$work/tests" --packages 2 --chains 1 --length 10 \
        --tests 3 --test-mib 80 --test-seconds 3
    mapfile -t flags < <(python3 "$here/../scripts/make-workspace.py" "$work/tests" --print-test-flags)
    cgroup=$root/headroom-corpus-$$
    mkdir "$cgroup"
    trap 'for p in $(cat "$cgroup/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done; sleep 0.5; rmdir "$cgroup" 2>/dev/null || true' EXIT
    # python3 joins the cgroup, then runs headroom (no shell in between).
    (cd "$work/tests" && python3 -c 'import os, sys; open(sys.argv[1], "w").write(str(os.getpid())); os.execvp(sys.argv[2], sys.argv[2:])' \
        "$cgroup/cgroup.procs" "$headroom" record --interval 100ms --out "$work/bazel-test-cgroup" -- \
        "$bazel" --output_base="$work/tests-ob" test "${flags[@]}" //memtests:all //p000/...) || true
    (cd "$work/tests" && "$bazel" --output_base="$work/tests-ob" \
        --host_jvm_args="-Xlog:gc*:file=$work/bazel-test-cgroup/gc.log:time,uptime,level,tags:filecount=10,filesize=50m" shutdown) || true
else
    echo "skipping bazel-test-cgroup: needs root and the cgroup v1 memory controller" >&2
fi

for case in bazel-baseline bazel-test-cgroup; do
    [[ -d $work/$case ]] || continue
    rm -rf "${out:?}/$case"
    cp -r "$work/$case" "$out/$case"
    # The recording machine's name and kernel build stay out of the Corpus.
    find "$out/$case" -name bundle.json -print0 | xargs -0 python3 -c '
import json, sys
for path in sys.argv[1:]:
    data = json.load(open(path))
    data["host"]["hostname"] = "recorder"
    if data["host"].get("kernel"):
        data["host"]["kernel"] = data["host"]["kernel"].split("-")[0]
    json.dump(data, open(path, "w"), indent=2, sort_keys=True)
'
done
du -sh "$out"/bazel-* >&2
