#!/usr/bin/env bash
# Builds the libFuzzer target for the Ogg Opus reader and runs it for a
# bounded time from the checked-in seed corpus. Exits non-zero on a crash
# (the crashing input is left in Fuzz/build/ogg-crash-*).
#   FUZZ_SECONDS=45 scripts/check.d/fuzz-ogg.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${FUZZ_SECONDS:-45}
OUT=Fuzz/build
mkdir -p "$OUT/ogg-corpus"
export SWIFT_BACKTRACE=enable=no

echo "fuzz-ogg: building $OUT/fuzz-ogg"
# (ld.gold warns about every ASan symbol: keep the log, show it on failure only)
if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    Sources/AudioEncode/Reader/*.swift Fuzz/ogg/fuzz-ogg-main.swift \
    -o "$OUT/fuzz-ogg" > "$OUT/fuzz-ogg-build.log" 2>&1; then
    grep -v "Cannot export local symbol" "$OUT/fuzz-ogg-build.log" | tail -n 30
    echo "fuzz-ogg: build FAILED"
    exit 1
fi

# The working corpus grows in Fuzz/build; the seeds in Fuzz/corpus/ogg stay small and checked in.
echo "fuzz-ogg: running for ${SECONDS_TO_RUN}s"
set +e
"$OUT/fuzz-ogg" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -rss_limit_mb=1024 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$OUT/ogg-" \
    "$OUT/ogg-corpus" Fuzz/corpus/ogg > "$OUT/fuzz-ogg.log" 2>&1
rc=$?
set -e
tail -n 12 "$OUT/fuzz-ogg.log"
if [ "$rc" != 0 ]; then
    echo "fuzz-ogg: FAILED (exit $rc); crashing input: $(ls "$OUT"/ogg-crash-* "$OUT"/ogg-timeout-* "$OUT"/ogg-oom-* 2>/dev/null | head -n 3)"
    exit 1
fi
echo "fuzz-ogg: no crashes"
