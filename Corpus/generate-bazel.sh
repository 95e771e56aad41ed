#!/usr/bin/env bash
# Records the Bazel Corpus cases with the installed Bazel (Debian's bazel-bootstrap, offline):
#   bazel-baseline              `headroom baseline --sweep` on a generated workspace of genrule chains;
#   bazel-test-cgroup           `headroom record` of a `bazel test` of memory-hungry sh_tests, run inside
#                               a fresh cgroup v1 memory cgroup (as under systemd-run --scope);
#   bazel-test-oom-kill         the same kind of run in a cgroup too small for the server and two
#                               concurrent tests: the kernel kills a test (bundle/ and kernel.log);
#   bazel-server-outside-scope  a server started before the cgroup, then a `bazel test` recorded from
#                               inside one: the server is not in the measured scope (bundle/);
#   bazel-analysis-thrashing    `bazel build --nobuild` of the baseline workspace with -Xmx just above
#                               the live set after analysis: back-to-back full GCs (bundle/).
# The cgroup cases need root and the cgroup v1 memory controller. Everything is recorded under
# /tmp/headroom-corpus (so the paths inside the bundles name no machine), then copied.
#
# Usage: [CASES="case …"] Corpus/generate-bazel.sh [OUTDIR]   (default: the Corpus folder itself)
# CASES picks the cases to record (default: all five); the others in OUTDIR are left alone, so
# CASES="bazel-test-oom-kill" re-records one case without the slow baseline sweep.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
all_cases="bazel-baseline bazel-test-cgroup bazel-test-oom-kill bazel-server-outside-scope bazel-analysis-thrashing"
cases=${CASES:-$all_cases}
for case in $cases; do
    [[ " $all_cases " == *" $case "* ]] || { echo "unknown case: $case (known: $all_cases)" >&2; exit 2; }
done
wanted() { [[ " $cases " == *" $1 "* ]]; }
(cd "$here/.." && swift build --product headroom >&2)
headroom=$(cd "$here/.." && swift build --show-bin-path)/headroom
bazel=$(command -v bazel)
work=/tmp/headroom-corpus
rm -rf "$work"
mkdir -p "$work"
root=/sys/fs/cgroup/memory
can_cgroup() { [[ $(id -u) -eq 0 && -f $root/memory.limit_in_bytes ]]; }

