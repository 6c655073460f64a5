# No Object Push anywhere (obexd stopped, so bluetoothd publishes no OPP
# record and drops the Object Transfer class bit): scan says the phone cannot
# receive, and push ends with "cannot receive" after SDP, without an OBEX session.
obexd_stop
psa scan --duration 1 --json > scan.json 2> scan.err || fail "scan: $(cat scan.err)"
check "scan: phone 1 can no longer receive" python3 -c "
import json,sys; d=[x for x in json.load(open('scan.json')) if x['address']=='$PHONE_ADDR_1']; sys.exit(not (d and not d[0]['canReceive']))"
drain_links
cp "$SAMPLE_OPUS" helpline-en.opus
T0=$(now)
psa push helpline-en.opus --to "$PHONE_ADDR_1" > push.txt 2>&1; rc=$?
timing no_opp_push_answer "$(elapsed "$T0" "$(now)")"
cat push.txt
check "push exits 1: cannot receive" sh -c "[ $rc = 1 ] && grep -q 'cannot receive files' push.txt && grep -q '^not-attempted' push.txt"
