# The harness itself, with BlueZ's own tools only (no psacaster): the Pi finds
# the phones by inquiry, finds their Object Push channel, pushes with obexd's
# client; phone 1 accepts (byte-identical), phone 2 declines.
T0=$(now)
hcitool -i "$PI_HCI" inq --flush --length=2 > inq.txt 2>&1
timing harness_inquiry "$(elapsed "$T0" "$(now)")"
cat inq.txt
for i in $(seq 1 "$PHONE_COUNT"); do
    check "inquiry finds phone $i" grep -qi "$(phone_var ADDR $i)" inq.txt
done
check "phone 1 has class Phone/Smartphone with Object Transfer" grep -qi "$PHONE_ADDR_1.*class: 0x10020c" inq.txt
T0=$(now)
sdptool -i "$PI_HCI" search --bdaddr "$PHONE_ADDR_1" OPUSH > sdp.txt 2>&1
timing harness_sdp "$(elapsed "$T0" "$(now)")"
CH=$(awk '/RFCOMM/{f=1} f&&/Channel:/{print $2; exit}' sdp.txt)
check "SDP gives phone 1's OPP channel" test -n "$CH"
drain_links
head -c 65536 /dev/urandom > /tmp/smoke.bin
T0=$(now)
DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS python3 "$VM_DIR/guest/obex-client-push.py" "$PHONE_ADDR_1" /tmp/smoke.bin "$PI_ADDR" 60
timing harness_push_64k "$(elapsed "$T0" "$(now)")"
check "phone 1 stored the file byte-identical" test "$(sha256 /tmp/smoke.bin)" = "$(sha256 "$(received_path 1 smoke.bin)")"
drain_links
if [ "$PHONE_COUNT" -ge 2 ]; then
    phone_behaviour 2 decline
    DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS python3 "$VM_DIR/guest/obex-client-push.py" "$PHONE_ADDR_2" /tmp/smoke.bin "$PI_ADDR" 60 && fail "phone 2 should decline"
    check "phone 2 declined once" test "$(decisions 2 decline)" = 1
    check "phone 2 stored nothing" test ! -e "$(received_path 2 smoke.bin)"
fi
