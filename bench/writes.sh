#!/usr/bin/env bash
# The write benchmark: merge-patch requests per second through the
# licensing service on each engine, beside PostgreSQL's own pgbench on the
# same cluster at the same concurrency (the physical reference: what the
# database does with no HTTP, no JSON and no service in front of it).
#
#   sqlite    `licensing serve --data DIR`
#   postgres  `licensing serve --database URL` (a database of its own on
#             the run's cluster)
#   pgbench   `pgbench -b simple-update` (three UPDATEs, a SELECT and an
#             INSERT per transaction) on a scale-10 pgbench database
#
# CLIENTS clients (8) each edit an album of their own: PATCH
# /api/albums/{id} with If-Match set to the ETag the previous answer
# returned (bench/patch.lua), so every request is a committed write; the
# albums are drafts of one artist, made by the script. pgbench runs with
# as many clients. Rounds interleave the three, so a noisy machine skews
# all alike. The service and the cluster are pinned to core 0, wrk and
# pgbench to core 1; every commit is durable on both engines (SQLite
# `synchronous = FULL`, PostgreSQL `fsync` and `synchronous_commit` on).
#
#   bash bench/writes.sh                 # 5 rounds of 10 s
#   ROUNDS=3 DURATION=5 bash bench/writes.sh
#
# Settings: ROUNDS (5), DURATION (10 s), CLIENTS (8), CARGO_TARGET_DIR.
# PALE_BENCH_DATABASE_URL (a superuser URL) uses an existing cluster
# instead of a throwaway one (then nothing is pinned).
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-8}
SELF=$(realpath "$0")
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}

if [ -z "${PALE_BENCH_DATABASE_URL:-}" ]; then
    source bench/postgres.sh
    [ -n "${PALE_BENCH_IN_CLUSTER:-}" ] || bench_cluster "$SELF" "$@"
    pin_cluster 0
    PALE_BENCH_DATABASE_URL="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres"
fi
if ! command -v wrk >/dev/null; then
    apt-get update && apt-get install -y wrk
fi

CARGO_TARGET_DIR=$TARGET cargo build --release -p licensing --bin licensing
LICENSING=$TARGET/release/licensing
OUT=$(mktemp -d -t pale-writes.XXXXXX)
CLUSTER=${PALE_BENCH_DATABASE_URL%/*}
declare -A PID ADDR AUTH ALBUMS

cleanup() {
    for engine in "${!PID[@]}"; do kill "${PID[$engine]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

for engine in sqlite postgres; do
    args=()
    if [ "$engine" = postgres ]; then
        psql "$PALE_BENCH_DATABASE_URL" -qc "CREATE DATABASE bench_writes_$$"
        args=(--database "$CLUSTER/bench_writes_$$")
    fi
    RUST_LOG=licensing=info taskset -c 0 "$LICENSING" serve --addr 127.0.0.1:0 \
        --data "$OUT/data-$engine" "${args[@]}" >"$OUT/$engine.log" 2>&1 &
    PID[$engine]=$!
    for _ in $(seq 300); do grep -q 'listening on http://' "$OUT/$engine.log" && break; sleep 0.1; done
    ADDR[$engine]=$(sed -n 's|.*listening on http://\([0-9.:]*\)/api.*|\1|p' "$OUT/$engine.log")
    [ -n "${ADDR[$engine]}" ] || { echo "writes.sh: $engine did not start" >&2; cat "$OUT/$engine.log" >&2; exit 1; }
    AUTH[$engine]="Bearer $(python3 -c 'import json, sys; print(next(t["token"] for t in json.load(open(sys.argv[1])) if t["artist_id"] == 1))' "$OUT/data-$engine/tokens.json")"
    ids=()
    for n in $(seq "$CLIENTS"); do
        ids+=("$(curl -sf -H "Authorization: ${AUTH[$engine]}" -H 'Content-Type: application/json' \
            -d "{\"title\": \"Bench $n\", \"price_cents\": 900}" "http://${ADDR[$engine]}/api/albums" |
            python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')")
    done
    ALBUMS[$engine]=$(IFS=,; echo "${ids[*]}")
    echo "$engine: pid ${PID[$engine]} on ${ADDR[$engine]}, albums ${ALBUMS[$engine]}"
done

psql "$PALE_BENCH_DATABASE_URL" -qc "CREATE DATABASE bench_pgbench_$$"
pgbench -i -q -s 10 "$CLUSTER/bench_pgbench_$$" 2>"$OUT/pgbench-init.log"

printf 'round\tkind\tper_s\n' >"$OUT/results.tsv"
for round in $(seq "$ROUNDS"); do
    for engine in sqlite postgres; do
        report=$OUT/r$round-$engine.txt
        ALBUMS=${ALBUMS[$engine]} AUTH=${AUTH[$engine]} timeout $((DURATION + 15)) \
            taskset -c 1 wrk -t"$CLIENTS" -c"$CLIENTS" -d"${DURATION}s" -s bench/patch.lua \
            "http://${ADDR[$engine]}" >"$report"
        if grep -q 'Non-2xx' "$report"; then
            echo "writes.sh: $engine answered errors:" >&2; cat "$report" >&2; exit 1
        fi
        printf '%s\t%s\t%s\n' "$round" "patch-$engine" "$(awk '/^Requests\/sec:/ { print $2 }' "$report")" |
            tee -a "$OUT/results.tsv"
    done
    taskset -c 1 pgbench -n -b simple-update -c "$CLIENTS" -j "$CLIENTS" -T "$DURATION" \
        "$CLUSTER/bench_pgbench_$$" >"$OUT/r$round-pgbench.txt" 2>&1
    printf '%s\t%s\t%s\n' "$round" pgbench-simple-update \
        "$(awk '/^tps = / { print $3; exit }' "$OUT/r$round-pgbench.txt")" | tee -a "$OUT/results.tsv"
done

python3 - "$OUT/results.tsv" <<'PY'
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
kinds = list(dict.fromkeys(r["kind"] for r in rows))
by = {(r["round"], r["kind"]): float(r["per_s"]) for r in rows}
rounds = sorted({r["round"] for r in rows}, key=int)

def med_iqr(xs):
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q1, q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return q2, q1, q3

print(f"\n{len(rounds)} rounds; medians over rounds, per second")
for k in kinds:
    print(f"{k:<24}{med_iqr([by[(r, k)] for r in rounds])[0]:>10.0f}")
print("\nper-round ratios against pgbench simple-update TPS: median [IQR]")
for k in kinds:
    if k.startswith("pgbench"):
        continue
    m, q1, q3 = med_iqr([by[(r, k)] / by[(r, "pgbench-simple-update")] for r in rounds])
    print(f"{k:<24}{m:>8.3f} [{q1:.3f}-{q3:.3f}]")
PY
echo "raw results: $OUT/results.tsv"
