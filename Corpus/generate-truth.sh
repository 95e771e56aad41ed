#!/usr/bin/env bash
# Records the ground-truth Corpus cases: real Bazel (Debian's bazel-bootstrap, offline) in real
# memory cgroups, each case a folder truth-NAME/ with bundle/ (from `headroom record`), kernel.log
# when the kernel killed (the OOM reports of that run only) and TRUTH: key=value lines written by
# this script from what it set up and what the kernel and Bazel reported, not from Headroom.
#
#   truth-unconstrained     bazel test of memory-hungry sh_tests, no limit; record makes the
#                           command's own cgroup (inside one this script watches)
#   truth-limit-holds       the same under a limit that holds
#   truth-server-killed     analysis with a 1 GiB heap (-Xms1g) under a limit below what the
#                           server then needs: the kernel kills the server
#   truth-tests-killed      two concurrent sh_tests that each do not fit beside the server: two kills
#   truth-heap-too-small    analysis of 50,000 genrules with -Xmx80m: Bazel's own OOM, exit 33
#   truth-thrashing-passes  analysis with -Xmx just above the live set: back-to-back full GCs, exit 0
#   truth-shared-cgroup     record --no-own-cgroup in a cgroup where another process holds 500 MiB
#   truth-baseline-sweep    TRUTH only: the sweep is the bazel-baseline case (generate-bazel.sh)
#
# Needs root and the cgroup v1 memory controller. Everything runs under /tmp/headroom-corpus (so
# the paths inside the bundles name no machine); host names and kernel build suffixes are scrubbed.
# TRUTH keys: command, limit_bytes (or none), exit_status, passed, kernel_kills, kill_victims
# (server, test or the process name, comma-separated), cgroup_peak_bytes (memory.max_usage_in_bytes
# of the cgroup this script made for the case), tree_peak_bytes (the largest sampled RSS of the
# server's process tree), wall_seconds, xmx_bytes, cgroup_ownership (what record.json should say)
# and what_happened (words).
#
# Usage: [CASES="truth-… …"] [RESUME=1] Corpus/generate-truth.sh [OUTDIR]   (default: the Corpus folder)
# RESUME=1 keeps the cases already recorded under /tmp/headroom-corpus (those with a TRUTH) and
# records only the others, then gzips, scrubs and copies them all.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
all_cases="truth-unconstrained truth-limit-holds truth-server-killed truth-tests-killed truth-heap-too-small truth-thrashing-passes truth-shared-cgroup truth-baseline-sweep"
cases=${CASES:-$all_cases}
for case in $cases; do
    [[ " $all_cases " == *" $case "* ]] || { echo "unknown case: $case (known: $all_cases)" >&2; exit 2; }
done
wanted() { [[ " $cases " == *" $1 "* ]]; }
root=/sys/fs/cgroup/memory
if [[ $(id -u) -ne 0 || ! -f $root/memory.limit_in_bytes ]]; then
    echo "generate-truth.sh needs root and the cgroup v1 memory controller" >&2
    exit 2
fi
(cd "$here/.." && swift build --product headroom >&2)
headroom=$(cd "$here/.." && swift build --show-bin-path)/headroom
bazel=$(command -v bazel)
work=/tmp/headroom-corpus
[[ ${RESUME:-} == 1 ]] || rm -rf "$work"
mkdir -p "$work"
recorded() { [[ ${RESUME:-} == 1 && -f $work/$1/TRUTH ]]; }

