#!/usr/bin/env bash
# Installs what Headroom needs on a fresh Debian machine: zlib headers, pkg-config, a JDK (for
# the Corpus generator and live-JDK tests) and gzip. The Swift toolchain is expected on PATH.
set -euo pipefail

packages=(libz-dev pkg-config default-jdk-headless python3 gzip zip time)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
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
