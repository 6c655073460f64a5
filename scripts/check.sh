#!/usr/bin/env bash
# Runs the test stages and ends with one line "check: N passed, N failed".
#   scripts/check.sh all | unit | fuzz | vm
set -uo pipefail
cd "$(dirname "$0")/.."
STAGE=${1:-all}
PASSED=0; FAILED=0; FAILURES=""
record() { # record <name> <rc> [count]
    local n=${3:-1}
    if [ "$2" = 0 ]; then PASSED=$((PASSED + n)); else FAILED=$((FAILED + 1)); FAILURES="$FAILURES $1"; fi
}
stage() { [ "$STAGE" = all ] || [ "$STAGE" = "$1" ]; }

if stage unit; then
    echo "== swift build"
    swift build 2>&1 | tail -n 30; rc=${PIPESTATUS[0]}
    record build "$rc"
    echo "== swift test (XCTest)"
    swift test --disable-swift-testing 2>&1 | tee /tmp/psacaster-swift-test.log | grep -E -v '^(Test Case .* (started|passed)|\[[0-9]+/[0-9]+\])' ; rc=${PIPESTATUS[0]}
    n=$(grep -Eo 'Executed [0-9]+ tests' /tmp/psacaster-swift-test.log | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
    if [ "$rc" = 0 ]; then PASSED=$((PASSED + n)); else record swift-test "$rc"; fi
fi
for s in scripts/check.d/*.sh; do
    [ -e "$s" ] || continue
    name=$(basename "$s" .sh)          # e.g. fuzz-ogg, vm-bluez
    kind=${name%%-*}                   # fuzz | vm | cli ...
    if [ "$STAGE" = all ] || [ "$STAGE" = "$kind" ]; then
        echo "== $name"
        bash "$s"; record "$name" $?
    fi
done
echo
[ -n "$FAILURES" ] && echo "failed stages:$FAILURES"
echo "check: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
