# psacaster broadcast, the unattended service, against the real BlueZ stack.
# Needs 5 phones (vm/run.sh --phones 5 broadcast). One service run through
# three phases, phones appearing over time, one transfer at a time (the
# emulator breaks concurrent links):
#   1. phone 1 accepts, phone 2 declines, phone 3 walks away mid-transfer;
#   2. no phone has Object Push (obexd stopped); phone 4 appears: skipped;
#   3. Object Push back; phone 5 takes its time to decide: SIGTERM then.
# Then: each file once and byte-identical, the decliner asked once, phone 4
# never connected for a push, status counts, no address or name anywhere.
[ "$PHONE_COUNT" -ge 5 ] || fail "needs --phones 5"
CATALOG="$VM_REPO/Audio"
STATE="$SCENARIO_OUT/state"
# at_least N accept|decline|[a-z]* COUNT: phone N was asked at least COUNT times (wait_for runs functions, sh -c would not see them)
at_least() { [ "$(decisions "$1" "$2")" -ge "$3" ]; }
mkdir -p "$STATE"
for i in 2 3 4 5; do phone_discoverable "$i" off; done
phone_behaviour 2 decline
cat > psacaster.json <<JSON
{ "catalog": "$CATALOG", "stateDirectory": "$STATE", "adapters": ["$PI_HCI"],
  "transfersPerAdapter": 1, "linkGapSeconds": 4, "scanSeconds": 2.5, "scanPauseSeconds": 0.5,
  "connectTimeoutSeconds": 15, "answerTimeoutSeconds": 30, "packetTimeoutSeconds": 10,
  "retryBackoffSeconds": 5, "statsFlushSeconds": 2, "visibleName": "Info Point", "logLevel": "debug" }