# Cleanup of whatever a failed run leaves: servers of this script's output bases (by the PID in
# the output base, only if that process still names it), the load of the shared case, cgroups.
cgroups=()
load_pid=
cleanup() {
    [[ -n $load_pid ]] && kill "$load_pid" 2>/dev/null || true
    for pidfile in "$work"/*-ob/server/server.pid.txt; do
        [[ -f $pidfile ]] || continue
        pid=$(cat "$pidfile")
        [[ -r /proc/$pid/cmdline ]] || continue
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "${pidfile%/server/server.pid.txt}"; then
            kill "$pid" 2>/dev/null || true
        fi
    done
    for cgroup in "${cgroups[@]}"; do
        for pid in $(cat "$cgroup"/*/cgroup.procs "$cgroup/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
        for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cgroup"/*/ 2>/dev/null; rmdir "$cgroup" 2>/dev/null && break; sleep 0.5; done
    done
}
trap cleanup EXIT

# new_cgroup, run_inside, shutdown_recorded: shared with the other Bazel generator.
# shellcheck source=Corpus/cgroup-helpers.sh
source "$here/cgroup-helpers.sh"




remove_cgroup() {
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do rmdir "$1" 2>/dev/null && return 0; sleep 0.5; done
    echo "could not remove $1 (the cleanup at exit tries again)" >&2
}

# One case: record COMMAND… from WORKSPACE inside the cgroup NAME (made here, limited to LIMIT MiB
# or "none"), RECORD_OPTIONS before --; then TRUTH and kernel.log from the kernel's counters and
# the dmesg lines that appeared during the run.
#   record_case CASE WORKSPACE LIMIT_MIB XMX WHAT RECORD_OPTIONS -- COMMAND…
record_case() {
    local case=$1 workspace=$2 limit=$3 xmx=$4 what=$5 options=$6
    shift 7
    local name=headroom-truth-$case-$$ folder=$work/$case
    if recorded "$case"; then echo "$case: kept from an earlier run (RESUME=1)" >&2; return 0; fi
    rm -rf "$folder"
    mkdir -p "$folder"
    if [[ $case == truth-shared-cgroup ]]; then :; else new_cgroup "$name" "${limit/none/}"; fi
    [[ $case == truth-shared-cgroup ]] && name=$shared_name
    local before status=0 start end
    # The ring buffer may be full (old lines drop out as new ones come): the run's lines are
    # told by their timestamps, seconds since boot, like /proc/uptime.
    before=$(cut -d' ' -f1 /proc/uptime)
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    (cd "$workspace" && run_inside "$root/$name" "$headroom" record --interval 100ms $options --out "$folder/bundle" -- "$@") \
        >"$work/$case.record.txt" 2>&1 || status=$?
    end=$(date +%s.%N)
    local kills peak
    kills=$(awk '$1 == "oom_kill" { print $2 }' "$root/$name/memory.oom_control")
    peak=$(cat "$root/$name/memory.max_usage_in_bytes")
    dmesg | python3 -c '
import re, sys
for line in sys.stdin:
    stamp = re.match(r"\[\s*(\d+\.\d+)\]", line)
    if stamp and float(stamp.group(1)) >= float(sys.argv[1]):
        sys.stdout.write(line)
' "$before" >"$work/$case.dmesg"
    shutdown_recorded "$folder/bundle" "$workspace"
    [[ $case == truth-shared-cgroup ]] || remove_cgroup "$root/$name"
    python3 - "$folder" "/$name" "$status" "$kills" "$peak" "$limit" "$xmx" "$what" "$start" "$end" "$work/$case.dmesg" "$@" <<'PY'
import json, re, sys
folder, memcg, status, kills, peak, limit, xmx, what, start, end, dmesg = sys.argv[1:12]
command = sys.argv[12:]
lines = open(dmesg, errors="replace").read().splitlines()
# Each kill in this case's cgroup: its summary line names the cgroup; its report runs from the last
# "invoked oom-killer" before it to the "Killed process" line after it, then the oom_reaper line
# when there is one. Reports of concurrent kills can interleave: lines are kept once, in order.
keep, victims = set(), []
for index, line in enumerate(lines):
    if "oom-kill:" not in line or f"oom_memcg={memcg}," not in line:
        continue
    first = max((i for i in range(index + 1) if "invoked oom-killer" in lines[i]), default=index)
    last = next((i for i in range(index, len(lines)) if "Killed process" in lines[i]), index)
    keep.update(range(first, last + 1))
    if last + 1 < len(lines) and "oom_reaper" in lines[last + 1]:
        keep.add(last + 1)
    name = re.search(r",task=([^,]*),", line).group(1)
    victims.append("server" if name == "java" else "test" if name in ("python3", "allocate.sh") else name)
if keep:
    open(f"{folder}/kernel.log", "w").write("\n".join(lines[i] for i in sorted(keep)) + "\n")
record = json.load(open(f"{folder}/bundle/record.json"))
tree = 0
for line in open(f"{folder}/bundle/samples.jsonl", errors="replace"):
    try:
        sample = json.loads(line)
    except ValueError:
        continue
    tree = max(tree, (sample.get("processes") or {}).get("rssBytes") or 0)
units = {"k": 10, "m": 20, "g": 30}
truth = {
    "command": " ".join(command),
    "limit_bytes": "none" if limit == "none" else str(int(limit) << 20),
    "exit_status": status,
    "passed": "true" if status == "0" else "false",
    "kernel_kills": kills,
    "kill_victims": ",".join(victims) or "none",
    "cgroup_peak_bytes": peak,
    "tree_peak_bytes": str(tree) if tree else "none",
    "wall_seconds": "%.1f" % (float(end) - float(start)),
    "xmx_bytes": str(int(xmx[:-1]) << units[xmx[-1].lower()]) if xmx != "none" else "none",
    "cgroup_ownership": (record.get("cgroup") or {}).get("ownership", "unknown"),
    "what_happened": what,
}
open(f"{folder}/TRUTH", "w").write("".join(f"{k}={v}\n" for k, v in truth.items()))
print(f"{folder.rsplit('/', 1)[1]}: exit {status}, {kills} kill(s) {victims}, peak {int(peak) >> 20} MiB", file=sys.stderr)
PY
}

