#!/usr/bin/env bash
# Makes the sample catalog (Audio/ by default) from English text with
# espeak-ng, through psacaster's own `add` (the project's encoder), so the
# main job runs out of the box. Reproducible: same tools give the same sound
# and manifest fields except sha256 (the encoder picks a random Ogg serial
# number per file, as RFC 7845 recommends).
#
# These are SAMPLES, titled and approved as such, with an obviously fake
# helpline number: replace them with real recordings by fluent speakers
# before any real use (README: "Field-staff workflow").
#
#   scripts/make-samples.sh [CATALOG_DIR]     (default: Audio)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-Audio}
BIN=${PSACASTER_BIN:-}
if [ -z "$BIN" ]; then
    swift build -q >/dev/null
    BIN="$(swift build --show-bin-path)/psacaster"
fi
command -v espeak-ng >/dev/null || { echo "make-samples: espeak-ng is not installed. Run scripts/setup.sh" >&2; exit 1; }

# Never overwrite a catalog that holds anything but samples.
if [ -f "$OUT/catalog.json" ] && ! python3 - "$OUT/catalog.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if all(a.get("source") == "sample" for a in d.get("announcements", [])) else 1)
PY
then
    echo "make-samples: $OUT holds real announcements; refusing to replace it. Give another folder." >&2
    exit 1
fi
rm -rf "$OUT"

export SOURCE_DATE_EPOCH=1764806400   # 2025-12-04T00:00:00Z: fixed dates in catalog.json
APPROVER="sample — replace before use"
HELPLINE="000 000 0000 (sample number)"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# sample FILE-NAME TITLE TEXT
sample() {
    espeak-ng -v en-us+f3 -s 145 -g 4 -w "$TMP/speech.wav" "$3"
    "$BIN" add "$TMP/speech.wav" --catalog "$OUT" --lang en --title "$2" --helpline "$HELPLINE" \
        --file-name "$1" --source sample --json > "$TMP/added.json"
    id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$TMP/added.json")
    "$BIN" approve "$id" --by "$APPROVER" --catalog "$OUT" >/dev/null
    echo "make-samples: $id ($(stat -c %s "$OUT/en/$1") bytes)"
}

sample info-1.opus "SAMPLE helpline announcement (replace with a real recording)" \
 "This is a sample. Replace it with a real recording. \
If someone is hurting you, or keeping your passport or your pay, you are not alone. \
Call the helpline: zero zero zero, zero zero zero zero. \
It is free and confidential."

sample info-2.opus "SAMPLE what the helpline can do (replace with a real recording)" \
 "This is a sample. Replace it with a real recording. \
The helpline can talk with you in your language, and help you find a safe place, a doctor, and legal advice. \
Call zero zero zero, zero zero zero zero."

sample info-3.opus "SAMPLE keep and share this message (replace with a real recording)" \
 "This is a sample. Replace it with a real recording. \
Keep this message on your phone, and share it with a friend who may need it. \
The helpline is free and confidential."

"$BIN" campaign create default --lang en --catalog "$OUT" >/dev/null
"$BIN" catalog verify --catalog "$OUT"
for f in "$OUT"/en/*.opus; do
    size=$(stat -c %s "$f")
    [ "$size" -lt 61440 ] || { echo "make-samples: $f is $size bytes, over 60 KB" >&2; exit 1; }
done
