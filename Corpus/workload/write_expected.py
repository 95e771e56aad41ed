#!/usr/bin/env python3
"""Write expected.json for one corpus case.

Called by generate.sh after the JVM run(s) of a case. Every figure written here
comes from the workload's design (its command-line arguments and what it says
it retained) or from the JVM itself (java -version, the -X options we passed,
java.lang.management figures in the workload report). Nothing here parses GC
log content except for finding the first uptime stamp of each log file, which
is only used to list rotated files in time order.

Usage:
  write_expected.py --case-dir DIR --case NAME --description TEXT
                    --jdk-version-file FILE --report FILE [--report FILE ...]
                    [--leak] [--expect-oom] [--restarts N] [--exit-code N ...]
                    [--shows TEXT ...]
                    -- java ARGS...
"""

import argparse
import gzip
import json
import os
import re
import sys

UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}
DEFAULT_DECORATORS = ["uptime", "level", "tags"]
# The JVM prints decorators in this fixed order, whatever the order given in
# -Xlog (JDK 17, logDecorators.hpp).
PRINT_ORDER = ["time", "utctime", "uptime", "timemillis", "uptimemillis", "timenanos",
               "uptimenanos", "hostname", "pid", "tid", "level", "tags"]
ABBREVIATIONS = {"t": "time", "utc": "utctime", "u": "uptime", "tm": "timemillis",
                 "um": "uptimemillis", "tn": "timenanos", "un": "uptimenanos",
                 "hn": "hostname", "p": "pid", "ti": "tid", "l": "level", "tg": "tags"}
LOG_NAME = re.compile(r"^gc\.log(\.\d+)?(\.gz)?$")
UPTIME_SECONDS = re.compile(r"\[(\d+\.\d+)s\]")
UPTIME_MILLIS = re.compile(r"\[(\d+)ms\]")


def size_bytes(text):
    m = re.fullmatch(r"(\d+)([kKmMgGtT]?)", text)
    if not m:
        raise ValueError("cannot read size %r" % text)
    return int(m.group(1)) * UNITS[m.group(2).lower()]


def jvm_options(command):
    """The JVM options of a 'java ... MainClass args' command line."""
    opts = []
    for arg in command[1:]:
        if not arg.startswith("-"):
            break
        opts.append(arg)
    return opts


def collector_of(opts):
    names = {
        "-XX:+UseG1GC": "G1",
        "-XX:+UseParallelGC": "Parallel",
        "-XX:+UseSerialGC": "Serial",
        "-XX:+UseZGC": "ZGC",
        "-XX:+UseShenandoahGC": "Shenandoah",
    }
    found = [names[o] for o in opts if o in names]
    if len(found) > 1:
        raise ValueError("several collectors selected: %s" % found)
    # JDK 17 picks G1 on a "server class" machine (2+ CPUs, 2+ GB).
    return found[0] if found else "G1"


def heap_option(opts, prefix):
    value = None
    for o in opts:
        if o.startswith(prefix):
            value = size_bytes(o[len(prefix):])
    return value


def xlog_option(opts):
    """The -Xlog option that writes to a file, split into its four parts."""
    for o in opts:
        if o.startswith("-Xlog:") and ":file=" in o:
            parts = o[len("-Xlog:"):].split(":")
            selection = parts[0]
            output = parts[1] if len(parts) > 1 else ""
            decorators = parts[2].split(",") if len(parts) > 2 and parts[2] else list(DEFAULT_DECORATORS)
            decorators = [ABBREVIATIONS.get(d, d) for d in decorators]
            output_options = parts[3] if len(parts) > 3 else ""
            return o, selection, output, decorators, output_options
    raise ValueError("no -Xlog:...:file=... option in command")


def first_uptime(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            m = UPTIME_SECONDS.search(line)
            if m:
                return float(m.group(1))
            m = UPTIME_MILLIS.search(line)
            if m:
                return int(m.group(1)) / 1000.0
    return float("inf")


def log_files(case_dir):
    names = [n for n in os.listdir(case_dir) if LOG_NAME.match(n)]
    # Time order: by the first uptime stamp inside each file (rotated files are
    # renamed by the JVM, so their names alone do not give the order).
    names.sort(key=lambda n: (first_uptime(os.path.join(case_dir, n)), n))
    return names


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--case-dir", required=True)
    p.add_argument("--case", required=True)
    p.add_argument("--description", required=True)
    p.add_argument("--jdk-version-file", required=True)
    p.add_argument("--report", action="append", required=True)
    p.add_argument("--exit-code", action="append", type=int, default=[])
    p.add_argument("--leak", action="store_true")
    p.add_argument("--expect-oom", action="store_true")
    p.add_argument("--restarts", type=int, default=0)
    p.add_argument("--shows", action="append", default=[])
    p.add_argument("--classpath-note", default="")
    p.add_argument("command", nargs=argparse.REMAINDER)
    a = p.parse_args()

    command = a.command[1:] if a.command and a.command[0] == "--" else a.command
    if not command:
        p.error("missing java command after --")

    with open(a.jdk_version_file, encoding="utf-8") as f:
        version_lines = [line.rstrip("\n") for line in f if line.strip()]
    m = re.search(r'version "([^"]+)"', version_lines[0])
    jdk_version = m.group(1) if m else version_lines[0]

    reports = []
    for path in a.report:
        with open(path, encoding="utf-8") as f:
            reports.append(json.load(f))
    last = reports[-1]
    first = reports[0]

    opts = jvm_options(command)
    xlog, selection, output, decorators, output_options = xlog_option(opts)
    files = log_files(a.case_dir)
    if not files:
        raise SystemExit("no log files in %s" % a.case_dir)

    expected = {
        "case": a.case,
        "description": a.description,
        "shows": a.shows,
        "javaCommand": command,
        "environment": {"CLASSPATH": a.classpath_note} if a.classpath_note else {},
        "jdkVersion": jdk_version,
        "jdkVersionOutput": version_lines,
        "collector": collector_of(opts),
        "maxHeapBytes": heap_option(opts, "-Xmx"),
        "initialHeapBytes": heap_option(opts, "-Xms"),
        "runtimeMaxMemoryBytes": last["maxHeapBytes"],
        "xlog": xlog,
        "logSelection": selection,
        "logOutput": output,
        "logOutputOptions": output_options,
        "decorators": decorators,
        "decoratorsInLineOrder": [d for d in PRINT_ORDER if d in decorators],
        "leak": a.leak,
        "expectOutOfMemory": a.expect_oom,
        "jvmRestarts": a.restarts,
        "exitCodes": a.exit_code,
        "files": files,
        "fileBytes": {n: os.path.getsize(os.path.join(a.case_dir, n)) for n in files},
    }

    if a.leak or a.expect_oom:
        expected["designedLiveStartBytes"] = first["designedLiveStartBytes"]
        expected["designedLiveEndBytes"] = last["designedLiveEndBytes"]
        expected["designedLiveBytes"] = last["designedLiveEndBytes"]
    else:
        expected["designedLiveBytes"] = last["designedLiveBytes"]
    # Medium-lived garbage is reachable for a while (a pool of 16 KiB arrays,
    # slots replaced at random), so at any moment it adds up to this much to
    # what the collector sees live.
    expected["designedMediumLivedBytes"] = last["mediumLivedBytes"]
    expected["designedSystemGcCalls"] = sum(r["systemGcCalls"] for r in reports)

    if len(reports) == 1:
        expected["workloadReport"] = last
    else:
        expected["workloadReport"] = last
        expected["runs"] = [{"javaCommand": command, "workloadReport": r} for r in reports]

    out = os.path.join(a.case_dir, "expected.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