JSON
FILES=$(python3 -c "
import json; m=json.load(open('$CATALOG/catalog.json'))
print(' '.join(a['file'] for a in m['announcements'] if a.get('approval')))")
NFILES=$(echo $FILES | wc -w)
log "campaign files: $FILES"

T0=$(now)
"$PSACASTER" broadcast --config psacaster.json > service.out 2> service.log &
SVC=$!
status_json() { psa status --state-dir "$STATE" --json > "$1" 2> status.err; }
count() { python3 -c "import json,sys; print(json.load(open('$1'))['totals']['$2'])"; }

# ---- phase 1
wait_for 120 at_least 1 accept "$NFILES" || fail "phone 1 did not get the campaign: $(tail -5 service.log)"
timing discoverable_to_delivered_all "$(elapsed "$T0" "$(now)")"
for f in $FILES; do
    n=$(basename "$f")
    check "phone 1 got $n byte-identical" test "$(sha256 "$(received_path 1 "$n")")" = "$(sha256 "$CATALOG/$f")"
done
phone_discoverable 2 on
wait_for 120 at_least 2 decline 1 || fail "phone 2 was not asked"
# phone 3's user takes her time; the phone walks out of range while the
# service waits for her answer (the announcements are too small to catch
# a link drop between their packets reliably)
phone_behaviour 3 delay:40
phone_discoverable 3 on
wait_for 120 grep -q 'phone #3: offering' service.log || fail "phone 3 was not offered anything"
sleep 4
phone_power 3 off
log "phone 3 powered off while its user was deciding"
T3=$(now)
wait_for 60 grep -q 'phone #3: failed' service.log || fail "the service did not notice phone 3 going away"
timing walked_away_detected "$(elapsed "$T3" "$(now)")"
# several more scan rounds: nothing new may be offered
ROUNDS0=$(grep -c 'scan found' service.log)
wait_for 60 sh -c "[ \$(grep -c 'scan found' service.log) -ge $((ROUNDS0 + 5)) ]" || fail "scanning stopped"
check "phone 1 was asked exactly once per file" test "$(decisions 1)" = "$NFILES"
check "phone 2 was asked once, declined" test "$(decisions 2)" = 1
status_json status1.json || fail "status: $(cat status.err)"
cat status1.json
check "status: running, 1 phone served, 1 declined, phone 3 failed" python3 -c "
import json,sys; s=json.load(open('status1.json')); t=s['totals']
sys.exit(not (s['running'] and t['delivered']==1 and t['declined']==1 and t['failed']>=1 and (t['seen']==3 or (len(s['hours'])>1 and t['seen']>=3))
              and s['announcements']['en-sample-helpline-announcement']['delivered']==1))"

# ---- phase 2: nobody can receive
obexd_stop
phone_discoverable 4 on
wait_for 90 sh -c "grep -q 'cannot receive' service.log" || fail "phone 4 not recognised as unable to receive"
# the counts reach stats.json at the next flush (statsFlushSeconds), not with the log line
counted() { status_json "$1" && [ "$(count "$1" "$2")" -ge "$3" ]; }
wait_for 15 counted status2.json cannotReceive 1 || log "cannotReceive not counted within 15 s"
check "status: one phone cannot receive" test "$(count status2.json cannotReceive)" = 1
obexd_start || fail "obexd did not come back"

# ---- phase 3: SIGTERM while phone 5's user decides
phone_behaviour 5 delay:60
phone_discoverable 5 on
wait_for 120 sh -c "python3 -c \"import json,sys; sys.exit(json.load(open('$STATE/live.json'))['transfersInProgress']!=1)\" 2>/dev/null && grep -q 'phone #5: offering' service.log" \
    || fail "no transfer to phone 5: $(tail -5 service.log)"
sleep 3
check "phone 4 was never connected for a push" test "$(decisions 4)" = 0
T1=$(now)
kill -TERM "$SVC"
wait_for 15 sh -c "! kill -0 $SVC" || fail "the service did not stop within 15 s"
wait "$SVC"; RC=$?
STOP=$(elapsed "$T1" "$(now)")
timing sigterm_to_exit "$STOP"
check "SIGTERM: clean exit 0 within 8 s under emulation (took $STOP s)" sh -c "[ $RC = 0 ] && awk -v t=$STOP 'BEGIN{exit !(t < 8)}'"
check "no live state left" test ! -e "$STATE/live.json"
status_json status3.json
cat status3.json
check "final counts: seen 5, served 1, declined 1, cannot receive 1" python3 -c "
import json,sys; s=json.load(open('status3.json')); t=s['totals']
sys.exit(not ((t['seen']==5 or (len(s['hours'])>1 and t['seen']>=5)) and t['delivered']==1 and t['declined']==1 and t['cannotReceive']==1 and not json.load(open('status3.json'))['running']))"
check "phone 5 got nothing" test -z "$(ls "$RECV_ROOT/phone-5/" 2>/dev/null)"
check "decliner still asked only once" test "$(decisions 2)" = 1
cat service.log

# ---- privacy: nothing the service wrote or logged names a phone
python3 - "$STATE" service.log service.out status1.json status2.json status3.json <<'PY' || fail "a phone identifier leaked"
import os, sys
texts = []
for p in sys.argv[1:]:
    paths = [os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs] if os.path.isdir(p) else [p]
    for q in paths:
        texts.append((q, open(q, 'rb').read().decode('utf-8', 'replace').lower()))
bad = 0
for i in range(1, int(os.environ['PHONE_COUNT']) + 1):
    addr = os.environ['PHONE_ADDR_%d' % i].lower().split(':')
    forms = set()
    for b in (addr, addr[::-1]):
        for sep in (':', '-', '', '_', ' ', '.'):
            forms.add(sep.join(b))
    forms.add(os.environ['PHONE_NAME_%d' % i].lower())
    for q, t in texts:
        for f in forms:
            if f in t:
                print('LEAK: %s contains %r' % (q, f)); bad += 1
print('privacy audit: %d files, %d phones, %d leaks' % (len(texts), int(os.environ['PHONE_COUNT']), bad))
sys.exit(1 if bad else 0)
PY
result broadcast_files "$NFILES"
