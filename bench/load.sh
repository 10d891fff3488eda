#!/usr/bin/env bash
# The load test: four servers answering `GET /album` with the same album,
# measured side by side in interleaved rounds so that a noisy machine
# (other builds on the same cores) skews every server alike.
#
#   A  pale  JSON  (the full pale-server pipeline)
#   B  pale  XML   (the same, with `Accept: application/xml`)
#   C  axum 0.8    Json(Arc<PlainAlbum>)
#   D  raw hyper   the same JSON bytes from a static buffer
#   E  licensing   GET /api/albums/1 from SQLite, the public view
#   F  licensing   the same album, as its artist (Bearer token: owner view)
#   G  FastAPI     uvicorn (uvloop, httptools), one worker, returning the
#                  album as a pydantic response model (fastapi_album.py)
#   H  licensing   GET /api/albums/1 from PostgreSQL, the public view
#   I  licensing   the same on PostgreSQL, as its artist (owner view)
#   J  licensing   H with --read-cache (pages kept until a change is
#                  announced by LISTEN/NOTIFY)
#   K  licensing   I with --read-cache
#   A2 pale  JSON  A over HTTP/2 (cleartext, prior knowledge), from h2load
#   C2 axum 0.8    C over HTTP/2, from h2load
#   N2 axum 0.8    C2 with TCP_NODELAY on each connection (axum's `serve`
#                  leaves Nagle's algorithm on; Pale and raw hyper do not)
#   D2 raw hyper   D over HTTP/2, from h2load
#
# Each server is pinned to core 0, the client (wrk, or h2load for the
# HTTP/2 slots) to core 1. Every round runs every slot, each a discarded
# warm-up then a measured run; per slot we record req/s, p50/p99 and the
# server's CPU time per request (utime+stime from /proc/PID/stat). The
# summary gives, per server, the median over rounds and the median (with
# interquartile range) of the per-round ratios against D and against C
# (HTTP/1.1 slots), and against D2 and C2 (HTTP/2 slots).
#
#   bash bench/load.sh                 # 10 rounds of 1 s + 5 s
#   ROUNDS=3 DURATION=2 bash bench/load.sh
#
# H and I run against a PostgreSQL cluster made for the run (pg_virtualenv,
# from Debian's postgresql-common, as CI does), its server processes
# pinned to core 0 beside the server they answer, so that the database's
# work is paid on the server's core as SQLite's is; each slot has a
# database of its own on it. PALE_BENCH_DATABASE_URL (a superuser URL)
# uses an existing cluster instead.
#
# Settings: ROUNDS (10), WARMUP (1 s), DURATION (5 s), CONNECTIONS (64,
# wrk's), H2_CONNECTIONS (16) and H2_STREAMS (10 concurrent streams per
# connection: h2load's -c and -m), SLOTS (all: "A B C D E F G H I J K A2
# C2 D2 N2"), CARGO_TARGET_DIR (target). Installs wrk, and h2load for the
# HTTP/2 slots (Debian packages wrk and nghttp2-client), if missing. E and F need python3 (to read the token);
# G installs FastAPI and uvicorn (pinned, from PyPI) into a virtualenv in
# the target directory.
set -euo pipefail

ROUNDS=${ROUNDS:-10}
WARMUP=${WARMUP:-1}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
H2_CONNECTIONS=${H2_CONNECTIONS:-16}
H2_STREAMS=${H2_STREAMS:-10}
SELF=$(realpath "$0")
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}
# (An array of its own name: SLOTS stays the exported text, which the
# re-run inside a PostgreSQL cluster below reads again.)
RUN=(${SLOTS:-A B C D E F G H I J K A2 C2 D2 N2})

# The PostgreSQL slots need a cluster: make a throwaway one and run this
# script again inside it (pg_virtualenv exports PG* and drops the cluster
# when the script ends).
if [[ " ${RUN[*]} " =~ \ [HIJK]\  ]] && [ -z "${PALE_BENCH_DATABASE_URL:-}" ]; then
    source bench/postgres.sh
    [ -n "${PALE_BENCH_IN_CLUSTER:-}" ] || bench_cluster "$SELF" "$@"
    pin_cluster 0
    PALE_BENCH_DATABASE_URL="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres"
fi

if ! command -v wrk >/dev/null; then
    apt-get update && apt-get install -y wrk
fi
if [[ " ${RUN[*]} " =~ [A-Z]2\  ]] && ! command -v h2load >/dev/null; then
    apt-get update && apt-get install -y nghttp2-client