# Workspaces (generated, never committed): tests of 200 MiB (three, two at a time), tests of
# 350 MiB (two at a time; each alone does not fit beside the server under 500 MiB), 4,000
# genrules (live set about 28 MiB after analysis) and 50,000 genrules (about 140 MiB).
python3 "$here/../scripts/make-workspace.py" "$work/tests" --packages 1 --chains 1 --length 3 \
    --tests 3 --test-mib 200 --test-seconds 3 --test-oom-score-adj 1000
python3 "$here/../scripts/make-workspace.py" "$work/kill-tests" --packages 1 --chains 1 --length 3 \
    --tests 2 --test-mib 350 --test-seconds 3 --test-oom-score-adj 1000
python3 "$here/../scripts/make-workspace.py" "$work/small" --packages 20 --chains 2 --length 100
python3 "$here/../scripts/make-workspace.py" "$work/big" --packages 50 --chains 10 --length 100
mapfile -t flags < <(python3 "$here/../scripts/make-workspace.py" "$work/tests" --print-test-flags)
mapfile -t kill_flags < <(python3 "$here/../scripts/make-workspace.py" "$work/kill-tests" --print-test-flags)

test_command() { # OUTPUT_BASE WORKSPACE_FLAGS…
    local ob=$1
    shift
    echo "$bazel" --output_base="$ob" --host_jvm_args=-Xmx512m test --local_test_jobs=2 --nocache_test_results "$@" //memtests:all
}

if wanted truth-unconstrained; then
    # shellcheck disable=SC2046
    record_case truth-unconstrained "$work/tests" none 512m \
        "bazel test of 3 sh_tests holding 200 MiB for 3 s, 2 at a time, no limit: all passed; record ran the command in a memory cgroup of its own" \
        "" -- $(test_command "$work/unconstrained-ob" "${flags[@]}")
