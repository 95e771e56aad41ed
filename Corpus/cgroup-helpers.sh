# Helpers the Bazel Corpus generators share (sourced, not run). They expect $root (the cgroup v1
# memory mount), the array cgroups (what the caller's cleanup removes) and $bazel.

# A fresh memory cgroup, registered for cleanup; with $2, limited to $2 MiB of memory and as
# much memory+swap (so no swap either, should the machine have some). Without a limit it only
# keeps the samples to the processes of the case: the cgroup this script runs in may hold others.
new_cgroup() {
    local cgroup=$root/$1
    mkdir "$cgroup"
    cgroups+=("$cgroup")
    [[ -n ${2:-} ]] || return 0
    echo $(($2 << 20)) >"$cgroup/memory.limit_in_bytes"
    if [[ -f $cgroup/memory.memsw.limit_in_bytes ]]; then
        echo $(($2 << 20)) >"$cgroup/memory.memsw.limit_in_bytes"
    fi
}

# Runs a command inside a cgroup: python3 joins it, then execs the command (no shell in between).
run_inside() {
    local cgroup=$1
    shift
    python3 -c 'import os, sys; open(sys.argv[1], "w").write(str(os.getpid())); os.execvp(sys.argv[2], sys.argv[2:])' \
        "$cgroup/cgroup.procs" "$@"
}

# Shuts down the server a record bundle used, with the very startup options the recorded command
# had (those headroom added included): other options would start a new server instead.
shutdown_recorded() {
    local bundle=$1 workspace=$2
    local -a startup
    mapfile -t startup < <(python3 -c '
import json, sys
command = json.load(open(sys.argv[1]))["command"]
for word in command[1:]:
    if not word.startswith("--"):
        break
    print(word)
' "$bundle/record.json")
    (cd "$workspace" && "$bazel" "${startup[@]}" shutdown) || true
}
