#!/usr/bin/env python3
"""Writes a large unified JVM GC log by repeating a real one, for throughput benchmarks.

The source log is split into a header (the lines before the first `GC(n)` line), a body
(from the first to the last `GC(n)` line) and a trailer (the lines after it). The output is
the header once, the body repeated until the output reaches the requested size, and the
trailer once. Copy k of the body has

* every `GC(n)` id raised by k * (highest id in the body + 1), so ids keep rising;
* every uptime decorator (`[12.345s]`, `[12345ms]`) raised by k * span, where span is the
  source's last uptime rounded up to a whole second, so uptime never goes back;
* every wall-clock decorator (`[2026-11-21T20:11:22.350+0000]`) moved forward by the same
  span (the zone suffix is kept as written).

The trailer is shifted like the last copy. Output is streamed; nothing is held but one copy
of the body.

Usage: make_big_log.py SOURCE OUTPUT MIN_BYTES
"""

import datetime
import math
import re
import sys

WALL = re.compile(r"\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{3})([+-]\d{4}|Z)?\]")
UPTIME_S = re.compile(r"\[(\d+)\.(\d{3})s\]")
UPTIME_MS = re.compile(r"\[(\d+)ms\]")
GC_ID = re.compile(r"GC\((\d+)\)")


def compile_line(line):
    """Splits a line into literal text and fields: ('wall', ms, zone), ('up_s', ms),
    ('up_ms', ms), ('gc', id). Decorators are only looked for in the leading `[...]` block."""
    decor_end = 0
    while decor_end < len(line) and line[decor_end] == "[":
        close = line.find("]", decor_end)
        if close < 0:
            break
        decor_end = close + 1
    fields = []  # (start, end, field)
    for m in WALL.finditer(line, 0, decor_end):
        dt = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
        ms = int(dt.replace(tzinfo=datetime.timezone.utc).timestamp()) * 1000 + int(m.group(2))
        fields.append((m.start(), m.end(), ("wall", ms, m.group(3) or "")))
    for m in UPTIME_S.finditer(line, 0, decor_end):
        fields.append((m.start(), m.end(), ("up_s", int(m.group(1)) * 1000 + int(m.group(2)))))
    for m in UPTIME_MS.finditer(line, 0, decor_end):
        fields.append((m.start(), m.end(), ("up_ms", int(m.group(1)))))
    for m in GC_ID.finditer(line, decor_end):
        fields.append((m.start(), m.end(), ("gc", int(m.group(1)))))
    fields.sort()
    parts, pos = [], 0
    for start, end, field in fields:
        if start < pos:
            continue
        parts.append(line[pos:start])
        parts.append(field)
        pos = end
    parts.append(line[pos:])
    return parts


_wall_cache = {}


def wall_text(ms, zone):
    seconds, millis = divmod(ms, 1000)
    prefix = _wall_cache.get(seconds)
    if prefix is None:
        dt = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
        prefix = dt.strftime("%Y-%m-%dT%H:%M:%S")
        if len(_wall_cache) > 100_000:
            _wall_cache.clear()
        _wall_cache[seconds] = prefix
    return "[%s.%03d%s]" % (prefix, millis, zone)


def render(parts, gc_offset, time_offset_ms):
    out = []
    for part in parts:
        if type(part) is str:
            out.append(part)
            continue
        kind = part[0]
        if kind == "gc":
            out.append("GC(%d)" % (part[1] + gc_offset))
        elif kind == "up_s":
            ms = part[1] + time_offset_ms
            out.append("[%d.%03ds]" % divmod(ms, 1000))
        elif kind == "up_ms":
            out.append("[%dms]" % (part[1] + time_offset_ms))
        else:
            out.append(wall_text(part[1] + time_offset_ms, part[2]))
    return "".join(out)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__.split("\n\n")[-1] + "\n")
        return 2
    source, output, min_bytes = argv[1], argv[2], int(argv[3])
    with open(source, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    gc_lines = [i for i, line in enumerate(lines) if GC_ID.findall(line)]
    if not gc_lines:
        sys.stderr.write("no GC(n) line in %s\n" % source)
        return 1
    first, last = gc_lines[0], gc_lines[-1]
    header = [compile_line(l) for l in lines[:first]]
    body = [compile_line(l) for l in lines[first : last + 1]]
    trailer = [compile_line(l) for l in lines[last + 1 :]]

    max_gc, max_up = -1, 0
    for parts in header + body + trailer:
        for p in parts:
            if type(p) is tuple:
                if p[0] == "gc":
                    max_gc = max(max_gc, p[1])
                elif p[0] in ("up_s", "up_ms"):
                    max_up = max(max_up, p[1])
    gc_step = max_gc + 1
    span_ms = max(1000, int(math.ceil((max_up + 1) / 1000.0)) * 1000)

    written = copies = 0
    with open(output, "w", encoding="utf-8", newline="") as out:
        chunk = "".join(render(p, 0, 0) for p in header)
        out.write(chunk)
        written += len(chunk.encode("utf-8"))
        while True:
            chunk = "".join(render(p, copies * gc_step, copies * span_ms) for p in body)
            out.write(chunk)
            written += len(chunk.encode("utf-8"))
            copies += 1
            if written >= min_bytes:
                break
        k = copies - 1
        chunk = "".join(render(p, k * gc_step, k * span_ms) for p in trailer)
        out.write(chunk)
        written += len(chunk.encode("utf-8"))
    sys.stderr.write(
        "wrote %s: %d bytes, %d copies of %d body lines, GC ids step %d, uptime step %.3f s\n"
        % (output, written, copies, len(body), gc_step, span_ms / 1000.0)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
