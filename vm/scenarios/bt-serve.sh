# Interop the other way: obexd's own client (as a phone) pushes to our OBEX
# server listening on RFCOMM, with the SDP record we register.
# btvirt quirk: when a controller pairs with one of LOWER index, the Auth
# Complete event goes to the wrong side and the link stalls, so a phone -> Pi
# transfer is tested with our server on the highest controller (SERVE_HCI)
# and phone 1 sending.
SERVE_N=$PHONE_COUNT
SERVE_HCI=$(phone_var HCI "$SERVE_N"); SERVE_ADDR=$(phone_var ADDR "$SERVE_N")
mkdir -p inbox
cp "$SAMPLE_OPUS" field-recording.opus
psa serve-obex --bluetooth --adapter "$SERVE_HCI" --dir "$SCENARIO_OUT/inbox" --once > serve.out 2> serve.err &
SERVER=$!
wait_for 20 grep -q "listening on $SERVE_HCI RFCOMM channel" serve.err || fail "server did not start: $(cat serve.err)"
CH=$(sed -n "s/.*RFCOMM channel \([0-9]*\).*/\1/p" serve.err)
log "our server listens on channel $CH"
sdptool browse local > sdp-local.txt 2>&1
check "our Object Push record is published with our channel" python3 -c "
import re,sys
recs=open('sdp-local.txt').read().split('Service Name:')
sys.exit(not any('OBEX Object Push' in r and re.search(r'Channel: $CH\b', r) for r in recs))"
T0=$(now)
DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS python3 "$VM_DIR/guest/obex-client-push.py" "$SERVE_ADDR" "$SCENARIO_OUT/field-recording.opus" "$PHONE_ADDR_1" 60 "$CH" > client.txt 2>&1
crc=$?
timing serve_obexd_client_push "$(elapsed "$T0" "$(now)")"
cat client.txt
wait_for 10 sh -c "! kill -0 $SERVER" || kill "$SERVER"
cat serve.out serve.err
check "obexd's client reports complete" test "$crc" = 0
check "our server stored it byte-identical" test "$(sha256 field-recording.opus)" = "$(sha256 inbox/field-recording.opus)"
check "our server printed no phone address" sh -c "! grep -qi '$PHONE_ADDR_1' serve.out serve.err"
