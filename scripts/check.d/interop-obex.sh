#!/usr/bin/env bash
# End-to-end OBEX over loopback TCP through the CLI: psacaster push and
# serve-obex against each other and against foreign peers (obexftp, PyOBEX),
# declines, and the one-line errors. Files must arrive byte-identical.
set -uo pipefail
cd "$(dirname "$0")/../.."
swift build 2>&1 | grep -E "error|warning: unre" ; [ "${PIPESTATUS[0]}" = 0 ] || { echo "interop-obex: build failed"; exit 1; }
BIN=$(swift build --show-bin-path)/psacaster
PY=${PSACASTER_VENV:-$PWD/.venv}/bin/python
PEER=bench/obex/pyobex_peer.py
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$WORK"; }
trap cleanup EXIT
failures=0
pass() { echo "  ok   $1"; }
fail() { echo "  FAIL $1"; failures=$((failures + 1)); }
same() { [ -f "$2" ] && [ "$(sha256sum < "$1")" = "$(sha256sum < "$2")" ]; }

mkdir -p "$WORK/out" "$WORK/in" "$WORK/in-declined" "$WORK/py-in"
head -c 65536 /dev/urandom > "$WORK/out/a64k.opus"
head -c 1048576 /dev/urandom > "$WORK/out/b1m.opus"
printf 'salam' > "$WORK/out/ñandú 求助.opus"

# start_server DIR [flags...]: runs serve-obex on a free port, sets PORT.
start_server() {
    local dir=$1; shift
    "$BIN" serve-obex --tcp 127.0.0.1:0 --dir "$dir" "$@" > "$WORK/serve-$$-$RANDOM.log" 2> "$WORK/serve.err" &
    PIDS+=($!)
    PORT=""
    for _ in $(seq 50); do
        PORT=$(grep -Eo 'listening on 127.0.0.1:[0-9]+' "$WORK/serve.err" 2>/dev/null | grep -Eo '[0-9]+$')
        [ -n "$PORT" ] && return 0
        sleep 0.1
    done
    return 1
}

start_server "$WORK/in" || { echo "interop-obex: serve-obex did not start"; cat "$WORK/serve.err"; exit 1; }
if "$BIN" push "$WORK/out/a64k.opus" "$WORK/out/b1m.opus" "$WORK/out/ñandú 求助.opus" --tcp "127.0.0.1:$PORT" > "$WORK/push.out"; then
    same "$WORK/out/a64k.opus" "$WORK/in/a64k.opus" && same "$WORK/out/b1m.opus" "$WORK/in/b1m.opus" \
        && same "$WORK/out/ñandú 求助.opus" "$WORK/in/ñandú 求助.opus" \
        && [ "$(grep -c '^delivered' "$WORK/push.out")" = 3 ] \
        && pass "psacaster push -> serve-obex: 3 files byte-identical, non-ASCII name kept" || fail "psacaster push -> serve-obex: files differ"
else fail "psacaster push -> serve-obex exited non-zero: $(cat "$WORK/push.out")"; fi

"$BIN" push "$WORK/out/a64k.opus" --tcp "127.0.0.1:$PORT" --json > "$WORK/push.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["delivered"]==1 and d["objects"][0]["outcome"]=="delivered" and d["objects"][0]["code"]=="0xA0" else 1)' "$WORK/push.json" \
    && pass "push --json reports delivered 0xA0" || fail "push --json: $(cat "$WORK/push.json")"

if command -v obexftp >/dev/null; then
    mkdir -p "$WORK/ftp" && cp "$WORK/out/b1m.opus" "$WORK/ftp/obexftp-1m.opus"
    (cd "$WORK/ftp" && obexftp -n "127.0.0.1:$PORT" -U none -H -S -p obexftp-1m.opus >/dev/null 2>&1)   # exits 255 even on success
    same "$WORK/ftp/obexftp-1m.opus" "$WORK/in/obexftp-1m.opus" && pass "obexftp -> serve-obex: byte-identical" || fail "obexftp -> serve-obex"
else fail "obexftp not installed (scripts/setup.sh)"; fi

