#!/usr/bin/env bash
# Writes shell completions (bash, zsh, fish) and the man page, all generated from the command
# definitions, into OUTDIR (default: ./out/docs).
# Usage: scripts/generate-docs.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/docs}
mkdir -p "$out"
swift build --product headroom >&2
headroom=$(swift build --show-bin-path)/headroom
"$headroom" --generate-completion-script bash >"$out/headroom.bash"
"$headroom" --generate-completion-script zsh >"$out/_headroom"
"$headroom" --generate-completion-script fish >"$out/headroom.fish"
# swift-argument-parser's manual plugin builds the tool itself and writes headroom.1.
swift package --allow-writing-to-package-directory generate-manual --configuration debug --output-directory "$out" >&2
ls "$out" >&2