# Whatever a failed run leaves behind: servers of this script's output bases (by the PID in the
# output base, only if that process still names the output base), then the cgroups it made.
cgroups=()
cleanup() {
    for pidfile in "$work"/ob/server/server.pid.txt "$work"/*-ob/server/server.pid.txt; do
        [[ -f $pidfile ]] || continue
        pid=$(cat "$pidfile")
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "${pidfile%/server/server.pid.txt}"; then
            kill "$pid" 2>/dev/null || true
        fi
    done
    for cgroup in "${cgroups[@]}"; do
        for pid in $(cat "$cgroup/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
        for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cgroup" 2>/dev/null && break; sleep 0.5; done
    done
}
trap cleanup EXIT

# new_cgroup, run_inside, shutdown_recorded: shared with the other Bazel generator.
# shellcheck source=Corpus/cgroup-helpers.sh
source "$here/cgroup-helpers.sh"




# Removes a cgroup made by new_cgroup once its processes are gone.
remove_cgroup() {
    for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$1" 2>/dev/null && return 0; sleep 0.5; done
    echo "could not remove $1" >&2
}

# bazel-baseline: 20 packages x 2 chains x 100 genrules through a Starlark macro. The workspace
# is written even when the sweep is skipped: bazel-analysis-thrashing analyses it too.
python3 "$here/../scripts/make-workspace.py" "$work/workspace" --packages 20 --chains 2 --length 100
if wanted bazel-baseline; then
    "$headroom" baseline //... --workspace "$work/workspace" --bazel "$bazel" \
        --startup-option=--output_base="$work/ob" --sweep --sweep-max 512m --sweep-steps 3 --out "$work/bazel-baseline"
    (cd "$work/workspace" && "$bazel" --output_base="$work/ob" shutdown) || true
fi

# bazel-test-cgroup: 3 sh_tests of 80 MiB each, the server and the tests inside one cgroup.
if wanted bazel-test-cgroup && can_cgroup; then
    python3 "$here/../scripts/make-workspace.py" "$work/tests" --packages 2 --chains 1 --length 10 \
        --tests 3 --test-mib 80 --test-seconds 3
    mapfile -t flags < <(python3 "$here/../scripts/make-workspace.py" "$work/tests" --print-test-flags)
    cgroup=$root/headroom-corpus-$$
    mkdir "$cgroup"
    cgroups+=("$cgroup")
    (cd "$work/tests" && run_inside "$cgroup" "$headroom" record --interval 100ms --out "$work/bazel-test-cgroup" -- \
        "$bazel" --output_base="$work/tests-ob" test "${flags[@]}" //memtests:all //p000/...) || true
    shutdown_recorded "$work/bazel-test-cgroup" "$work/tests"
    remove_cgroup "$cgroup"
elif wanted bazel-test-cgroup; then
    echo "skipping bazel-test-cgroup: needs root and the cgroup v1 memory controller" >&2
fi

# bazel-test-oom-kill: the server (heap capped by an explicit -Xmx, so the heap is known) and two
# sh_tests of 120 MiB run two at a time, in a cgroup of 400 MiB. The server's resident set is
# about 170 MiB here and its page cache (jars, output base) another 100 MiB, part of it
# reclaimable: one test fits beside the server, two do not. Each test raises its own
# oom_score_adj to 1000, so the kernel kills a test, not the server, and Bazel reports the test
# failed (exit 3). Two tests rather than three, so that exactly one kill happens: the survivor
# then fits alone. The JVM sees the cgroup's 400 MiB as the machine's memory, so its ergonomics
# pick the Serial collector here (not G1): that is part of what such a limit does.
oom_limit_mib=400
oom_xmx=512m
oom_tests=2
oom_test_mib=120
oom_test_seconds=3
oom_test_jobs=2
if wanted bazel-test-oom-kill && can_cgroup; then
    python3 "$here/../scripts/make-workspace.py" "$work/oom-tests" --packages 1 --chains 1 --length 3 \
        --tests "$oom_tests" --test-mib "$oom_test_mib" --test-seconds "$oom_test_seconds" --test-oom-score-adj 1000
    mapfile -t flags < <(python3 "$here/../scripts/make-workspace.py" "$work/oom-tests" --print-test-flags)
    name=headroom-corpus-oom-$$
    new_cgroup "$name" "$oom_limit_mib"
    mkdir -p "$work/bazel-test-oom-kill"
    # The kill's report is looked up in dmesg by this cgroup's name; the kernel's own count of
    # kills in the cgroup says how many reports to expect.
    status=0
    (cd "$work/oom-tests" && run_inside "$root/$name" "$headroom" record --interval 100ms --out "$work/bazel-test-oom-kill/bundle" -- \
        "$bazel" --output_base="$work/oom-ob" --host_jvm_args=-Xmx"$oom_xmx" test --local_test_jobs="$oom_test_jobs" \
        "${flags[@]}" //memtests:all) || status=$?
    kills=$(awk '$1 == "oom_kill" { print $2 }' "$root/$name/memory.oom_control")
    peak=$(cat "$root/$name/memory.max_usage_in_bytes")
    dmesg >"$work/dmesg-all.txt"
    shutdown_recorded "$work/bazel-test-oom-kill/bundle" "$work/oom-tests"
    remove_cgroup "$root/$name"
    python3 - "$work" "/$name" "$status" "$kills" "$peak" "$oom_limit_mib" "$oom_xmx" "$oom_tests" "$oom_test_mib" \
        "$oom_test_seconds" "$oom_test_jobs" <<'PY'
import json, re, sys
work, memcg, status, kills, peak, limit_mib, xmx, tests, test_mib, test_seconds, jobs = sys.argv[1:]
lines = open(f"{work}/dmesg-all.txt", errors="replace").read().splitlines()
# Each kill in the cgroup: its summary line names the cgroup; the report runs from the last
# "invoked oom-killer" before it to the "Killed process" line after it, then an "oom_reaper" line
# when the kernel printed one before the next report.
summaries = [i for i, l in enumerate(lines) if "oom-kill:" in l and f"oom_memcg={memcg}," in l]
if not summaries:
    sys.exit(f"no OOM kill of {memcg} in dmesg (bazel exited {status})")
first = summaries[0]
start = max(i for i in range(first + 1) if "invoked oom-killer" in lines[i])
stop = next(i for i in range(first, len(lines)) if "Killed process" in lines[i])
report = lines[start:stop + 1]
for line in lines[stop + 1:stop + 10]:
    if "invoked oom-killer" in line:
        break
    if "oom_reaper" in line:
        report.append(line)
        break
open(f"{work}/bazel-test-oom-kill/kernel.log", "w").write("\n".join(report) + "\n")
victim = re.search(r"Killed process (\d+) \(([^)]*)\).*oom_score_adj:(-?\d+)", lines[stop])
output = open(f"{work}/bazel-test-oom-kill/bundle/command-output.txt", errors="replace").read()
failed = sorted(set(re.findall(r"^(//\S+)\s+FAILED in", output, re.M)))
passed = sorted(set(re.findall(r"^(//\S+)\s+PASSED in", output, re.M)))
units = {"k": 10, "m": 20, "g": 30}
expected = {
    "case": "bazel-test-oom-kill",
    "description": f"headroom record of bazel test of {tests} sh_tests holding {test_mib} MiB each for {test_seconds} s, "
                   f"{jobs} at a time, with the server (-Xmx{xmx}) and the tests in a cgroup v1 memory cgroup limited to "
                   f"{limit_mib} MiB (memory+swap too): the kernel OOM-killed a test and Bazel reported it failed.",
    "shows": "a test killed by the kernel's memory-cgroup OOM killer while the server survives: the cgroup limit is too "
             "small for the server plus the concurrent tests, not the server's heap",
    "cgroupPath": memcg,
    "cgroupVersion": 1,
    "limitBytes": int(limit_mib) << 20,
    "memswLimitBytes": int(limit_mib) << 20,
    "peakUsageBytes": int(peak),
    "serverMaxHeapBytes": int(xmx[:-1]) << units[xmx[-1].lower()],
    "serverMaxHeapOption": f"--host_jvm_args=-Xmx{xmx}",
    "tests": int(tests),
    "testAllocBytes": int(test_mib) << 20,
    "testSeconds": float(test_seconds),
    "testOomScoreAdj": 1000,
    "localTestJobs": int(jobs),
    "exitStatus": int(status),
    "failedTests": failed,
    "passedTests": passed,
    "kernelOOMKills": int(kills),
    "victimPID": int(victim.group(1)),
    "victimName": victim.group(2),
    "victimOomScoreAdj": int(victim.group(3)),
    "constraint": "memcg",
    "kernel": open("/proc/sys/kernel/osrelease").read().strip(),
}
json.dump(expected, open(f"{work}/bazel-test-oom-kill/expected.json", "w"), indent=2, sort_keys=True)
print(f"bazel-test-oom-kill: bazel exited {status}; {kills} kill(s) in {memcg}; victim {victim.group(2)} {victim.group(1)}; "
      f"failed {failed}", file=sys.stderr)
PY
    rm "$work/dmesg-all.txt"
elif wanted bazel-test-oom-kill; then
    echo "skipping bazel-test-oom-kill: needs root and the cgroup v1 memory controller" >&2
fi

# bazel-server-outside-scope: the server is started first, by a plain `bazel info`; then a small
# `bazel test` is recorded from inside a fresh 1 GiB cgroup, as when `systemd-run --scope` wraps a
# command whose server was already running. The server is started in a cgroup of its own without
# a limit, standing for the login session it came from (this script's own cgroup may hold other
# processes, which the samples, following the server's cgroup, would count). The tests are the
# server's children, so they run in the server's cgroup too: only the client is in the scope.
# --keep-server: the GC-log startup option headroom would add otherwise changes the startup
# options, and the client would restart the server, this time inside the scope.
outside_limit_mib=1024
if wanted bazel-server-outside-scope && can_cgroup; then
    python3 "$here/../scripts/make-workspace.py" "$work/outside-tests" --packages 1 --chains 1 --length 3 \
        --tests 2 --test-mib 80 --test-seconds 2
    mapfile -t flags < <(python3 "$here/../scripts/make-workspace.py" "$work/outside-tests" --print-test-flags)
    session=headroom-corpus-session-$$
    new_cgroup "$session"
    server_before=$(cd "$work/outside-tests" && run_inside "$root/$session" "$bazel" --output_base="$work/outside-ob" info server_pid)
    server_cgroup=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' "/proc/$server_before/cgroup")
    name=headroom-corpus-outside-$$
    new_cgroup "$name" "$outside_limit_mib"
    status=0
    (cd "$work/outside-tests" && run_inside "$root/$name" "$headroom" record --keep-server --interval 100ms \
        --out "$work/bazel-server-outside-scope/bundle" -- \
        "$bazel" --output_base="$work/outside-ob" test "${flags[@]}" //memtests:all) || status=$?
    server_after=$(cd "$work/outside-tests" && "$bazel" --output_base="$work/outside-ob" info server_pid)
    (cd "$work/outside-tests" && "$bazel" --output_base="$work/outside-ob" shutdown) || true
    remove_cgroup "$root/$name"
    remove_cgroup "$root/$session"
    python3 - "$work" "/$name" "$status" "$server_before" "$server_after" "$server_cgroup" "$outside_limit_mib" <<'PY'
import json, sys
work, memcg, status, before, after, server_cgroup, limit_mib = sys.argv[1:]
expected = {
    "case": "bazel-server-outside-scope",
    "description": f"A Bazel server started by `bazel info` in a cgroup of its own ({server_cgroup}, no limit: the "
                   "session it came from), then headroom record --keep-server of bazel test of 2 sh_tests (80 MiB for "
                   "2 s each) run inside a fresh cgroup v1 memory cgroup limited to "
                   f"{limit_mib} MiB: only the client is in that scope; the server and the tests it spawns are not.",
    "shows": "a server started before the scope: the scope does not hold the server nor the tests the server "
             "spawns, so a limit set on the scope bounds neither",
    "cgroupPath": memcg,
    "cgroupVersion": 1,
    "limitBytes": int(limit_mib) << 20,
    "serverPID": int(before),
    "serverPIDAfter": int(after),
    "serverCgroup": server_cgroup,
    "scopeCgroupPath": memcg,
    "serverStartedOutsideScope": True,
    "keepServer": True,
    "exitStatus": int(status),
}
json.dump(expected, open(f"{work}/bazel-server-outside-scope/expected.json", "w"), indent=2, sort_keys=True)
record = json.load(open(f"{work}/bazel-server-outside-scope/bundle/record.json"))
print(f"bazel-server-outside-scope: bazel exited {status}; server {before} (after {after}) in {server_cgroup}; "
      f"record says serverInsideScope={record.get('serverInsideScope')}", file=sys.stderr)
if before != after or record.get("serverInsideScope") is not False:
    sys.exit("the server was restarted or found inside the scope: the case does not show what it should")
PY
elif wanted bazel-server-outside-scope; then
    echo "skipping bazel-server-outside-scope: needs root and the cgroup v1 memory controller" >&2
fi

# bazel-analysis-thrashing: analysis of the baseline workspace (4,000 genrules) leaves about
# 27-28 MiB live after a full GC with this Bazel and JDK 17 (G1). With -Xmx40m to 48m the run
# only does more young collections (0.4-0.7 s of GC, no full GC but the System.gc() of
# `bazel info`); at 36m one compaction full GC appears; at 32m G1 runs back-to-back compaction
# full GCs that each free about 1 MiB, and GC takes a fifth or more of the run. Bazel still
# completes (exit 0, not 33) at 32m.
# The 600-odd collections make the `gc*` log headroom adds about 1 MB (heap regions and phases
# of every pause), so the command brings its own GC log in the bundle folder, with the tags that
# say what each pause did and cost (gc: kind, cause, before->after(capacity), duration; gc+cpu;
# gc+init: collector and heap sizes; gc+heap+exit), and --keep-server leaves it alone. It still
# is what the JVM wrote: only the selection differs. The server runs in a fresh cgroup without a
# limit, so the cgroup samples hold this run alone.
thrash_xmx=${THRASH_XMX:-32m}
if wanted bazel-analysis-thrashing; then
    bundle=$work/bazel-analysis-thrashing/bundle
    xlog="-Xlog:gc,gc+cpu,gc+init,gc+heap+exit:file=$bundle/gc.log:time,uptime,level,tags:filecount=10,filesize=50m"
    name=headroom-corpus-thrash-$$
    status=0
    if can_cgroup; then
        new_cgroup "$name"
        (cd "$work/workspace" && run_inside "$root/$name" "$headroom" record --keep-server --out "$bundle" -- \
            "$bazel" --output_base="$work/thrash-ob" --host_jvm_args=-Xmx"$thrash_xmx" --host_jvm_args="$xlog" \
            build --nobuild //...) || status=$?
    else
        echo "bazel-analysis-thrashing: no memory cgroup of its own (needs root): the cgroup samples hold more" >&2
        (cd "$work/workspace" && "$headroom" record --keep-server --out "$bundle" -- \
            "$bazel" --output_base="$work/thrash-ob" --host_jvm_args=-Xmx"$thrash_xmx" --host_jvm_args="$xlog" \
            build --nobuild //...) || status=$?
    fi
    shutdown_recorded "$bundle" "$work/workspace"
    if can_cgroup; then remove_cgroup "$root/$name"; fi
    python3 - "$work" "$status" "$thrash_xmx" <<'PY'
import glob, json, re, sys
work, status, xmx = sys.argv[1:]
units = {"k": 10, "m": 20, "g": 30}
# Counted in the JVM's own log with a plain pattern: the full collections G1 ran on its own.
full = 0
for path in glob.glob(f"{work}/bazel-analysis-thrashing/bundle/gc.log*"):
    full += sum(1 for l in open(path, errors="replace") if re.search(r"\[gc\s*\] GC\(\d+\) Pause Full \(G1 Compaction Pause\)", l))
expected = {
    "case": "bazel-analysis-thrashing",
    "description": f"headroom record of bazel --host_jvm_args=-Xmx{xmx} build --nobuild //... on the bazel-baseline "
                   "workspace (make-workspace.py --packages 20 --chains 2 --length 100: 4,000 genrules through a "
                   "Starlark macro), -Xmx just above the live set after analysis.",
    "shows": "a heap too small for analysis: back-to-back G1 compaction full GCs that free little, GC time a large "
             "share of the run",
    "packages": 20,
    "chainsPerPackage": 2,
    "chainLength": 100,
    "genrules": 4000,
    "serverMaxHeapBytes": int(xmx[:-1]) << units[xmx[-1].lower()],
    "serverMaxHeapOption": f"--host_jvm_args=-Xmx{xmx}",
    "collector": "G1",
    "gcLogSelection": "gc,gc+cpu,gc+init,gc+heap+exit",
    "exitStatus": int(status),
    "gcLogFullCompactionPauses": full,
}
json.dump(expected, open(f"{work}/bazel-analysis-thrashing/expected.json", "w"), indent=2, sort_keys=True)
print(f"bazel-analysis-thrashing: -Xmx{xmx}, bazel exited {status}, {full} compaction full GCs", file=sys.stderr)
PY
fi

for case in $cases; do
    [[ -d $work/$case ]] || continue
    rm -rf "${out:?}/$case"
    cp -r "$work/$case" "$out/$case"
    # The recording machine's name and kernel build stay out of the Corpus, in every bundle.json
    # (the sweep's steps and the bundle/ folders are nested), expected.json and kernel.log.
    find "$out/$case" -name bundle.json -print0 | xargs -0 python3 -c '
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
    python3 - "$out/$case" <<'PY'
import json, os, sys
folder = sys.argv[1]
release = open("/proc/sys/kernel/osrelease").read().strip()
short = release.split("-")[0]
path = os.path.join(folder, "expected.json")
if os.path.exists(path):
    data = json.load(open(path))
    if "kernel" in data:
        data["kernel"] = short
    json.dump(data, open(path, "w"), indent=2, sort_keys=True)
path = os.path.join(folder, "kernel.log")
if os.path.exists(path):
    text = open(path).read().replace(release, short)
    open(path, "w").write(text)
PY
    # The cgroup this script itself ran in names the machine's own process manager: recordings
    # made in it say "/build-session" instead.
    own=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)
    if [[ -n $own && $own != / ]]; then
        grep -rlF -- "$own" "$out/$case" | while read -r file; do
            python3 -c 'import sys; p, a, b = sys.argv[1:]; t = open(p).read(); open(p, "w").write(t.replace(a, b))' "$file" "$own" /build-session
        done
    fi
done
du -sh "$out"/bazel-* >&2
