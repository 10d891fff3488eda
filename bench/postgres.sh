# Sourced by bench/load.sh and bench/writes.sh: a throwaway PostgreSQL
# cluster for a measurement, made the way CI makes its own (pg_virtualenv,
# from Debian's postgresql-common), and pinned to the server's core.

# bench_cluster SCRIPT [ARGS...]: runs SCRIPT again inside a new cluster,
# with PG* exported for it; the cluster is dropped when SCRIPT ends.
bench_cluster() {
    if ! command -v pg_virtualenv >/dev/null; then
        apt-get update && apt-get install -y postgresql postgresql-common
    fi
    PALE_BENCH_IN_CLUSTER=1 exec pg_virtualenv -t -o max_connections=200 bash "$@"
}

# pin_cluster CORE: pins the cluster's server processes, and the backends
# they will start, to CORE (a backend inherits the postmaster's affinity).
pin_cluster() {
    local data postmaster
    data=$(psql -Atc 'SHOW data_directory')
    postmaster=$(head -n 1 "$data/postmaster.pid")
    for pid in "$postmaster" $(pgrep -P "$postmaster"); do
        taskset -a -p -c "$1" "$pid" >/dev/null
    done
}
