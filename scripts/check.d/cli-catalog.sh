#!/usr/bin/env bash
# The catalog commands, run as staff run them, on temporary catalogs:
# the workflow, every bad input the catalog issue names, a full disk, and
# kill -9 at random moments during add/remove/approve.
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${PSACASTER_BIN:-$PWD/.build/debug/psacaster}
[ -x "$BIN" ] || { echo "cli-catalog: $BIN missing: run 'swift build' first"; exit 1; }
W=$(mktemp -d /tmp/psacaster-cli-catalog.XXXXXX)
trap 'mountpoint -q "$W/full" && umount "$W/full"; rm -rf "$W"' EXIT
export PSACASTER_CATALOG="$W/Audio"
P=0; F=0
ok()   { P=$((P + 1)); echo "  ok   $*"; }
bad()  { F=$((F + 1)); echo "  FAIL $*"; }
# check WHAT CONDITION: CONDITION is shell text, evaluated whole
check(){ if eval "$2"; then ok "$1"; else bad "$1"; fi; }
# run CMD...: sets RC, OUT, ERR
run()  { "$BIN" "$@" >"$W/out" 2>"$W/err"; RC=$?; OUT=$(cat "$W/out"); ERR=$(cat "$W/err"); }
# one line on stderr, prefixed, non-zero exit
one_line_error() { [ "$RC" -ne 0 ] && [ "$(wc -l <"$W/err")" -eq 1 ] && grep -q '^psacaster: ' "$W/err"; }
verify_ok() { "$BIN" catalog verify >/dev/null 2>"$W/verr"; }
snapshot() { (cd "$PSACASTER_CATALOG" && find . -path ./.lock -prune -o -type f -print | sort | xargs sha256sum); }

espeak-ng -w "$W/speech.wav" "This is a test announcement for the catalog checks." 2>/dev/null
espeak-ng -w "$W/speech2.wav" "A second test announcement, a little different." 2>/dev/null

echo "-- workflow"
run add "$W/speech.wav" --lang en --title "Helpline test" --helpline "000 0000"
check "add encodes a WAV" '[ "$RC" = 0 ]'
check "the file is named from the title, ASCII, .opus" '[ -f "$W/Audio/en/helpline-test.opus" ]'
check "opusinfo accepts the catalogued file" 'opusinfo "$W/Audio/en/helpline-test.opus" >/dev/null 2>&1'
run add "$W/Audio/en/helpline-test.opus" --lang VI --title "Đường dây nóng" --file-name info-vi
check "add imports an existing .opus, language canonicalised" '[ "$RC" = 0 ] && [ -f "$W/Audio/vi/info-vi.opus" ]'
run list --json
check "list --json lists both, unapproved" '[ "$(python3 -c '\''import json,sys; d=json.load(sys.stdin); print(len(d), sum(1 for a in d if "approval" in a))'\'' <<<"$OUT")" = "2 0" ]'
run list --lang vi
check "list --lang filters" '[ "$(grep -c '\''vi-'\'' <<<"$OUT")" = 1 ] && ! grep -q en-helpline <<<"$OUT"'
run campaign create fair --lang vi --lang en
check "campaign by languages" '[ "$RC" = 0 ]'
run campaign list --json
check "an unapproved announcement is never in a campaign's selection" '[ "$(python3 -c '\''import json,sys; print(json.load(sys.stdin)[0]["sends"])'\'' <<<"$OUT")" = "[]" ]'
run approve vi-uong-day-nong --by "Test speaker"
check "approve" '[ "$RC" = 0 ]'
run approve en-helpline-test
check "approve without --by is a usage error" '[ "$RC" = 2 ] && one_line_error'
run campaign list --json
check "approved announcement is selected, in language order" '[ "$(python3 -c '\''import json,sys; print(json.load(sys.stdin)[0]["sends"])'\'' <<<"$OUT")" = "['\''vi-uong-day-nong'\'']" ]'
run campaign create ids --announcement en-helpline-test --announcement vi-uong-day-nong
"$BIN" approve en-helpline-test --by "Tester" >/dev/null
run campaign list --json
check "campaign by ids keeps the given order" '[ "$(python3 -c '\''import json,sys; print([c["sends"] for c in json.load(sys.stdin) if c["name"]=="ids"][0])'\'' <<<"$OUT")" = "['\''en-helpline-test'\'', '\''vi-uong-day-nong'\'']" ]'
run campaign edit ids --announcement vi-uong-day-nong --rename ids2
check "campaign edit replaces and renames" '[ "$RC" = 0 ] && "$BIN" campaign list | grep -q '\''^ids2: announcements vi-uong-day-nong$'\'''
run unapprove vi-uong-day-nong
run show vi-uong-day-nong --json
check "unapprove drops the approval" '[ "$RC" = 0 ] && ! grep -q '\''"approval"'\'' <<<"$OUT"'
run play en-helpline-test --device null
check "play decodes and plays through aplay (ALSA null device)" '[ "$RC" = 0 ]'
run remove en-helpline-test
check "remove deletes the file and takes it out of campaigns" '[ "$RC" = 0 ] && [ ! -e "$W/Audio/en/helpline-test.opus" ] && ! grep -q en-helpline-test "$W/Audio/catalog.json"'
"$BIN" add "$W/speech.wav" --lang en --title "Helpline test" >/dev/null
run campaign remove ids2
check "campaign remove" '[ "$RC" = 0 ] && ! grep -q '\''"ids2"'\'' "$W/Audio/catalog.json"'
check "catalog verifies" 'verify_ok'

