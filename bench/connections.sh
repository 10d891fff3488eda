#!/usr/bin/env bash
# Memory per idle connection, and whether it goes back after a storm:
# the Pale album server (bench-server pale) takes COUNT keep-alive
# connections that each get one `GET /album` answered and then stay idle,
# over HTTP/1.1 and then over HTTP/2 (prior knowledge); the server's RSS
# is read before, while they are open, and a moment after they are
# closed (connections.py). A fresh server per protocol, and two storms
# on it: the second shows whether the memory the first left is used
# again or grows.
#
#   bash bench/connections.sh                     # the system allocator
#   ALLOCATORS="system mimalloc jemalloc" bash bench/connections.sh
#
# Settings: COUNT (2000), ALLOCATORS (system), SETTLE (1 s before each
# RSS reading), CARGO_TARGET_DIR (target). Each allocator but the system
# one is a cargo feature of the bench crate (`mimalloc`, `jemalloc`);
# each build is kept as release/bench-server-ALLOCATOR, and the last one
# built is left as release/bench-server. The server's connection
# cap is raised to COUNT + 64 (--max-connections), and the client spreads
# its connections over 127.0.0.2 and up, 100 per address (the per-address
# cap, 128, holds).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=$(realpath -m "${CARGO_TARGET_DIR:-target}")
COUNT=${COUNT:-2000}
SETTLE=${SETTLE:-1}
ALLOCATORS=(${ALLOCATORS:-system})
ulimit -n $((COUNT * 2 + 256))

OUT=$(mktemp -d -t pale-conns.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; true' EXIT

printf 'allocator\tproto\tstorm\trss_before_kib\trss_open_kib\trss_after_kib\tbytes_per_connection\n' >"$OUT/results.tsv"
for allocator in "${ALLOCATORS[@]}"; do
    # Built in the one target directory (the dependencies are shared),
    # then copied aside: the next build replaces bench-server.
    features=()
    [ "$allocator" = system ] || features=(--features "$allocator")
    CARGO_TARGET_DIR=$TARGET cargo build --quiet --release -p bench --bin bench-server "${features[@]}"
    bin=$TARGET/release/bench-server-$allocator
    cp "$TARGET/release/bench-server" "$bin"
    [ "$("$bin" --allocator)" = "$allocator" ] || { echo "connections.sh: $bin is not built with $allocator" >&2; exit 1; }
    for proto in h1 h2; do
        # A fresh server per protocol: its baseline is that of a server
        # that has answered one request.
        "$bin" pale --addr 127.0.0.1:0 --max-connections $((COUNT + 64)) >"$OUT/$allocator-$proto.addr" &
        PID=$!
        for _ in $(seq 100); do grep -q '^listening on ' "$OUT/$allocator-$proto.addr" && break; sleep 0.1; done
        addr=$(sed -n 's/^listening on //p' "$OUT/$allocator-$proto.addr")
        curl -sf "http://$addr/album" -o /dev/null
        for storm in 1 2; do
            python3 bench/connections.py --addr "$addr" --pid "$PID" --proto "$proto" \
                --count "$COUNT" --settle "$SETTLE" >"$OUT/run.json"
            python3 - "$OUT/run.json" "$allocator" "$storm" >>"$OUT/results.tsv" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print("\t".join(str(x) for x in (sys.argv[2], r["proto"], sys.argv[3], r["rss_before_kib"],
      r["rss_open_kib"], r["rss_after_kib"], r["bytes_per_connection"])))
EOF
            tail -1 "$OUT/results.tsv"
        done
        kill "$PID"
        wait "$PID" 2>/dev/null || true
        PID=""
    done
done
echo
column -t -s $'\t' "$OUT/results.tsv"
echo "raw results: $OUT/results.tsv"