if "$PY" -c 'import PyOBEX' 2>/dev/null; then
    cp "$WORK/out/b1m.opus" "$WORK/out/pyobex-1m.opus"
    "$PY" "$PEER" push --port "$PORT" "$WORK/out/pyobex-1m.opus" >/dev/null \
        && same "$WORK/out/pyobex-1m.opus" "$WORK/in/pyobex-1m.opus" && pass "PyOBEX client -> serve-obex: byte-identical" || fail "PyOBEX client -> serve-obex"
    "$PY" "$PEER" server --dir "$WORK/py-in" --port 0 --once > "$WORK/py.out" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 50); do PYPORT=$(awk '/^listening/ {print $2}' "$WORK/py.out" 2>/dev/null); [ -n "$PYPORT" ] && break; sleep 0.1; done
    "$BIN" push "$WORK/out/b1m.opus" "$WORK/out/ñandú 求助.opus" --tcp "127.0.0.1:$PYPORT" >/dev/null \
        && same "$WORK/out/b1m.opus" "$WORK/py-in/b1m.opus" && same "$WORK/out/ñandú 求助.opus" "$WORK/py-in/ñandú 求助.opus" \
        && pass "psacaster push -> PyOBEX server: byte-identical, non-ASCII name kept" || fail "psacaster push -> PyOBEX server"
else fail "PyOBEX not importable from $PY (scripts/setup.sh)"; fi

# 24 senders that connect and say nothing: at most 16 sessions are held,
# the rest are refused, and once they go the server still takes a push.
python3 - "$PORT" <<'PY'
import socket, sys, time
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(24)]
time.sleep(0.5)
for s in socks: s.close()
PY
sleep 0.3
"$BIN" push "$WORK/out/a64k.opus" --tcp "127.0.0.1:$PORT" > /dev/null 2>&1 \
    && [ "$(grep -c 'sessions already running' "$WORK/serve.err")" -ge 8 ] \
    && pass "24 silent senders: excess refused, server still serves" || fail "silent senders: $(tail -n 3 "$WORK/serve.err")"

start_server "$WORK/in-declined" --decline
"$BIN" push "$WORK/out/a64k.opus" "$WORK/out/b1m.opus" --tcp "127.0.0.1:$PORT" > "$WORK/declined.out"; rc=$?
[ "$rc" = 1 ] && grep -q '^declined .*0xC3 Forbidden' "$WORK/declined.out" && grep -q '^not-attempted' "$WORK/declined.out" \
    && [ -z "$(ls -A "$WORK/in-declined")" ] && pass "decline: exit 1, declined (0xC3) then not-attempted, nothing stored" \
    || fail "decline: rc=$rc $(cat "$WORK/declined.out")"

"$BIN" push "$WORK/out/a64k.opus" > /dev/null 2> "$WORK/err"; rc=$?
[ "$rc" = 2 ] && grep -q '^psacaster: push: say where to send' "$WORK/err" && pass "no target: usage error, exit 2" || fail "no target: rc=$rc $(cat "$WORK/err")"
"$BIN" push "$WORK/out/missing.opus" --tcp 127.0.0.1:1 > /dev/null 2> "$WORK/err"; rc=$?
[ "$rc" = 1 ] && grep -q "^psacaster: push: cannot open '.*missing.opus': No such file or directory. Check the path" "$WORK/err" \
    && pass "missing file: one-line error, exit 1" || fail "missing file: rc=$rc $(cat "$WORK/err")"
"$BIN" push "$WORK/out/a64k.opus" --tcp 127.0.0.1:1 > "$WORK/out.txt" 2> "$WORK/err"; rc=$?
[ "$rc" = 1 ] && grep -q '^link-lost' "$WORK/out.txt" && grep -q '^psacaster: push: cannot connect to 127.0.0.1:1: ' "$WORK/err" \
    && pass "nothing listening: link-lost line, one-line error, exit 1" || fail "nothing listening: rc=$rc $(cat "$WORK/out.txt" "$WORK/err")"
"$BIN" push "$WORK/out/a64k.opus" --to 00:11:22:33:44:55@12 > /dev/null 2> "$WORK/err"; rc=$?
# No adapter and no phone here: a one-line error and exit 1, whatever the
# Bluetooth build says (RFCOMM may or may not be built in).
[ "$rc" = 1 ] && grep -q '^psacaster: push: ' "$WORK/err" && pass "--to with no reachable phone: one-line error, exit 1" || fail "--to: rc=$rc $(cat "$WORK/err")"
"$BIN" push "$WORK/out/a64k.opus" --to 00:11:22:33:44 > /dev/null 2> "$WORK/err"; rc=$?
[ "$rc" = 2 ] && pass "bad --to address: usage error" || fail "bad --to: rc=$rc $(cat "$WORK/err")"
"$BIN" serve-obex --tcp 0 --dir "$WORK/nope" > /dev/null 2> "$WORK/err"; rc=$?
[ "$rc" = 1 ] && grep -q "^psacaster: serve-obex: cannot store into" "$WORK/err" && pass "serve-obex into a missing directory: one-line error" || fail "serve-obex missing dir: rc=$rc $(cat "$WORK/err")"

ls "$WORK"/in/.obex-*.part >/dev/null 2>&1 && fail "temporary files left behind" || pass "no temporary files left"
echo "interop-obex: $failures failed"
[ "$failures" = 0 ]
