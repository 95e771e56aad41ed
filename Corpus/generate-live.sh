#!/usr/bin/env bash
# Records the live-evidence Corpus case cgroup-oom-kill: a real process tree under a real cgroup v1
# memory limit, sampled by `headroom sample` while it grows, until the kernel OOM-kills it; the
# kill's report is taken from dmesg. Needs root and the cgroup v1 memory controller.
#
# Usage: Corpus/generate-live.sh [OUTDIR]   (default: the Corpus folder itself)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
root=/sys/fs/cgroup/memory
[[ $(id -u) -eq 0 ]] || { echo "needs root (to make a memory cgroup)" >&2; exit 2; }
[[ -f $root/memory.limit_in_bytes ]] || { echo "no cgroup v1 memory controller at $root" >&2; exit 2; }

(cd "$here/.." && swift build --product headroom >&2)
headroom=$(cd "$here/.." && swift build --show-bin-path)/headroom

case_dir=$out/cgroup-oom-kill
rm -rf "$case_dir"
mkdir -p "$case_dir"
name=headroom-corpus-$$
cgroup=$root/$name
limit_mib=96
mkdir "$cgroup"
cleanup() {
    for pid in $(cat "$cgroup/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cgroup" 2>/dev/null && break; sleep 0.2; done
}
trap cleanup EXIT
echo $((limit_mib * 1024 * 1024)) >"$cgroup/memory.limit_in_bytes"

# The tree: a parent holding 24 MiB and a child that grows by 8 MiB every 0.25 s until killed.
workload=$(cat <<'PY'
import subprocess, sys, time
sys.stdin.readline()
child = subprocess.Popen([sys.executable, "-c",
    "import time\nheld = []\nwhile True:\n    b = bytearray(8 << 20)\n    for i in range(0, len(b), 4096): b[i] = 1\n    held.append(b)\n    time.sleep(0.25)"])
parent = bytearray(24 << 20)
for i in range(0, len(parent), 4096):
    parent[i] = 1
child.wait()
print("child exit", child.returncode, flush=True)
PY
)
start_epoch=$(date +%s)
coproc WORKLOAD { exec python3 -c "$workload"; }
workload_pid=$WORKLOAD_PID
echo "$workload_pid" >"$cgroup/cgroup.procs"
echo go >&"${WORKLOAD[1]}"

"$headroom" sample --pid "$workload_pid" --cgroup "/$name" --interval 250ms --duration 60s --out "$case_dir" --force --quiet &
sampler=$!
read -r line <&"${WORKLOAD[0]}" || true
echo "workload: $line" >&2
sleep 0.6
kill -INT "$sampler" 2>/dev/null || true
wait "$sampler" || true

# The kill's report: the lines from this run, about this cgroup.
dmesg >"$case_dir/dmesg-all.txt"
python3 - "$case_dir" "/$name" "$workload_pid" "$limit_mib" "$start_epoch" <<'PY'
import json, re, sys
case_dir, memcg, parent_pid, limit_mib, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lines = open(f"{case_dir}/dmesg-all.txt", errors="replace").read().splitlines()
# The last report whose summary names our cgroup: from its "invoked oom-killer" to its kill line.
end = max(i for i, l in enumerate(lines) if f"oom_memcg={memcg}," in l or f"oom_memcg={memcg}\n" in l or l.rstrip().endswith(f"oom_memcg={memcg}"))
start_line = max(i for i in range(end + 1) if "invoked oom-killer" in lines[i])
stop = next(i for i in range(end, len(lines)) if "Killed process" in lines[i])
report = lines[start_line:stop + 1]
reaper = [l for l in lines[stop + 1:stop + 20] if "oom_reaper" in l]
open(f"{case_dir}/oom.dmesg", "w").write("\n".join(report + reaper[:1]) + "\n")
victim = re.search(r"Killed process (\d+) \(([^)]*)\)", lines[stop])
manifest = json.load(open(f"{case_dir}/bundle.json"))
manifest["files"].append({"path": "oom.dmesg", "kind": "oom-report", "bytes": None, "description": "the kernel's report of the kill, from dmesg"})
manifest["notes"].append("recorded by Corpus/generate-live.sh: a python3 tree under a cgroup v1 memory limit until the kernel killed it")
json.dump(manifest, open(f"{case_dir}/bundle.json", "w"), indent=2, sort_keys=True)
expected = {
    "case": "cgroup-oom-kill",
    "description": f"A python3 parent holding 24 MiB and a child growing by 8 MiB every 0.25 s, in a cgroup v1 memory cgroup limited to {limit_mib} MiB, sampled at 4 Hz until the kernel OOM-killed the child.",
    "cgroupPath": memcg,
    "cgroupVersion": 1,
    "limitBytes": limit_mib << 20,
    "parentPID": parent_pid,
    "parentHeldBytes": 24 << 20,
    "childGrowthBytesPerStep": 8 << 20,
    "victimPID": int(victim.group(1)),
    "victimName": victim.group(2),
    "constraint": "memcg",
    "classificationWithoutServer": "other",
    "kernel": open("/proc/sys/kernel/osrelease").read().strip(),
}
json.dump(expected, open(f"{case_dir}/expected.json", "w"), indent=2, sort_keys=True)
PY
rm "$case_dir/dmesg-all.txt"
# Keep the recording machine's name and kernel build out of the Corpus: release numbers only.
python3 - "$case_dir" <<'PY'
import json, re, sys
case_dir = sys.argv[1]
release = open("/proc/sys/kernel/osrelease").read().strip()
short = release.split("-")[0]
for name in ["bundle.json", "expected.json"]:
    path = f"{case_dir}/{name}"
    data = json.load(open(path))
    if "host" in data:
        data["host"]["hostname"] = "recorder"
        data["host"]["kernel"] = short
    if "kernel" in data:
        data["kernel"] = short
    json.dump(data, open(path, "w"), indent=2, sort_keys=True)
report = open(f"{case_dir}/oom.dmesg").read().replace(release, short)
open(f"{case_dir}/oom.dmesg", "w").write(report)
PY
echo "wrote $case_dir" >&2
