#!/usr/bin/env bash
# `psacaster record` through the real libasound path without a microphone:
# an ALSA `file` plugin device (in a private ~/.asoundrc) plays a raw file as
# the capture stream.
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${PSACASTER_BIN:-$PWD/.build/debug/psacaster}
[ -x "$BIN" ] || { echo "cli-catalog-record: $BIN missing: run 'swift build' first"; exit 1; }
W=$(mktemp -d /tmp/psacaster-record.XXXXXX)
trap 'rm -rf "$W"' EXIT
export HOME="$W" PSACASTER_CATALOG="$W/Audio"
P=0; F=0
ok()   { P=$((P + 1)); echo "  ok   $*"; }
bad()  { F=$((F + 1)); echo "  FAIL $*"; }
check(){ if eval "$2"; then ok "$1"; else bad "$1"; fi; }
run()  { "$BIN" "$@" >"$W/out" 2>"$W/err" </dev/null; RC=$?; OUT=$(cat "$W/out"); }
one_line_error() { [ "$RC" -ne 0 ] && [ "$(grep -c '^psacaster: ' "$W/err")" -eq 1 ] && ! grep -q '^ALSA lib' "$W/err"; }

espeak-ng -w "$W/speech.wav" "Testing the microphone for the announcement catalog. One, two, three." 2>/dev/null
sox "$W/speech.wav" -r 48000 -c 1 -b 16 -e signed -t raw "$W/speech.raw"
sox -n -r 48000 -c 1 -b 16 -e signed -t raw "$W/loud.raw" synth 2 square 440 vol 1.0
for dev in speech loud; do cat >> "$W/.asoundrc" <<CONF
pcm.$dev { type file; slave.pcm null; file "/dev/null"; infile "$W/$dev.raw"; format "raw" }
CONF
done

run record --lang en --title "Microphone test" --helpline "000" --device speech --max-seconds 4
check "records from ALSA and adds through add" '[ "$RC" = 0 ]'
check "the live level meter is shown on stderr" 'grep -q "dBFS" "$W/err"'
run show en-microphone-test --json
check "the recording is in the catalog, unapproved, source 'recorded'" 'python3 -c "import json,sys; a=json.load(sys.stdin); sys.exit(0 if a[\"source\"]==\"recorded\" and \"approval\" not in a and a[\"durationSeconds\"] <= 4.1 else 1)" <<<"$OUT"'
check "the encoded recording passes opusinfo" 'opusinfo "$W/Audio/en/microphone-test.opus" >/dev/null 2>&1'
check "catalog verifies" '"$BIN" catalog verify >/dev/null 2>&1'

run record --lang en --title "Loud" --device loud --max-seconds 2
check "clipping is warned about" 'grep -q "warning: clipping" "$W/err"'

before=$(sha256sum "$W/Audio/catalog.json")
"$BIN" record --lang en --title "Stopped" --device speech --max-seconds 60 <<<"" >"$W/out" 2>"$W/err"; RC=$?
check "Enter stops the recording (at once here: too short, nothing added)" 'one_line_error && grep -q "only 0.1 s were recorded" "$W/err"'
run record --lang en --title "Silent" --device null --max-seconds 2
check "a silent input is refused with the fix" 'one_line_error && grep -q "silent" "$W/err"'
run record --lang en --title "No mic" --device plughw:7,0 --max-seconds 2
check "a missing microphone: one line naming arecord -l" 'one_line_error && grep -q "arecord -l" "$W/err"'
run record --lang en --title "microphone TEST" --device speech --max-seconds 2
check "a duplicate title is refused before recording" 'one_line_error && ! grep -q "Recording from" "$W/err"'
run record --lang zz --title "X" --device speech
check "an unknown language is refused before recording" 'one_line_error && [ "$RC" = 2 ]'
check "the catalog did not change on any refusal" '[ "$before" = "$(sha256sum "$W/Audio/catalog.json")" ] && [ -z "$(find "$W/Audio/.staging" -type f)" ]'

echo "cli-catalog-record: $P passed, $F failed"
[ "$F" = 0 ]
