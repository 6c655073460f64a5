#!/usr/bin/env bash
# bench/encode: psacaster encode vs opusenc on the same 30 s speech input, both
# at 16 kbps. Prints size ratio, wall-time ratio, PESQ-WB / STOI of each
# decode, and peak memory for a 5-minute input.
#
#   bench/encode/run.sh            (from the repository root; ~2 min)
#   RUNS=5 bench/encode/run.sh     timing repetitions (median)
#
# Targets (issue 2): size <= opusenc best-speech flags at PESQ-WB within 0.05,
# wall time <= opusenc's, peak RSS <= 30 MB for a 5-minute input.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out/encode
RUNS=${RUNS:-5}
mkdir -p "$OUT"

echo "bench/encode: building psacaster (release)"
swift build -c release --product psacaster > "$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log"; exit 1; }
BIN=$(swift build -c release --show-bin-path)/psacaster

VENV=$ROOT/bench/.venv
if [ ! -x "$VENV/bin/python" ]; then
    echo "bench/encode: creating $VENV (pesq, pystoi from PyPI)"
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import pesq, pystoi, scipy" 2>/dev/null || "$VENV/bin/python" -m pip install -q pesq pystoi scipy numpy

# The input: ~30 s of multilingual synthetic speech (vi, th, my: languages
# espeak-ng speaks that the outreach serves), 16 kHz mono, like research §2.
if [ ! -f "$OUT/speech30.wav" ]; then
    espeak-ng -v vi -w "$OUT/p1.wav" "Đường dây nóng miễn phí và bí mật. Gọi số một hai ba bốn, ngày hay đêm. Chúng tôi nói tiếng Việt."
    espeak-ng -v th -w "$OUT/p2.wav" "สายด่วนฟรีและเป็นความลับ โทรหนึ่งสองสามสี่ ได้ทั้งกลางวันและกลางคืน"
    espeak-ng -v my -w "$OUT/p3.wav" "အခမဲ့ အကူအညီ ဖုန်းလိုင်း။ တစ် နှစ် သုံး လေး ကို ခေါ်ပါ။"
    espeak-ng -v vi -w "$OUT/p4.wav" "Nếu bạn gặp nguy hiểm, hãy gọi cho chúng tôi. Bạn không cô đơn."
    sox "$OUT/p1.wav" "$OUT/p2.wav" "$OUT/p3.wav" "$OUT/p4.wav" "$OUT/p1.wav" "$OUT/p2.wav" -r 16000 -b 16 "$OUT/cat.wav" pad 0 0.3
    sox "$OUT/cat.wav" "$OUT/speech30.wav" trim 0 30 pad 0 30 trim 0 30
fi
# 5 minutes for the memory figure.
[ -f "$OUT/speech300.wav" ] || sox "$OUT/speech30.wav" "$OUT/speech300.wav" repeat 9

BEST="--speech --framesize 40 --set-ctl-int 4000=2048 --set-ctl-int 4004=1103"
declare -A CMD
CMD[opusenc-default]="opusenc --quiet --bitrate 16 $OUT/speech30.wav $OUT/opusenc-default.opus"
CMD[opusenc-best]="opusenc --quiet --bitrate 16 $BEST $OUT/speech30.wav $OUT/opusenc-best.opus"
CMD[psacaster-plain]="$BIN encode $OUT/speech30.wav -o $OUT/psacaster-plain.opus --no-trim --no-loudness -q"
CMD[psacaster-loud]="$BIN encode $OUT/speech30.wav -o $OUT/psacaster-loud.opus --no-trim -q"
CMD[psacaster-full]="$BIN encode $OUT/speech30.wav -o $OUT/psacaster-full.opus -q"
ORDER="opusenc-default opusenc-best psacaster-plain psacaster-loud psacaster-full"

"$VENV/bin/python" - "$OUT" "$RUNS" "$ORDER" <<PY
import json, os, shlex, statistics, subprocess, sys, time
import numpy as np
from scipy.io import wavfile
from pesq import pesq
from pystoi import stoi
out, runs, order = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
cmds = {
$(for k in $ORDER; do printf '    "%s": %s,\n' "$k" "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "${CMD[$k]}")"; done)
}
rate, ref = wavfile.read(f"{out}/speech30.wav")
ref = ref.astype(np.float64) / 32768
rows = {}
for name in order:
    times = []
    for _ in range(runs):
        t = time.perf_counter(); subprocess.run(shlex.split(cmds[name]), check=True); times.append(time.perf_counter() - t)
    path = f"{out}/{name}.opus"
    subprocess.run(["opusinfo", path], check=True, stdout=subprocess.DEVNULL)
    dec = f"{out}/{name}.wav"
    subprocess.run(["opusdec", "--quiet", "--float", "--rate", "16000", path, dec], check=True)
    _, deg = wavfile.read(dec)
    deg = deg.astype(np.float64)
    n = min(len(ref), len(deg))
    row = {"bytes": os.path.getsize(path), "seconds": statistics.median(times), "samples": len(deg)}
    if name != "psacaster-full":     # trimmed: not time-aligned with the input
        row["pesq_wb"] = pesq(16000, ref[:n], deg[:n], "wb")
        row["stoi"] = stoi(ref[:n], deg[:n], 16000, extended=False)
    rows[name] = row
best, plain = rows["opusenc-best"], rows["psacaster-plain"]
print()
print(f"{'encoder (16 kbps, 30 s input)':32} {'bytes':>7} {'time s':>7} {'PESQ-WB':>8} {'STOI':>6} {'samples':>8}")
for name in order:
    r = rows[name]
    print(f"{name:32} {r['bytes']:7d} {r['seconds']:7.3f} {r.get('pesq_wb', float('nan')):8.3f} {r.get('stoi', float('nan')):6.3f} {r['samples']:8d}")
print()
print(f"size ratio  psacaster-plain / opusenc-best    = {plain['bytes'] / best['bytes']:.3f}   (target <= 1)")
print(f"size ratio  psacaster-plain / opusenc-default = {plain['bytes'] / rows['opusenc-default']['bytes']:.3f}")
print(f"time ratio  psacaster-plain / opusenc-best    = {plain['seconds'] / best['seconds']:.3f}   (target <= 1)")
print(f"time ratio  psacaster-full  / opusenc-best    = {rows['psacaster-full']['seconds'] / best['seconds']:.3f}   (3 passes: analyse, limiter trials, encode + decode check)")
print(f"PESQ-WB     psacaster-plain - opusenc-best    = {plain['pesq_wb'] - best['pesq_wb']:+.3f}   (target >= -0.05)")
json.dump(rows, open(f"{out}/results.json", "w"), indent=1)
PY

echo
for args in "-q" "--no-trim --no-loudness -q"; do
    /usr/bin/time -v "$BIN" encode "$OUT/speech300.wav" -o "$OUT/long.opus" $args 2> "$OUT/time.log" >/dev/null
    echo "peak RSS, 5-minute input, psacaster encode $args: $(awk '/Maximum resident/ {printf "%.1f MB", $6/1024}' "$OUT/time.log")   (target <= 30 MB)"
done
/usr/bin/time -v opusenc --quiet --bitrate 16 $BEST "$OUT/speech300.wav" "$OUT/long-opusenc.opus" 2> "$OUT/time.log"
echo "peak RSS, 5-minute input, opusenc best flags: $(awk '/Maximum resident/ {printf "%.1f MB", $6/1024}' "$OUT/time.log")"