fi
command -v taskset >/dev/null || { echo "load.sh: taskset (util-linux) is required" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "load.sh: needs 2 cores (server on 0, wrk on 1)" >&2; exit 1; }

CARGO_TARGET_DIR=$TARGET cargo build --release -p bench --bin bench-server
# The licensing service only for its slots (its release build is the long one).
if [[ " ${RUN[*]} " =~ \ [EFHIJK]\  ]]; then
    CARGO_TARGET_DIR=$TARGET cargo build --release -p licensing --bin licensing
fi
BIN=$TARGET/release/bench-server
LICENSING=$TARGET/release/licensing
OUT=$(mktemp -d -t pale-load.XXXXXX)
CLK_TCK=$(getconf CLK_TCK)

declare -A KIND=([A]=pale [B]=pale [C]=axum [D]=hyper [E]=licensing [F]=licensing [G]=fastapi
    [H]=licensing-pg [I]=licensing-pg [J]=licensing-pg-cache [K]=licensing-pg-cache
    [A2]=pale [C2]=axum [D2]=hyper [N2]=axum-nodelay)
declare -A ACCEPT=([A]=application/json [B]=application/xml [C]=application/json [D]=application/json
    [E]=application/json [F]=application/json [G]=application/json [H]=application/json
    [I]=application/json [J]=application/json [K]=application/json
    [A2]=application/json [C2]=application/json [D2]=application/json [N2]=application/json)
declare -A URL_PATH=([A]=/album [B]=/album [C]=/album [D]=/album [E]=/api/albums/1 [F]=/api/albums/1
    [G]=/album [H]=/api/albums/1 [I]=/api/albums/1 [J]=/api/albums/1 [K]=/api/albums/1
    [A2]=/album [C2]=/album [D2]=/album [N2]=/album)
declare -A AUTH PID ADDR DB_ARGS

cleanup() {
    for slot in "${RUN[@]}"; do
        [ -n "${PID[$slot]:-}" ] && kill "${PID[$slot]}" 2>/dev/null || true
    done
    for slot in "${RUN[@]}"; do
        [ -n "${PID[$slot]:-}" ] && wait "${PID[$slot]}" 2>/dev/null || true
    done
}
trap cleanup EXIT

# G serves the JSON the Rust servers send, read from raw hyper once.
if [[ " ${RUN[*]} " == *" G "* ]]; then
    VENV=$(realpath -m "$TARGET")/fastapi-venv
    if [ ! -x "$VENV/bin/uvicorn" ]; then
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet 'fastapi==0.165.0' 'uvicorn[standard]==0.55.0'
    fi
    "$BIN" hyper --addr 127.0.0.1:0 >"$OUT/album.addr" &
    album_server=$!
    for _ in $(seq 100); do grep -q '^listening on ' "$OUT/album.addr" && break; sleep 0.1; done
    curl -sf "http://$(sed -n 's/^listening on //p' "$OUT/album.addr")/album" >"$OUT/album.json"
    kill "$album_server"; wait "$album_server" 2>/dev/null || true
fi

for slot in "${RUN[@]}"; do
    if [ "${KIND[$slot]}" = fastapi ]; then
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        (cd bench && ALBUM_JSON="$OUT/album.json" exec taskset -c 0 "$VENV/bin/uvicorn" fastapi_album:app \
            --host 127.0.0.1 --port "$port" --workers 1 --no-access-log --log-level warning) \
            >"$OUT/$slot.err" 2>&1 &
        PID[$slot]=$!
        for _ in $(seq 100); do
            curl -sf "http://127.0.0.1:$port/album" -o "$OUT/$slot.body" && break
            sleep 0.1
        done
        cmp -s "$OUT/$slot.body" "$OUT/album.json" ||
            { echo "load.sh: FastAPI's body differs from the Rust servers'" >&2; exit 1; }
        echo "listening on 127.0.0.1:$port" >"$OUT/$slot.addr"
    elif [[ "${KIND[$slot]}" == licensing* ]]; then
        # Its own seeded database (on PostgreSQL, a database of its own on
        # the run's cluster); only the listening line is logged (a log
        # line per request would be measured too).
        DB_ARGS[$slot]=""
        if [[ "${KIND[$slot]}" == licensing-pg* ]]; then
            db="bench_${slot,,}_$$"
            psql "$PALE_BENCH_DATABASE_URL" -qc "CREATE DATABASE $db"
            DB_ARGS[$slot]="--database ${PALE_BENCH_DATABASE_URL%/*}/$db"
        fi
        [ "${KIND[$slot]}" = licensing-pg-cache ] && DB_ARGS[$slot]+=" --read-cache"
        # shellcheck disable=SC2086 # DB_ARGS is a few words or none
        RUST_LOG=licensing=info taskset -c 0 "$LICENSING" serve --addr 127.0.0.1:0 \
            --data "$OUT/data-$slot" ${DB_ARGS[$slot]} >"$OUT/$slot.log" 2>&1 &
        PID[$slot]=$!
        for _ in $(seq 100); do
            grep -q 'listening on http://' "$OUT/$slot.log" && break
            sleep 0.1
        done
        sed -n 's|.*listening on http://\([0-9.:]*\)/api.*|listening on \1|p' "$OUT/$slot.log" >"$OUT/$slot.addr"
        cp "$OUT/$slot.log" "$OUT/$slot.err"
    else
        taskset -c 0 "$BIN" "${KIND[$slot]}" --addr 127.0.0.1:0 >"$OUT/$slot.addr" 2>"$OUT/$slot.err" &
        PID[$slot]=$!
    fi
