#!/usr/bin/env bash
# Instructions per operation, counted by callgrind: the figure that does
# not drift with whatever else the machine is doing (wall time on a shared
# 2-core machine moves by a third between runs; these counts repeat).
#
#   bash bench/callgrind.sh            # every operation
#   bash bench/callgrind.sh cast       # some of them
#   bash bench/callgrind.sh --check    # fail if one exceeds its budget below
#
# Each operation runs N times in `bench-ops` and once with N = 0; the
# difference over N is the cost of one. Needs valgrind (Debian package).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}

# Budgets, in instructions per operation: the figures of bench/README.md
# with about 15% of headroom, so a change that costs more is noticed
# (the licensing figures move by a few percent between runs: each seeds
# a fresh database with new random tokens).
declare -A BUDGET=(
    [cast]=11000
    [render-json]=26500
    [render-xml]=31000
    [pale-album]=36000
    [licensing-public]=60000
    [licensing-owner]=73000
)
declare -A COUNT=([cast]=2000 [render-json]=2000 [render-xml]=2000 [pale-album]=2000
    [licensing-public]=200 [licensing-owner]=200)

check=false
ops=()
for arg in "$@"; do
    case $arg in
        --check) check=true ;;
        *) ops+=("$arg") ;;
    esac
done
[ ${#ops[@]} -gt 0 ] || ops=(cast render-json render-xml pale-album licensing-public licensing-owner)

command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is required" >&2; exit 1; }
CARGO_TARGET_DIR=$TARGET cargo build --quiet --release -p bench --bin bench-ops
BIN=$TARGET/release/bench-ops

instructions() { # op count
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

failed=0
printf '%-18s %14s %10s\n' operation instructions budget
for op in "${ops[@]}"; do
    [ -n "${COUNT[$op]:-}" ] || { echo "callgrind.sh: unknown operation $op" >&2; exit 2; }
    n=${COUNT[$op]}
    base=$(instructions "$op" 0)
    total=$(instructions "$op" "$n")
    per=$(( (total - base) / n ))
    mark=""
    if [ "$per" -gt "${BUDGET[$op]}" ]; then
        mark="  OVER BUDGET"
        failed=1
    fi
    printf '%-18s %14s %10s%s\n' "$op" "$per" "${BUDGET[$op]}" "$mark"
done
if $check && [ "$failed" -ne 0 ]; then
    exit 1
fi
