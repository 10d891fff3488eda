#!/usr/bin/env bash
# Runs the fuzz targets, one after another, each for SECONDS (and at most
# RUNS executions, 10 million by default) on its committed seed corpus
# (corpus/<target>), with its dictionary when it has one. New inputs go to
# corpus-work/<target> (not committed), the fuzzer's output to
# logs/<target>.log, of which the final statistics are printed; a crash
# stops the run (exit 1) with the input in artifacts/. Used by .ci/run
# (30 seconds each) and for the campaigns recorded in README.md.
#
#     bash fuzz/run.sh SECONDS [TARGET...]
#
# Needs the nightly toolchain and cargo-fuzz. Built without a sanitizer
# (`-s none`): the code under test forbids `unsafe`, and the fuzzer runs
# about three times as many inputs a second without AddressSanitizer.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:?usage: run.sh SECONDS [TARGET...]}"
shift
runs="${RUNS:-10000000}"
if [ "$#" -eq 0 ]; then
    set -- decode_json decode_binary decode_xml decode_form fields merge_patch routing negotiate cast
fi

dict_of() {
    case "$1" in
        decode_json) echo dict/json.dict ;;
        decode_xml) echo dict/xml.dict ;;
        fields) echo dict/fields.dict ;;
        negotiate | routing) echo dict/http.dict ;;
    esac
}

mkdir -p artifacts logs
for target in "$@"; do
    mkdir -p "corpus-work/$target"
    options=(-max_total_time="$seconds" -runs="$runs" -print_final_stats=1)
    dict="$(dict_of "$target")"
    [ -z "$dict" ] || options+=(-dict="$dict")
    log="logs/$target.log"
    start=$(date +%s)
    if cargo +nightly fuzz run -O -s none "$target" "corpus-work/$target" "corpus/$target" \
        -- "${options[@]}" >"$log" 2>&1; then
        runs_done=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        printf '%s: %s executions in %s s, no crash\n' "$target" "$runs_done" "$(($(date +%s) - start))"
    else
        printf '%s: FAILED after %s s; the end of %s:\n' "$target" "$(($(date +%s) - start))" "fuzz/$log"
        tail -n 60 "$log"
        exit 1
    fi
done
