#!/usr/bin/env bash
# Issue 16, hole 1, on the three example binaries: 1,100 idle HTTP/2
# connections (preface only, PINGs answered, reconnecting as soon as they
# are closed) must not stop a new client from being served within 1 s.
# pale-server's own suite plays the attack on an in-process server; this
# plays it on each example's debug binary, started as a user
# would, through the suite's by-hand test (PALE_FLOOD_TARGET/PROBE).
#
# usage: .ci/h2-flood-examples.sh
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until `probe` answers 200 (at most 30 s).
wait_ready() { # addr probe
    for _ in $(seq 300); do
        if curl -fsS -o /dev/null "http://$1$2"; then
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || { echo "the server exited" >&2; return 1; }
        sleep 0.1
    done
    echo "no answer from http://$1$2 in 30 s" >&2
    return 1
}

# The test binary first, so no build runs while a server waits.
cargo test --quiet -p pale-server --test idle_http2_flood --no-run
cargo build --quiet -p time-api -p licensing -p band-site

# Starts `command... --addr A`, floods it, probes `probe`, stops it.
flood() { # name probe command...
    local name="$1" probe="$2" addr
    shift 2
    addr="127.0.0.1:$(free_port)"
    "$@" --addr "$addr" >"$work/$name.log" 2>&1 &
    server_pid=$!
    wait_ready "$addr" "$probe"
    echo "--- $name ($addr, probing $probe)"
    PALE_FLOOD_TARGET="$addr" PALE_FLOOD_PROBE="$probe" \
        cargo test --quiet -p pale-server --test idle_http2_flood -- \
        --ignored --exact --nocapture \
        idle_http2_connections_do_not_lock_out_a_new_client_of_a_running_server
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

bin=target/debug
flood time-api /api/time/current "$bin/time-api"
flood licensing /api/health "$bin/licensing" serve --data "$work/licensing"
flood band-site / "$bin/band-site" serve --data "$work/band-site"