fi
if wanted truth-limit-holds; then
    # shellcheck disable=SC2046
    record_case truth-limit-holds "$work/tests" 900 512m \
        "the same bazel test in a cgroup limited to 900 MiB: the limit held, no kernel kill, all passed" \
        "--no-own-cgroup" -- $(test_command "$work/holds-ob" "${flags[@]}")
fi
if wanted truth-server-killed; then
    record_case truth-server-killed "$work/big" 450 1g \
        "bazel build --nobuild of 50,000 genrules with -Xms1g -Xmx1g in a cgroup limited to 450 MiB: the heap grew past what the limit leaves, the kernel killed the server (java) and the client reported it gone" \
        "--no-own-cgroup" -- "$bazel" --output_base="$work/server-killed-ob" --host_jvm_args=-Xms1g --host_jvm_args=-Xmx1g build --nobuild //...
fi
if wanted truth-tests-killed; then
    # shellcheck disable=SC2046
    record_case truth-tests-killed "$work/kill-tests" 500 512m \
        "bazel test of 2 sh_tests holding 350 MiB each, 2 at a time, in a cgroup limited to 500 MiB: neither fits beside the server, the kernel killed both tests (oom_score_adj 1000), the server survived and reported them failed" \
        "--no-own-cgroup" -- $(test_command "$work/tests-killed-ob" "${kill_flags[@]}")
fi
if wanted truth-heap-too-small; then
    record_case truth-heap-too-small "$work/big" none 80m \
        "bazel build --nobuild of 50,000 genrules with -Xmx80m, below the live set of the analysis: Bazel ran out of heap and exited 33; no cgroup limit, no kernel kill" \
        "--no-own-cgroup" -- "$bazel" --output_base="$work/heap-small-ob" --host_jvm_args=-Xmx80m build --nobuild //...
fi
if wanted truth-thrashing-passes; then
    record_case truth-thrashing-passes "$work/small" none 32m \
        "bazel build --nobuild of 4,000 genrules with -Xmx32m, just above the live set after analysis (about 28 MiB): back-to-back full GCs that free little, yet Bazel finished (exit 0)" \
        "--no-own-cgroup" -- "$bazel" --output_base="$work/thrash-ob" --host_jvm_args=-Xmx32m build --nobuild //...
fi
if wanted truth-shared-cgroup && ! recorded truth-shared-cgroup; then
    # Another process holds 500 MiB in the cgroup the command runs in, as in a CI job's or a login
    # session's cgroup; record is told not to make one of its own.
    shared_name=headroom-truth-shared-$$
    new_cgroup "$shared_name"
    run_inside "$root/$shared_name" python3 -c 'import time; b = bytearray(500 << 20); [b.__setitem__(i, 1) for i in range(0, len(b), 4096)]; time.sleep(900)' &
    load_pid=$!
    for _ in $(seq 1 60); do (($(cat "$root/$shared_name/memory.usage_in_bytes") > 500 << 20)) && break; sleep 0.5; done
    # shellcheck disable=SC2046
    record_case truth-shared-cgroup "$work/tests" none 512m \
        "the same bazel test recorded with --no-own-cgroup in a cgroup shared with a python3 process holding 500 MiB: the cgroup's peak counts it, the server's process tree does not" \
        "--no-own-cgroup" -- $(test_command "$work/shared-ob" "${flags[@]}")
    # The load is python3 under the background subshell: killed by the cgroup's own list.
    for pid in $(cat "$root/$shared_name/cgroup.procs"); do kill "$pid" 2>/dev/null || true; done
    wait "$load_pid" 2>/dev/null || true
    load_pid=
    remove_cgroup "$root/$shared_name"
fi
if wanted truth-baseline-sweep; then
    # The sweep is the bazel-baseline case already (generate-bazel.sh); TRUTH points to it.
    mkdir -p "$work/truth-baseline-sweep"
    python3 - "$here/bazel-baseline" "$work/truth-baseline-sweep/TRUTH" <<'PY'
