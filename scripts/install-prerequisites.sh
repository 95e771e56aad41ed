#!/usr/bin/env bash
# Installs what Headroom needs on a fresh Debian machine: zlib headers and pkg-config, a JDK (for
# the Corpus generator and the live-JDK tests), Debian's Bazel, python3, gzip, zip, GNU time,
# Chromium (HTML screenshots), promtool and python3-prometheus-client (to check the metrics
# output). The Swift
# toolchain is expected on PATH (or in /opt/swift). Checks what is there first, so a machine that
# has everything needs no package index.
set -euo pipefail

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists zlib 2>/dev/null; then missing+=(libz-dev); fi
{ command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; } || missing+=(default-jdk-headless)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
command -v zip >/dev/null 2>&1 || missing+=(zip)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v dmesg >/dev/null 2>&1 || missing+=(util-linux)
# Headless Chromium screenshots the HTML report in the screenshot tests (skipped without it).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# A real Bazel for the integration tests: Debian's bootstrap build runs offline.
command -v bazel >/dev/null 2>&1 || missing+=(bazel-bootstrap bazel-rules-java)
# Real parsers for the metrics output: promtool (Prometheus text format) and prometheus_client's
# OpenMetrics parser. Debian's python3 is asked, not whichever python3 comes first on PATH.
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
/usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' >/dev/null 2>&1 || missing+=(python3-prometheus-client)

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); else SUDO=(); fi
    echo "installing: ${missing[*]}" >&2
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [[ -x $candidate/swift ]] && export PATH="$candidate:$PATH"
    done
fi
command -v swift >/dev/null 2>&1 || { echo "error: no Swift toolchain on PATH (Swift 6.1 or newer is needed)" >&2; exit 1; }
