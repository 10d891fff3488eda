#!/usr/bin/env bash
# Property-based fuzzing of the licensing example against its own OpenAPI
# documents (issue #6): schemathesis generates requests from each audience's
# document, sends them to the running server, and fails on a 5xx, a status
# the document does not list, or a response (body, content type, headers)
# that contradicts it.
#
# usage: .ci/fuzz-licensing.sh SCHEMATHESIS_BIN
#
# Three runs, one per caller: anonymous (public document), an artist (owner
# document, with their Bearer token) and an admin (admin document). The
# server runs on a free port with a fresh data directory, and is stopped on
# exit whatever happens. A fixed seed and a bounded number of cases per
# operation keep the run reproducible and short.
set -euo pipefail
cd "$(dirname "$0")/.."

schemathesis="$(realpath "${1:?usage: $0 SCHEMATHESIS_BIN}")"
ci="$PWD/.ci"
examples="${FUZZ_EXAMPLES:-50}"
seed="${FUZZ_SEED:-6}"

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

cargo build --quiet -p licensing
licensing=(cargo run --quiet -p licensing --)

# Port 0: the kernel picks a free port, and the server logs the one it got.
"${licensing[@]}" serve --addr 127.0.0.1:0 --data "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 300); do
    base="$(grep -o 'listening on http://[0-9.:]*/api' "$work/server.log" | head -1 | sed 's/listening on //')" || true
    [ -n "$base" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$work/server.log"
        echo "fuzz: the licensing server exited before listening" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -z "$base" ]; then
    cat "$work/server.log"
    echo "fuzz: the licensing server did not start listening" >&2
    exit 1
fi
origin="${base%/api}"
echo "licensing listening at $base"

# The seeded accounts: an admin and two artists (the first owns album 1).
"${licensing[@]}" tokens --data "$work/data" >"$work/tokens.json"
token() {
    python3 -c 'import json, sys
accounts = json.load(open(sys.argv[1]))
print(next(a["token"] for a in accounts if a["role"] == sys.argv[2]))' "$work/tokens.json" "$1"
}
artist_token="$(token artist)"
admin_token="$(token admin)"

fuzz() {
    local audience="$1"
    shift
    echo
    echo "--- schemathesis: the $audience document"
    local started=$SECONDS status=0
    # Schemathesis keeps its caches (.hypothesis/) in the working directory.
    (cd "$work" && SCHEMATHESIS_HOOKS="$ci/schemathesis_hooks.py" timeout 120 \
        "$schemathesis" --config-file "$ci/schemathesis.toml" run \
        "$base/openapi.json?audience=$audience" \
        --url "$origin" \
        --checks all \
        --max-examples "$examples" \
        --seed "$seed" \
        --workers 1 \
        --generation-database none \
        --no-color \
        "$@") || status=$?
    echo "--- the $audience document: $((SECONDS - started)) s, exit $status"
    return "$status"
}

# Every run, even after a failing one: the report names all findings.
failed=()
# The public document leaves out what needs a caller (D3: no trace of it),
# so schemathesis takes `POST /api/albums` for an undeclared method: it
# wants 405 where the server rightly answers 401 (sign in), and an `Allow`
# header without `POST`. Those two checks are off for the public run only.
fuzz public --exclude-checks unsupported_method,allow_header_conformance || failed+=(public)
fuzz owner --header "Authorization: Bearer $artist_token" || failed+=(owner)
fuzz admin --header "Authorization: Bearer $admin_token" || failed+=(admin)

if grep -q 'panicked' "$work/server.log"; then
    grep -B2 -A5 'panicked' "$work/server.log"
    echo "fuzz: a handler panicked" >&2
    exit 1
fi
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in the ${failed[*]} document(s)" >&2
    exit 1
fi
echo "fuzz: no findings in the public, owner and admin documents"