done
# F, I and K read album 1 as its artist.
for slot in F I K; do
    [ -n "${PID[$slot]:-}" ] || continue
    for _ in $(seq 100); do [ -s "$OUT/data-$slot/tokens.json" ] && break; sleep 0.1; done
    AUTH[$slot]="Bearer $(python3 -c 'import json, sys; print(next(t["token"] for t in json.load(open(sys.argv[1])) if t["artist_id"] == 1))' "$OUT/data-$slot/tokens.json")"
done
for slot in "${RUN[@]}"; do
    for _ in $(seq 100); do
        grep -q '^listening on ' "$OUT/$slot.addr" && break
        sleep 0.1
    done
    ADDR[$slot]=$(sed -n 's/^listening on //p' "$OUT/$slot.addr")
    [ -n "${ADDR[$slot]}" ] || { echo "load.sh: server $slot did not start" >&2; cat "$OUT/$slot.err" >&2; exit 1; }
    echo "server $slot (${KIND[$slot]}, ${ACCEPT[$slot]}): pid ${PID[$slot]} on ${ADDR[$slot]}"
done

# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# A wrk latency figure (`812.00us`, `1.20ms`, `1.01s`) in microseconds.
to_us() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) m = 1; else if (v ~ /ms$/) m = 1000; else if (v ~ /s$/) m = 1000000; else m = 1
        printf "%.1f", n * m
    }'
}

run_wrk() { # slot seconds [--latency]
    local slot=$1 seconds=$2
    shift 2
    if [ -n "${AUTH[$slot]:-}" ]; then
        set -- "$@" -H "Authorization: ${AUTH[$slot]}"
    fi
    timeout $((seconds + 15)) taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" "$@" \
        -H "Accept: ${ACCEPT[$slot]}" "http://${ADDR[$slot]}${URL_PATH[$slot]}"
}

