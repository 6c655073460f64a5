#!/usr/bin/env bash
# Fuzzes the OBEX codec with libFuzzer: response parsing (client side) and
# request parsing (server side), each for a bounded time from the checked-in
# seeds. Non-zero exit on any crash, leak or sanitizer report.
#   OBEX_FUZZ_SECONDS=300 scripts/check.d/fuzz-obex.sh    # a longer run
set -uo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${OBEX_FUZZ_SECONDS:-40}
OUT=Fuzz/build
mkdir -p "$OUT"
export SWIFT_BACKTRACE=enable=no
status=0
for target in obex-response obex-request; do
    bin="$OUT/$target"
    if ! swiftc -parse-as-library -sanitize=fuzzer,address -O -module-name OBEXFuzz \
            Sources/OBEXPush/Codec/*.swift "Fuzz/$target-fuzz.swift" -o "$bin" 2>"$OUT/$target.build.log"; then
        grep -v "Cannot export local symbol" "$OUT/$target.build.log" | tail -n 20
        echo "fuzz-obex: $target did not build"
        status=1; continue
    fi
    # Grow a scratch copy, so the checked-in seeds stay small and reviewed.
    work=$(mktemp -d)
    cp Fuzz/corpus/$target/* "$work/"
    log="$OUT/$target.log"
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=1024 -max_len=70000 \
        -artifact_prefix="$OUT/$target-" -print_final_stats=1 "$work" >"$log" 2>&1
    rc=$?
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$')
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+')
    units=$(ls "$work" | wc -l)
    rm -rf "$work"
    if [ "$rc" != 0 ]; then
        grep -E 'ERROR|Fatal error|panic|SUMMARY|artifact' "$log" | head -n 20
        echo "fuzz-obex: $target FAILED (exit $rc); reproducer under $OUT/$target-*"
        status=1
    else
        echo "fuzz-obex: $target ok: ${execs:-?} executions in ${SECONDS_EACH}s, coverage ${cov:-?} edges, corpus $units inputs, 0 crashes"
    fi
done
exit $status