echo "-- bad input (one-line error, catalog unchanged)"
before=$(snapshot)
run add "$W/speech2.wav" --lang xx --title "X"
check "unknown language code: usage error naming codes to use" 'one_line_error && [ "$RC" = 2 ] && grep -q "not an ISO 639" "$W/err"'
run add "$W/speech2.wav" --lang Khmer --title "X"
check "language name instead of code: points at 'km'" 'one_line_error && grep -q "'\''km'\''" "$W/err"'
run add "$W/speech2.wav" --lang en-Xyzq --title "X"
check "unknown script subtag refused" 'one_line_error'
run add "$W/speech2.wav" --lang en --title "helpline   TEST"
check "duplicate title in one language refused" 'one_line_error && grep -q "already has an announcement titled" "$W/err"'
printf 'not audio at all\n' > "$W/broken.wav"
run add "$W/broken.wav" --lang en --title "Broken"
check "a recording that fails to encode" 'one_line_error'
head -c 3000 "$W/Audio/vi/info-vi.opus" > "$W/truncated.opus"
run add "$W/truncated.opus" --lang en --title "Truncated"
check "a truncated .opus is refused on import" 'one_line_error'
run add "$W/nothing.wav" --lang en --title "Missing"
check "a missing recording" 'one_line_error'
run add "$W/speech2.wav" --lang en --title "X" --file-name "../../etc/x"
check "a file name with a path is refused" 'one_line_error'
run show no-such-id
check "unknown id" 'one_line_error'
check "nothing changed and no leftovers after the refusals" '[ "$before" = "$(snapshot)" ]'

run receive --lang my
check "receive without an allowlist refuses to start" 'one_line_error && [ "$RC" = 2 ] && grep -q -- "--allow" "$W/err"'
run receive --allow 00:11:22:33:44 --lang my
check "receive with a malformed address" 'one_line_error && [ "$RC" = 2 ]'
run receive --allow 00:11:22:33:44:55 --lang xx
check "receive with an unknown language" 'one_line_error && [ "$RC" = 2 ]'

echo "-- damaged catalogs"
cp "$W/Audio/vi/info-vi.opus" "$W/keep.opus"
printf 'X' | dd of="$W/Audio/vi/info-vi.opus" bs=1 seek=500 conv=notrunc 2>/dev/null
run catalog verify
check "a tampered file fails verify" '[ "$RC" = 1 ] && grep -q "sha256" "$W/err"'
run catalog verify --repair
check "repair quarantines it and drops the entry" '[ "$RC" = 0 ] && ls "$W"/Audio/quarantine/*/vi/info-vi.opus >/dev/null 2>&1 && ! grep -q vi-uong "$W/Audio/catalog.json"'
check "verify passes after repair" 'verify_ok'
"$BIN" add "$W/keep.opus" --lang vi --title "Again" >/dev/null
rm "$W/Audio/vi/again.opus"
run catalog verify --json
check "a missing file fails verify (--json reports it)" '[ "$RC" = 1 ] && grep -q '\''"missing"'\'' <<<"$OUT"'
"$BIN" catalog verify --repair >/dev/null; check "repair of a missing file" verify_ok

