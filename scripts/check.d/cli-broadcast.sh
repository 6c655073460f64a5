#!/usr/bin/env bash
# psacaster broadcast / status as a process: config errors, --simulate runs,
# SIGHUP reload, SIGTERM during transfers, status output. (The rules, the
# concurrency and the privacy audit are in the Swift tests.)
set -uo pipefail
cd "$(dirname "$0")/../.."
PSA=$PWD/.build/debug/psacaster
[ -x "$PSA" ] || swift build >/dev/null 2>&1 || { echo "cli-broadcast: swift build failed"; exit 1; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
ok()  { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# 1. mistakes: one line, the right exit code
echo '{"transfersPerAdapter": 9}' > "$T/bad.json"
"$PSA" broadcast --config "$T/bad.json" > "$T/out" 2> "$T/err"; rc=$?
check "bad config: exit 1, one line naming the setting" sh -c "[ $rc = 1 ] && [ \$(wc -l < '$T/err') = 1 ] && grep -q \"'transfersPerAdapter' must be a number from 1 to 7\" '$T/err'"
"$PSA" broadcast --simulate acept=2 > "$T/out" 2> "$T/err"; rc=$?
check "bad --simulate: exit 2 with a hint" sh -c "[ $rc = 2 ] && grep -q \"did you mean 'accept'\" '$T/err'"
"$PSA" broadcast --catalog "$T/none" --simulate accept=1 --state-dir "$T/s0" > "$T/out" 2> "$T/err"; rc=$?
check "missing catalog: exit 1, says where" sh -c "[ $rc = 1 ] && grep -q 'no catalog at' '$T/err'"

# 2. a whole simulated run ends by itself; status agrees
"$PSA" broadcast --simulate accept=3,decline=1,noopp=1,decide=0.1-0.3 --catalog Audio --state-dir "$T/s1" > "$T/out" 2> "$T/err"; rc=$?
check "simulated run: exit 0" test "$rc" = 0
check "summary: 3 phones got the 3 files" sh -c "[ \$(grep -c 'info-1.opus ([0-9]* KB), info-2.opus ([0-9]* KB), info-3.opus ([0-9]* KB)' '$T/out') = 3 ]"
check "one log line per outcome" sh -c "[ \$(grep -c ': delivered 3 of 3' '$T/err') = 3 ] && [ \$(grep -c ': declined' '$T/err') = 1 ]"
"$PSA" status --state-dir "$T/s1" --json > "$T/status.json"
check "status --json counts" python3 -c "
import json,sys; s=json.load(open('$T/status.json')); t=s['totals']
sys.exit(not (not s['running'] and t['delivered']==3 and t['declined']==1 and t['cannotReceive']==1 and s['announcements']['en-sample-keep-and-share-this']['delivered']==3))"
"$PSA" status --state-dir "$T/s1" > "$T/status.txt"
check "status text" grep -q "seen 5  offered 4  served 3  declined 1  failed 0  cannot receive 1" "$T/status.txt"

# 3. SIGHUP reloads; SIGTERM during transfers ends quickly and cleanly
cp -r Audio "$T/Audio"
cat > "$T/cfg.json" <<JSON
{"catalog": "Audio", "stateDirectory": "s2", "campaign": {"announcements": ["en-sample-helpline-announcement"]},
 "answerTimeoutSeconds": 120, "statsFlushSeconds": 1}
JSON
"$PSA" broadcast --config "$T/cfg.json" --simulate accept=6,decide=60,scan=0.1 > "$T/out2" 2> "$T/err2" &
pid=$!
for _ in $(seq 100); do grep -q '"transfersInProgress" : 4' "$T/s2/live.json" 2>/dev/null && break; sleep 0.1; done
"$PSA" status --state-dir "$T/s2" > "$T/live.txt"
check "status while running shows 4 transfers" grep -q "Transfers in progress: 4 (up to 4 per adapter)" "$T/live.txt"
cp "$T/cfg.json" "$T/cfg.good"
echo '{"scanSeconds": "soon"}' > "$T/cfg.json"
kill -HUP $pid
for _ in $(seq 50); do grep -q 'keeping the running settings' "$T/err2" && break; sleep 0.1; done
check "SIGHUP with a broken config: error logged, running settings kept" grep -q "reload requested: config .*'scanSeconds' must be a number.*keeping the running settings" "$T/err2"
cp "$T/cfg.good" "$T/cfg.json"
sed -i 's/"announcements": \["en-sample-helpline-announcement"\]/"languages": ["en"]/' "$T/cfg.json"
kill -HUP $pid
for _ in $(seq 50); do grep -q 'reload requested: campaign' "$T/err2" && break; sleep 0.1; done
check "SIGHUP reloads config and catalog" grep -q "reload requested: campaign 'config' with 3 announcement(s)" "$T/err2"
start=$(date +%s%N)
kill -TERM $pid; wait $pid; rc=$?
took=$(python3 -c "print(round(($(date +%s%N) - $start) / 1e9, 2))")
check "SIGTERM during 4 transfers: exit 0 in under 5 s (took ${took}s)" sh -c "[ $rc = 0 ] && python3 -c 'import sys; sys.exit(not $took < 5)'"
check "counts flushed, live state removed" sh -c "python3 -c \"import json; assert json.load(open('$T/s2/stats.json'))['hours'][0]['phones']['offered']==4\" && [ ! -e '$T/s2/live.json' ]"

echo "cli-broadcast: $fails failure(s)"
[ "$fails" = 0 ]
