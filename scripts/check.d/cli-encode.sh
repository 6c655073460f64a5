#!/usr/bin/env bash
# The encode and inspect commands as a user meets them: exit codes 0/1/2,
# one-line errors prefixed "psacaster: ", JSON output, default output name,
# nothing left behind on failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
swift build --product psacaster > /tmp/psacaster-cli-encode-build.log 2>&1 || { tail -n 20 /tmp/psacaster-cli-encode-build.log; exit 1; }
BIN=$(swift build --show-bin-path)/psacaster
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
FAILS=0
pass() { echo "  ok   $1"; }
fail() { echo "  FAIL $1"; FAILS=$((FAILS + 1)); }
expect() { # expect <name> <wanted-exit> <command...>: runs it, keeps stdout/stderr in $T/out $T/err
    local name=$1 want=$2; shift 2
    "$@" > "$T/out" 2> "$T/err"; local rc=$?
    if [ "$rc" = "$want" ]; then pass "$name (exit $rc)"; else fail "$name: exit $rc, wanted $want; stderr: $(cat "$T/err")"; fi
}
one_line_error() { # the stderr of the last command is one "psacaster: " line ending in a sentence
    local lines; lines=$(wc -l < "$T/err")
    if [ "$lines" = 1 ] && grep -q '^psacaster: .*\.$' "$T/err"; then pass "$1: one-line error"; else fail "$1: stderr was: $(cat "$T/err")"; fi
}

espeak-ng -v vi -w "$T/raw.wav" "Đường dây nóng miễn phí" 2>/dev/null
sox "$T/raw.wav" -r 44100 -c 2 "$T/Hội thảo.wav" pad 0.5 0.5

echo "encode:"
expect "encode with default output" 0 "$BIN" encode "$T/Hội thảo.wav" --lang vi --title "Đường dây nóng"
[ -f "$T/Hoi-thao.opus" ] && pass "default output is ASCII .opus next to the input" || fail "no $T/Hoi-thao.opus: $(ls "$T")"
grep -q "^wrote " "$T/out" && grep -q "LUFS" "$T/out" && pass "human summary" || fail "summary: $(cat "$T/out")"
opusinfo "$T/Hoi-thao.opus" > /dev/null && pass "opusinfo accepts it" || fail "opusinfo rejects it"
expect "encode --json" 0 "$BIN" encode "$T/Hội thảo.wav" -o "$T/j.opus" --json --bitrate 12
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["bitrateKbps"]==12 and r["outputBytes"]>0 and abs(r["loudnessAfterLUFS"]+16)<1, r' "$T/out" \
    && pass "JSON report parses and says what happened" || fail "JSON: $(cat "$T/out")"
expect "encode --no-trim --no-loudness" 0 "$BIN" encode "$T/raw.wav" -o "$T/raw.opus" --no-trim --no-loudness -q

expect "missing input" 1 "$BIN" encode "$T/nope.wav" -o "$T/x.opus"; one_line_error "missing input"
head -c 5000 /dev/urandom > "$T/noise.wav"
expect "corrupt input" 1 "$BIN" encode "$T/noise.wav" -o "$T/x.opus"; one_line_error "corrupt input"
sox -n -r 16000 -b 16 "$T/silence.wav" trim 0 2
expect "silent input" 1 "$BIN" encode "$T/silence.wav" -o "$T/x.opus"; one_line_error "silent input"
expect "too long for --max-seconds" 1 "$BIN" encode "$T/raw.wav" -o "$T/x.opus" --max-seconds 1; one_line_error "duration limit"
expect "missing output folder" 1 "$BIN" encode "$T/raw.wav" -o "$T/no/such/x.opus"; one_line_error "missing folder"
[ ! -e "$T/x.opus" ] && [ -z "$(ls -A "$T" | grep '^\.')" ] && pass "nothing left behind" || fail "leftovers: $(ls -A "$T")"
expect "bad bitrate is a usage error" 2 "$BIN" encode "$T/raw.wav" --bitrate 900; one_line_error "bad bitrate"
expect "unknown flag is a usage error" 2 "$BIN" encode "$T/raw.wav" --bitrat 12
grep -q "Did you mean '--bitrate'" "$T/err" && pass "hint for --bitrat" || fail "no hint: $(cat "$T/err")"
expect "missing INPUT is a usage error" 2 "$BIN" encode
expect "encode --help" 0 "$BIN" encode --help
grep -q -- "--max-seconds" "$T/out" && pass "help lists options" || fail "help: $(cat "$T/out")"

echo "inspect:"
expect "inspect a valid file" 0 "$BIN" inspect "$T/Hoi-thao.opus"
grep -q "TITLE=Đường dây nóng" "$T/out" && pass "inspect shows tags" || fail "inspect: $(cat "$T/out")"
expect "inspect --json" 0 "$BIN" inspect "$T/Hoi-thao.opus" --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["isValid"] and r["preSkip"]==312 and r["inputSampleRate"]==44100 and r["faults"]==[], r' "$T/out" \
    && pass "inspect JSON" || fail "inspect JSON: $(cat "$T/out")"
head -c 3000 "$T/Hoi-thao.opus" > "$T/cut.opus"
expect "inspect a truncated file" 1 "$BIN" inspect "$T/cut.opus"; one_line_error "truncated file"
expect "inspect a missing file" 1 "$BIN" inspect "$T/none.opus"; one_line_error "missing file"

echo "cli-encode: $FAILS failed"
[ "$FAILS" = 0 ]
