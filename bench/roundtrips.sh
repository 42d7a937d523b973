#!/usr/bin/env bash
# Round trips to the database per message, by phase: the bench process's sendto calls, and its
# polls for input (each a wait for the server's answer).
# Usage: bash bench/roundtrips.sh [N]   (PostgreSQL only; needs strace)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-200}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
strace -ff -e trace=sendto,poll,newfstatat -o "$out/t" .venv/bin/python bench/statements.py "$n" \
    --pg-only | grep -E "handle n=|send [0-9]"
main="$(grep -l 'bench-phase-handle' "$out"/t.* | head -1)"
awk -v n="$n" '
    /bench-phase-handle/ { phase = "handle"; next }
    /bench-phase-send/ { phase = "send"; next }
    /bench-phase-end/ { phase = ""; next }
    phase == "" { next }
    /^sendto/ { sends[phase]++ }
    /^poll/ && /events=POLLIN}/ { waits[phase]++ }
    END { printf "per message: handle %.2f sendto, %.2f waits; send %.2f sendto, %.2f waits\n",
                 sends["handle"] / n, waits["handle"] / n, sends["send"] / n, waits["send"] / n }
' "$main"
