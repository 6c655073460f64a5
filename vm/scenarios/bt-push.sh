# psacaster push --to ADDR: SDP finds the Object Push channel, RFCOMM connects
# from the Pi's adapter, the OBEX client delivers a real Ogg Opus
# announcement; obexd stores it byte-identical under its name.
check "a sample announcement exists" test -s "$SAMPLE_OPUS"
cp "$SAMPLE_OPUS" helpline-en.opus
T0=$(now)
psa push helpline-en.opus --to "$PHONE_ADDR_1" > push.txt 2>&1; rc=$?
timing push_sdp_connect_transfer "$(elapsed "$T0" "$(now)")"
cat push.txt
check "push exits 0 and says delivered" sh -c "[ $rc = 0 ] && grep -q '^delivered *helpline-en.opus' push.txt"
check "phone 1 stored helpline-en.opus byte-identical" test "$(sha256 helpline-en.opus)" = "$(sha256 "$(received_path 1 helpline-en.opus)")"
check "phone 1 was asked once" test "$(decisions 1 accept)" = 1
result PUSH_BYTES "$(stat -c %s helpline-en.opus)"
drain_links
# with the channel given, no SDP lookup
CH=$(sdptool -i "$PI_HCI" search --bdaddr "$PHONE_ADDR_2" OPUSH | awk '/RFCOMM/{f=1} f&&/Channel:/{print $2; exit}')
drain_links
T0=$(now)
psa push helpline-en.opus --to "$PHONE_ADDR_2@$CH" --adapter "$PI_HCI" --json > push2.json 2>push2.err; rc=$?
timing push_known_channel "$(elapsed "$T0" "$(now)")"
cat push2.json push2.err
check "push to ADDR@CHANNEL delivers (JSON)" python3 -c "
import json,sys; r=json.load(open('push2.json')); sys.exit(not ($rc==0 and r['delivered']==1 and r['objects'][0]['outcome']=='delivered'))"
check "phone 2 stored it byte-identical" test "$(sha256 helpline-en.opus)" = "$(sha256 "$(received_path 2 helpline-en.opus)")"