import json, sys
folder, target = sys.argv[1:]
baseline = json.load(open(f"{folder}/baseline.json"))
truth = {
    "bundle": "../bazel-baseline",
    "command": "headroom baseline //... --sweep --sweep-max 512m --sweep-steps 3 (generate-bazel.sh)",
    "limit_bytes": "none",
    "exit_status": "0",
    "passed": "true",
    "kernel_kills": "0",
    "kill_victims": "none",
    "cgroup_peak_bytes": "none",
    "tree_peak_bytes": "none",
    "wall_seconds": "none",
    "xmx_bytes": "none",
    "cgroup_ownership": "unknown",
    "what_happened": "headroom baseline --sweep on 4,000 genrules: analysis at a few -Xmx steps, the smallest that completed without thrashing is the floor (see bazel-baseline)",
}
open(target, "w").write("".join(f"{k}={v}\n" for k, v in truth.items()))
PY
fi

# Large GC logs and sample logs are gzipped (the readers take gzip), with the manifest following.
for case in $cases; do
    bundle=$work/$case/bundle
    [[ -d $bundle ]] || continue
    for log in "$bundle"/gc.log* "$bundle"/samples.jsonl; do
        [[ -f $log && $log != *.gz && $(stat -c %s "$log") -gt 100000 ]] || continue
        gzip -9n "$log"
        python3 - "$bundle/bundle.json" "$(basename "$log")" <<'PY'
import json, sys
path, name = sys.argv[1:]
data = json.load(open(path))
def rename(node):
    if isinstance(node, dict):
        return {k: (name + ".gz" if v == name else rename(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [rename(v) for v in node]
    return node
json.dump(rename(data), open(path, "w"), indent=2, sort_keys=True)
PY
    done
done

# Copy into the Corpus; the machine's name, kernel build and the cgroup this script ran in stay out.
own=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)
release=$(cat /proc/sys/kernel/osrelease)
for case in $cases; do
    [[ -d $work/$case ]] || continue
    rm -rf "${out:?}/$case"
    cp -r "$work/$case" "$out/$case"
    find "$out/$case" -name bundle.json -print0 | xargs -0 -r python3 -c '
import json, sys
for path in sys.argv[1:]:
    data = json.load(open(path))
    host = data.get("host") or {}
    if "hostname" in host:
        host["hostname"] = "recorder"
    if host.get("kernel"):
        host["kernel"] = host["kernel"].split("-")[0]
    json.dump(data, open(path, "w"), indent=2, sort_keys=True)
'
    { grep -rlF -e "$release" -e "${own:-/nonexistent}" "$out/$case" 2>/dev/null || true; } | { grep -v '\.gz$' || true; } | while read -r file; do
        python3 -c 'import sys; p, r, o = sys.argv[1:]; t = open(p, errors="replace").read().replace(r, r.split("-")[0]); t = t.replace(o, "/build-session") if len(o) > 1 else t; open(p, "w").write(t)' \
            "$file" "$release" "$own"
    done
done

printf '\n%-24s %-6s %-5s %-6s %-14s %-10s %-10s %-7s %-8s\n' case limit exit kills victims cgroupMiB treeMiB wall ownership >&2
for case in $cases; do
    [[ -f $out/$case/TRUTH ]] || continue
    python3 - "$out/$case/TRUTH" "$case" <<'PY' >&2
import sys
t = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]) if "=" in l)
mib = lambda v: "-" if v == "none" else str(int(v) >> 20)
print("%-24s %-6s %-5s %-6s %-14s %-10s %-10s %-7s %-8s" % (sys.argv[2], mib(t["limit_bytes"]), t["exit_status"], t["kernel_kills"],
      t["kill_victims"], mib(t["cgroup_peak_bytes"]), mib(t["tree_peak_bytes"]), t["wall_seconds"], t["cgroup_ownership"]))
PY
done
du -sh "$out"/truth-* >&2
