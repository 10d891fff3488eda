#!/usr/bin/env bash
# The scale harness of issue 17: catalogues of growing size, generated in
# bulk (bench/scale/gen.py), verified (`licensing check`), then the
# issue's request mix (bench/scale/mix.py) against a release build of the
# licensing server over loopback, one client. Prints a markdown table of
# medians and keeps the raw JSON lines in bench/results/.
#
#   bash bench/scale.sh                         # SQLite, 1k and 100k albums
#   SIZES="1000 100000 1000000" bash bench/scale.sh
#   ENGINES="sqlite postgres" bash bench/scale.sh   # PostgreSQL in a throwaway
#                                                   # cluster (bench/postgres.sh)
#   LICENSING_BIN=path/to/licensing bash bench/scale.sh   # a release binary already built
#   MIX=--writes bash bench/scale.sh            # only the PATCH rate and the GET after it
#   SERVE_ARGS=--read-cache ENGINES=postgres bash bench/scale.sh   # flags for `licensing serve`
#
# Each size has 10 sales lines per album; the hot album (the one with the
# most sales) has as many lines in its statement month as there are
# albums. Generation and `check` times are reported beside the mix.
#
# Each size also gets as many compositions (COMPOSITIONS=N for another
# count), written as CSV by gen.py and loaded by the binary's own
# `licensing import-compositions` (timed: import_s); the mix then times
# the composition match (MIX_MATCH, see mix.py).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
SIZES=${SIZES:-"1000 100000"}
ENGINES=${ENGINES:-sqlite}
source "$here/postgres.sh"

if [[ " $ENGINES " == *" postgres "* && -z "${PALE_BENCH_IN_CLUSTER:-}" ]]; then
    bench_cluster "$0" "$@"
fi

target=${CARGO_TARGET_DIR:-$root/target}
if [[ -z ${LICENSING_BIN:-} ]]; then
    (cd "$root" && cargo build --release -p licensing)
fi
bin=${LICENSING_BIN:-$target/release/licensing}
out=$root/bench/results/scale-$(date -u +%F).jsonl
work=$(mktemp -d)
server=
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# seconds FILE COMMAND...: runs COMMAND with its output in FILE, prints
# how long it took.
seconds() {
    local file=$1 start=$EPOCHREALTIME
    shift
    "$@" >"$file"
    python3 -c "print(round($EPOCHREALTIME - $start, 1))"
}

run() {
    local engine=$1 size=$2 lines=$(($2 * 10)) data=$work/$1-$2 db=()
    mkdir -p "$data"
    if [[ $engine == postgres ]]; then
        createdb "scale_$size"
        db=(--database "postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/scale_$size")
    fi
    local tokens owner artist
    tokens=$("$bin" tokens --data "$data" "${db[@]}")
    owner=$(jq -r '.[] | select(.name == "Maren Holt") | .token' <<<"$tokens")
    artist=$(jq -r '.[] | select(.name == "Maren Holt") | .artist_id' <<<"$tokens")
    local gen
    if [[ $engine == postgres ]]; then
        gen=$(PGDATABASE="scale_$size" seconds "$data/ids" python3 "$here/scale/gen.py" --postgres \
            --albums "$size" --lines "$lines" --artist "$artist")
    else
        gen=$(seconds "$data/ids" python3 "$here/scale/gen.py" --sqlite "$data/licensing.db" \
            --albums "$size" --lines "$lines" --artist "$artist")
    fi
    local compositions=${COMPOSITIONS:-$size} match import
    match=$(python3 "$here/scale/gen.py" --compositions-csv "$data/compositions.csv" \
        --compositions "$compositions")
    import=$(seconds "$data/import" "$bin" import-compositions --data "$data" "${db[@]}" \
        "$data/compositions.csv")
    if [[ $engine == postgres ]]; then
        PGDATABASE="scale_$size" psql -q -c "VACUUM ANALYZE compositions"
    fi
    local hot check
    hot=$(jq -r .hot "$data/ids")
    check=$(seconds "$data/check" "$bin" check --data "$data" "${db[@]}")
    cat "$data/check" >&2
    local port
    port=$(free_port)
    # shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
    RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --data "$data" "${db[@]}" ${SERVE_ARGS:-} &
    server=$!
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
        sleep 0.1
    done
    local mix
    # shellcheck disable=SC2086 # MIX is a flag or nothing
    mix=$(MIX_MATCH=$match python3 "$here/scale/mix.py" "$port" "$owner" "$hot" "$artist" \
        "$(jq -c .deep "$data/ids")" ${MIX:-})
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
    jq -c --arg engine "$engine" --argjson albums "$size" --argjson lines "$lines" \
        --argjson gen_s "$gen" --argjson check_s "$check" --arg serve "${SERVE_ARGS:-}" \
        --argjson compositions "$compositions" --argjson import_s "$import" \
        '. + {engine: $engine, albums: $albums, lines: $lines, generate_s: $gen_s, check_s: $check_s,
              serve: $serve, compositions: $compositions, import_s: $import_s}' \
        <<<"$mix" | tee -a "$out"
}

for engine in $ENGINES; do
    for size in $SIZES; do
        run "$engine" "$size"
    done
done
python3 "$here/scale/table.py" "$out"
