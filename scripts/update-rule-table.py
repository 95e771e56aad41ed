#!/usr/bin/env python3
"""Replaces the rule table in README.md with `headroom explain --markdown` read from stdin."""
import sys

table = sys.stdin.read().strip("\n")
with open("README.md", encoding="utf-8") as handle:
    lines = handle.read().split("\n")
header = table.split("\n", 1)[0]
start = lines.index(header)
end = start
while end < len(lines) and lines[end].startswith("|"):
    end += 1
lines[start:end] = table.split("\n")
with open("README.md", "w", encoding="utf-8") as handle:
    handle.write("\n".join(lines))
