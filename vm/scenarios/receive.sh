# receive: a staff phone beams a recording to the Pi with obexd's own OBEX
# client over RFCOMM. The allowlisted phone (1) delivers and the recording
# lands in the catalog's inbox, unapproved; a phone not on the allowlist (2)
# is refused; nothing psacaster prints holds either phone's address.
# btvirt quirk (vm/README.md): a phone -> Pi link only works towards a
# controller of higher index, so "the Pi" here is the highest controller.
SERVE_HCI=$(phone_var HCI "$PHONE_COUNT"); SERVE_ADDR=$(phone_var ADDR "$PHONE_COUNT")
CAT=$SCENARIO_OUT/Audio
# An Ogg Opus recording (the import path of add): encoding a WAV under TCG
# with a debug build takes minutes; the encode path of receive is covered by
# ReceiveInboxTests on the host.
cp "$SAMPLE_OPUS" field-recording.opus || fail "no sample recording from the harness"
"$PSACASTER" receive --catalog "$CAT" --lang en --allow "$PHONE_ADDR_1" --adapter "$SERVE_HCI" --for 240 > receive.out 2> receive.err &
RPID=$!
wait_for 20 grep -q "Receiving on" receive.out || fail "receive did not start: $(cat receive.err)"
CH=$(sed -n 's/.*RFCOMM channel \([0-9]*\).*/\1/p' receive.out)
log "psacaster receive listens on RFCOMM channel $CH"
sdptool browse local > sdp.txt 2>&1
check "our Object Push record is in SDP with channel $CH" \
    awk -v ch="$CH" '/^Service Name/{name=$0} /Channel:/{ if ($2 == ch && name ~ /OBEX Object Push/) found=1 } END{exit !found}' sdp.txt

drain_links
T0=$(now)
DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS python3 "$VM_DIR/guest/obex-client-push.py" "$SERVE_ADDR" "$SCENARIO_OUT/field-recording.opus" "$PHONE_ADDR_2" 60 "$CH" > push2.txt 2>&1
rc2=$?
cat push2.txt
check "phone 2 (not on the allowlist) is refused" test "$rc2" != 0
wait_for 10 grep -q "Refused a device" receive.out
check "receive reports the refusal without an address" grep -q "Refused a device that is not on the allowlist" receive.out
check "nothing from phone 2 entered the catalog" test ! -e "$CAT/catalog.json"

drain_links
T0=$(now)
DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS python3 "$VM_DIR/guest/obex-client-push.py" "$SERVE_ADDR" "$SCENARIO_OUT/field-recording.opus" "$PHONE_ADDR_1" 90 "$CH" > push1.txt 2>&1
rc1=$?
cat push1.txt
check "phone 1 (allowlisted) delivers" test "$rc1" = 0 || { cat receive.out receive.err; kill -0 "$RPID" || log "receive is no longer running"; }
wait_for 90 grep -q "added as" receive.out || fail "the recording was not added: $(cat receive.err)"
timing receive_push_and_add "$(elapsed "$T0" "$(now)")"
"$PSACASTER" list --catalog "$CAT" --json > list.json
check "the recording is in the inbox: source received, unapproved" \
    python3 -c 'import json,sys; d=json.load(open("list.json")); sys.exit(0 if len(d)==1 and d[0]["source"]=="received" and "approval" not in d[0] and d[0]["title"]=="field-recording (received)" else 1)'
check "the catalog verifies" "$PSACASTER" catalog verify --catalog "$CAT"
kill -INT "$RPID"; wait "$RPID"
check "receive stops cleanly on SIGINT" test $? = 0
cat receive.out receive.err
for n in 1 2; do
    a=$(phone_var ADDR "$n")
    for form in "$a" "${a//:/}" "${a//:/-}"; do
        check "no trace of phone $n's address ($form) in what receive printed or stored" \
            bash -c "! grep -rqi -- '$form' receive.out receive.err '$CAT'"
    done
done
drain_links