# HTTP/2 over cleartext with prior knowledge (h2load's default for an
# http:// URL); --log-file writes one line per request (its duration in
# microseconds is the third field), for the percentiles.
run_h2load() { # slot seconds [log file]
    local slot=$1 seconds=$2
    shift 2
    if [ $# -gt 0 ]; then
        set -- --log-file="$1"
    fi
    timeout $((seconds + 15)) taskset -c 1 h2load -t1 -c"$H2_CONNECTIONS" -m"$H2_STREAMS" \
        -D"$seconds" "$@" -H "Accept: ${ACCEPT[$slot]}" "http://${ADDR[$slot]}${URL_PATH[$slot]}"
}

# A discarded warm-up run of a slot.
warm_up() { # slot
    if [[ $1 == *2 ]]; then
        run_h2load "$1" "$WARMUP" >/dev/null
    else
        run_wrk "$1" "$WARMUP" >/dev/null
    fi
}

# One measured run of a slot; prints `req_s requests p50_us p99_us`.
measure() { # slot round
    local slot=$1 report=$OUT/r$2-$1.txt
    if [[ $slot == *2 ]]; then
        run_h2load "$slot" "$DURATION" "$OUT/r$2-$slot.log" >"$report"
        # Every request done and succeeded, no status but 2xx, or the run
        # is void. (In a timed run h2load may count the status of a
        # response whose body had not come whole when time ran out: more
        # 2xx than requests done.)
        awk '/^requests:/ { done = $6; ok = $8; bad = $10 + $12 + $14 }
            /^status codes:/ { two = $3; other = $5 + $7 + $9 }
            END { exit !(done > 0 && ok == done && two >= done && other == 0 && bad == 0) }' "$report" ||
            { echo "load.sh: server $slot answered errors:" >&2; cat "$report" >&2; exit 1; }
        local rps requests
        rps=$(awk '/^finished in/ { print $4 + 0 }' "$report")
        requests=$(awk '/^requests:/ { print $6 }' "$report")
        printf '%s %s ' "$rps" "$requests"
        cut -f3 "$OUT/r$2-$slot.log" | sort -n | awk '{ v[NR] = $1 }
            END { printf "%.1f %.1f\n", v[int(NR * 0.50) + 1], v[int(NR * 0.99) + 1] }'
        rm -f "$OUT/r$2-$slot.log"
        return
    fi
    run_wrk "$slot" "$DURATION" --latency >"$report"
    if grep -q 'Non-2xx' "$report"; then
        echo "load.sh: server $slot answered errors:" >&2; cat "$report" >&2; exit 1
    fi
    printf '%s %s %s %s\n' "$(awk '/^Requests\/sec:/ { print $2 }' "$report")" \
        "$(awk '/requests in/ { print $1 }' "$report")" \
        "$(to_us "$(awk '$1 == "50%" { print $2 }' "$report")")" \
        "$(to_us "$(awk '$1 == "99%" { print $2 }' "$report")")"
}

printf 'round\tslot\tkind\treq_s\tp50_us\tp99_us\tcpu_us_per_req\n' >"$OUT/results.tsv"
for round in $(seq "$ROUNDS"); do
    for slot in "${RUN[@]}"; do
        warm_up "$slot"
        before=$(cpu_ticks "${PID[$slot]}")
        read -r rps requests p50 p99 < <(measure "$slot" "$round"; echo)
        [ -n "$requests" ] || exit 1
        after=$(cpu_ticks "${PID[$slot]}")
        cpu=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" \
            'BEGIN { printf "%.2f", t * 1000000 / hz / n }')
        kind=${KIND[$slot]}${AUTH[$slot]:+-owner}
        [[ $slot == *2 ]] && kind+=-h2
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$slot" "$kind/${ACCEPT[$slot]#application/}" \
            "$rps" "$p50" "$p99" "$cpu" | tee -a "$OUT/results.tsv"
    done
done

python3 - "$OUT/results.tsv" <<'EOF'
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
slots = sorted({r["slot"] for r in rows})
names = {r["slot"]: r["kind"] for r in rows}
by = {(r["round"], r["slot"]): r for r in rows}
rounds = sorted({r["round"] for r in rows}, key=int)

def med_iqr(xs):
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q1, q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return q2, q1, q3

def col(slot, key):
    return [float(by[(r, slot)][key]) for r in rounds]

print(f"\n{len(rounds)} rounds; medians over rounds")
print(f"{'server':<20}{'req/s':>10}{'p50 us':>10}{'p99 us':>10}{'cpu us/req':>12}")
for s in slots:
    m = [med_iqr(col(s, k))[0] for k in ("req_s", "p50_us", "p99_us", "cpu_us_per_req")]
    print(f"{s:<2} {names[s]:<17}{m[0]:>10.0f}{m[1]:>10.0f}{m[2]:>10.0f}{m[3]:>12.2f}")

# HTTP/1.1 slots against D and C, HTTP/2 slots (A2, C2, D2, N2) against
# D2, C2 and N2.
h2 = lambda slot: slot.endswith("2")
for ref in [s for s in ("D", "C", "D2", "C2", "N2") if s in slots]:
    print(f"\nper-round ratios against {ref} ({names[ref]}): median [IQR]")
    print(f"{'server':<20}{'req/s':>24}{'cpu us/req':>24}")
    for s in slots:
        if s == ref or h2(s) != h2(ref):
            continue
        out = []
        for key in ("req_s", "cpu_us_per_req"):
            ratios = [float(by[(r, s)][key]) / float(by[(r, ref)][key]) for r in rounds]
            m, q1, q3 = med_iqr(ratios)
            out.append(f"{m:.3f} [{q1:.3f}-{q3:.3f}]")
        print(f"{s:<2} {names[s]:<17}{out[0]:>24}{out[1]:>24}")
EOF
echo "raw results: $OUT/results.tsv"