cp "$W/Audio/catalog.json" "$W/good.json"
python3 - "$W/Audio/catalog.json" <<'PY'
import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["version"]=99; json.dump(d,open(p,"w"))
PY
newer=$(sha256sum <"$W/Audio/catalog.json")
run list
check "a manifest from a newer version: clear error" 'one_line_error && grep -q "Upgrade psacaster" "$W/err"'
run add "$W/speech2.wav" --lang en --title "Newer"
check "add refuses to touch a newer manifest" 'one_line_error && [ "$newer" = "$(sha256sum <"$W/Audio/catalog.json")" ]'
run catalog verify --repair
check "repair refuses a newer manifest and leaves it" '[ "$RC" = 1 ] && [ "$newer" = "$(sha256sum <"$W/Audio/catalog.json")" ]'
cp "$W/good.json" "$W/Audio/catalog.json"

sed -i 's/"announcements" : \[/"announcements" : [[,/' "$W/Audio/catalog.json"
run list
check "hand-edited invalid JSON: clear error naming the fix" 'one_line_error && grep -q "not valid JSON" "$W/err"'
run approve en-helpline-test --by X
check "writers refuse an invalid manifest" 'one_line_error'
run catalog verify --repair
check "repair restores the last manifest psacaster wrote" '[ "$RC" = 0 ] && cmp -s "$W/good.json" "$W/Audio/catalog.json" && ls "$W"/Audio/quarantine/*/catalog.json >/dev/null 2>&1'
check "verify passes after restoring" 'verify_ok'

echo "-- concurrent writers"
for i in 1 2 3 4 5 6; do "$BIN" add "$W/keep.opus" --lang th --title "Parallel $i" >/dev/null 2>&1 & done; wait
n=$("$BIN" list --lang th --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check "six parallel adds all land (lock serialises writers)" '[ "$n" = 6 ]'
check "catalog verifies after parallel adds" 'verify_ok'

echo "-- full disk"
mkdir -p "$W/full"
if mount -t tmpfs -o size=120k tmpfs "$W/full" 2>/dev/null; then
    export PSACASTER_CATALOG="$W/full/Audio"
    i=0; last=0
    while [ $i -lt 20 ]; do
        i=$((i + 1)); run add "$W/keep.opus" --lang en --title "Fill $i"; last=$RC
        [ "$RC" = 0 ] || break
    done
    check "the disk filled up with a one-line 'disk is full' error" '[ "$last" != 0 ] && one_line_error && grep -q "full" "$W/err"'
    check "the catalog on the full disk still verifies" 'verify_ok'
    run approve en-fill-1 --by X
    check "approve on a full disk either works or fails with one clear line" '[ "$RC" = 0 ] || { one_line_error && grep -q "full" "$W/err"; }'
    check "…and the catalog still verifies" 'verify_ok'
    export PSACASTER_CATALOG="$W/Audio"
    umount "$W/full"
else
    echo "  skip full-disk test: cannot mount tmpfs here (needs root)"
fi

echo "-- kill -9 at random moments"
export PSACASTER_CATALOG="$W/kill/Audio"
"$BIN" add "$W/keep.opus" --lang en --title "Base" >/dev/null
kills=0; broken=0; N=${KILL_ROUNDS:-30}
for round in $(seq 1 "$N"); do
    case $((RANDOM % 3)) in
        0) if [ $((RANDOM % 2)) = 0 ]; then src="$W/speech.wav"; else src="$W/keep.opus"; fi
           "$BIN" add "$src" --lang en --title "Round $round" >/dev/null 2>&1 & ;;
        1) id=$("$BIN" list --json | python3 -c 'import json,sys,random; d=json.load(sys.stdin); print(random.choice(d)["id"] if d else "none")')
           "$BIN" remove "$id" >/dev/null 2>&1 & ;;
        2) id=$("$BIN" list --json | python3 -c 'import json,sys,random; d=json.load(sys.stdin); print(random.choice(d)["id"] if d else "none")')
           "$BIN" approve "$id" --by "Round $round" >/dev/null 2>&1 & ;;
    esac
    pid=$!
    sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
    if ! "$BIN" catalog verify >/dev/null 2>"$W/verr"; then broken=$((broken + 1)); echo "    round $round: $(cat "$W/verr")"; fi
done
echo "  ($N rounds, $kills killed mid-command)"
check "catalog valid after every kill -9 ($N rounds)" '[ "$broken" = 0 ]'
run catalog verify --repair
check "repair sweeps what the kills left behind" '[ "$RC" = 0 ] && [ -z "$(find "$W/kill/Audio" -name '\''.psacaster-tmp-*'\'' -o -path '\''*/.staging/*'\'' -type f)" ]'

echo "cli-catalog: $P passed, $F failed"
[ "$F" = 0 ]
