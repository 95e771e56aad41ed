#!/usr/bin/env python3
"""Writes a Bazel workspace for memory tests: PACKAGES packages, each with CHAINS chains of
LENGTH genrules made by a Starlark macro (so analysis does real work), and optionally sh_tests
that allocate a given number of MiB (for tests under a memory cgroup).

Usage: make-workspace.py DIR [--packages N] [--chains N] [--length N]
                             [--tests N --test-mib M [--test-seconds S] [--test-oom-score-adj A]]

--test-oom-score-adj makes each test write A (-1000..1000) to its own /proc/self/oom_score_adj
before allocating. With 1000, a kernel OOM kill in a memory cgroup shared with the Bazel server
picks a test rather than the server (whose badness is otherwise comparable, being larger), so a
recording shows a test killed by the kernel and a server that survives to report it.

With --tests, `bazel test` needs the override_repository lines printed by --print-test-flags
(Debian's bazel-bootstrap has no network: rules_java from /usr/share/bazel/rules/java, and two
stub repositories this script writes under DIR/.stubs).
"""
import argparse
import os

MACRO = '''def chain(name, length):
    """A chain of genrules, each depending on the previous one's output."""
    previous = None
    for index in range(length):
        out = "%s_%d.txt" % (name, index)
        native.genrule(
            name = "%s_%d" % (name, index),
            srcs = [previous] if previous else [],
            outs = [out],
            cmd = "cat $(SRCS) > $@ 2>/dev/null; echo %d >> $@" % index,
        )
        previous = out
'''

ALLOCATE = '''#!/bin/sh
# Holds $1 MiB of memory for $2 seconds (python3 touches every page). An optional $3 is written
# to oom_score_adj first; exec keeps the process, so python3 inherits it.
if [ -n "${3:-}" ]; then echo "$3" >/proc/self/oom_score_adj; fi
exec python3 -c "import sys, time; b = bytearray(int(sys.argv[1]) << 20); [b.__setitem__(i, 1) for i in range(0, len(b), 4096)]; time.sleep(float(sys.argv[2]))" "$1" "$2"
'''


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, mode)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--packages", type=int, default=10)
    parser.add_argument("--chains", type=int, default=2)
    parser.add_argument("--length", type=int, default=50)
    parser.add_argument("--tests", type=int, default=0)
    parser.add_argument("--test-mib", type=int, default=50)
    parser.add_argument("--test-seconds", type=float, default=2)
    parser.add_argument("--test-oom-score-adj", type=int, default=None,
                        help="oom_score_adj each test sets for itself (1000: the kernel's first choice)")
    parser.add_argument("--print-test-flags", action="store_true")
    args = parser.parse_args()
    root = os.path.abspath(args.dir)
    stubs = os.path.join(root, ".stubs")
    if args.print_test_flags:
        print("--override_repository=rules_java=/usr/share/bazel/rules/java")
        print("--override_repository=rules_cc=%s/rules_cc" % stubs)
        print("--override_repository=remote_coverage_tools=%s/remote_coverage_tools" % stubs)
        return
    write(os.path.join(root, "WORKSPACE"), "")
    write(os.path.join(root, "tools/BUILD"), "")
    write(os.path.join(root, "tools/chain.bzl"), MACRO)
    for package in range(args.packages):
        lines = ['load("//tools:chain.bzl", "chain")', ""]
        for index in range(args.chains):
            lines.append('chain(name = "c%d", length = %d)' % (index, args.length))
        write(os.path.join(root, "p%03d/BUILD" % package), "\n".join(lines) + "\n")
    if args.tests:
        write(os.path.join(root, "memtests/allocate.sh"), ALLOCATE, 0o755)
        rules = []
        test_args = [str(args.test_mib), str(args.test_seconds)]
        if args.test_oom_score_adj is not None:
            if not -1000 <= args.test_oom_score_adj <= 1000:
                parser.error("--test-oom-score-adj must be between -1000 and 1000")
            test_args.append(str(args.test_oom_score_adj))
        for index in range(args.tests):
            rules.append('sh_test(name = "allocate_%d", srcs = ["allocate.sh"], args = [%s], size = "small")'
                         % (index, ", ".join('"%s"' % arg for arg in test_args)))
        write(os.path.join(root, "memtests/BUILD"), "\n".join(rules) + "\n")
        write(os.path.join(stubs, "rules_cc/WORKSPACE"), "")
        write(os.path.join(stubs, "rules_cc/BUILD"), "")
        write(os.path.join(stubs, "rules_cc/cc/BUILD"), "")
        write(os.path.join(stubs, "rules_cc/cc/defs.bzl"),
              "cc_binary = native.cc_binary\ncc_library = native.cc_library\ncc_test = native.cc_test\n"
              "cc_import = native.cc_import\ncc_proto_library = native.cc_proto_library\n"
              "fdo_prefetch_hints = native.fdo_prefetch_hints\nfdo_profile = native.fdo_profile\n"
              "objc_library = native.objc_library\nobjc_import = native.objc_import\n"
              "cc_toolchain = native.cc_toolchain\ncc_toolchain_suite = native.cc_toolchain_suite\n")
        write(os.path.join(stubs, "remote_coverage_tools/WORKSPACE"), "")
        write(os.path.join(stubs, "remote_coverage_tools/BUILD"),
              'filegroup(name = "coverage_report_generator", visibility = ["//visibility:public"])\n'
              'filegroup(name = "lcov_merger", visibility = ["//visibility:public"])\n')


if __name__ == "__main__":
    main()
