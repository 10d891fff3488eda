#!/usr/bin/env bash
# Clients generated from the licensing example's documents by generators
# nobody here wrote (issue 19): openapi-python-client builds a package from
# the public document and one from the owner document (in their JSON-only
# form: the generator sends JSON and forms only), and
# .ci/client-scenario.py uses only those packages against the running
# server; openapi-typescript writes the owner document's types, and
# .ci/typescript/usage.ts must pass `tsc --noEmit --strict` with them;
# progenitor builds a Rust client (.ci/progenitor) from the owner document
# in OpenAPI 3.0.3, JSON only (it takes one media type per request body).
# A document a generator cannot read, a warning, or a model that does not
# fit what the server answers, fails here.
#
# usage: .ci/generated-clients.sh VENV
#
# The server runs on a free port with a fresh data directory and is
# stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="$(realpath "${1:?usage: $0 VENV}")"
ci="$PWD/.ci"
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

# The generator's post-hooks run formatters (ruff) the CI does not need.
printf 'post_hooks: []\n' >"$work/config.yaml"
for audience in public owner; do
    "${licensing[@]}" openapi --audience "$audience" --json-only >"$work/$audience.json"
    log="$work/generate-$audience.log"
    "$venv/bin/openapi-python-client" generate --path "$work/$audience.json" \
        --output-path "$work/clients/$audience" --meta none \
        --config "$work/config.yaml" >"$log" 2>&1
    cat "$log"
    # A warning names a part of the document the client was generated
    # without: none is allowed.
    if grep -q '^WARNING' "$log"; then
        echo "generated clients: warnings for the $audience document" >&2
        exit 1
    fi
done

# progenitor (crates.io) generates a Rust client from the owner document in
# OpenAPI 3.0.3, JSON only, at build time; the crate's functions use it.
cp -r "$ci/progenitor" "$work/progenitor"
"${licensing[@]}" openapi --audience owner --version 3.0 --json-only \
    >"$work/progenitor/owner-3.0.json"
CARGO_TARGET_DIR="$PWD/target/progenitor" cargo build --quiet --locked \
    --manifest-path "$work/progenitor/Cargo.toml"
echo "generated clients: the progenitor client builds"

# openapi-typescript (npm) writes the owner document's types, and a small
# typed usage file must pass `tsc --noEmit --strict` against them.
npm ci --prefix "$ci/typescript" --no-audit --no-fund --silent
mkdir -p "$work/ts"
cp "$ci/typescript/usage.ts" "$ci/typescript/tsconfig.json" "$work/ts/"
# (openapi-typescript reads every media type: it gets the whole document.)
"${licensing[@]}" openapi --audience owner >"$work/owner-all-formats.json"
"$ci/typescript/node_modules/.bin/openapi-typescript" "$work/owner-all-formats.json" -o "$work/ts/owner.d.ts"
"$ci/typescript/node_modules/.bin/tsc" --noEmit --strict -p "$work/ts"
echo "generated clients: the TypeScript types check"

"${licensing[@]}" serve --addr 127.0.0.1:0 --data "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 300); do
    base="$(grep -o 'listening on http://[0-9.:]*/api' "$work/server.log" | head -1 | sed 's/listening on //')" || true
    [ -n "$base" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$work/server.log"
        echo "generated clients: the licensing server exited before listening" >&2
        exit 1
    fi
    sleep 0.1
done
[ -n "$base" ] || { cat "$work/server.log"; echo "generated clients: no server" >&2; exit 1; }
origin="${base%/api}"

# The artist who owns album 1, from the seeded accounts.
"${licensing[@]}" tokens --data "$work/data" >"$work/tokens.json"
token="$(python3 -c 'import json, sys
print(next(a["token"] for a in json.load(open(sys.argv[1])) if a["role"] == "artist"))' "$work/tokens.json")"

PYTHONPATH="$work/clients:$ci" "$venv/bin/python" "$ci/client-scenario.py" "$origin" "$token" \
    "$work/public.json" "$work/owner.json"
