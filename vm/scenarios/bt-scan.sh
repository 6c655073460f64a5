# psacaster adapters / scan against the real stack: the Pi lists its
# controllers, sets itself up for silent pairing, finds every phone by inquiry
# with RSSI, class, name and can-receive; errors name their fix.
psa adapters > adapters.txt 2>&1 || fail "adapters: $(cat adapters.txt)"
cat adapters.txt
check "adapters lists the Pi up" grep -q "^hci0 *$PI_ADDR *up" adapters.txt
check "adapters lists phone 1 by name" grep -q "^hci1 .*phone-1" adapters.txt
psa adapters --json > adapters.json || fail "adapters --json"
check "adapters --json is valid and complete" python3 -c "
import json,sys; a=json.load(open('adapters.json')); sys.exit(not (len(a)==$PHONE_COUNT+1 and a[0]['address']=='$PI_ADDR' and a[0]['powered']))"

psa adapters --setup --name "Info Point" > setup.txt 2>&1 || fail "adapters --setup: $(cat setup.txt)"
cat setup.txt
btmgmt --index 0 info > pi-info.txt 2>&1
check "the Pi's visible name is set" grep -q "name Info Point" pi-info.txt
check "the Pi is not bondable" sh -c "grep 'current settings' pi-info.txt | grep -vq bondable"

T0=$(now)
psa scan --duration 2.5 --json > scan.json 2> scan.err || fail "scan: $(cat scan.err)"
timing scan_2_5s "$(elapsed "$T0" "$(now)")"
cat scan.json
for i in $(seq 1 "$PHONE_COUNT"); do
    check "scan finds phone $i: class Phone/Smartphone + Object Transfer, RSSI, name, can receive" python3 -c "
import json,sys
d=[x for x in json.load(open('scan.json')) if x['address']=='$(phone_var ADDR $i)']
sys.exit(not (d and d[0]['class']==0x10020c and d[0]['rssi']==-60 and d[0]['name']=='phone-$i' and d[0]['canReceive']))"
done
psa scan --duration 1 > scan.txt 2>&1 || fail "scan table: $(cat scan.txt)"
cat scan.txt
check "the table shows phone 1 as Phone/Smartphone that can receive" grep -q "$PHONE_ADDR_1 *-60 *Phone/Smartphone (0x10020c) *yes *phone-1" scan.txt

psa scan --adapter hci9 > err.txt 2>&1; rc=$?
cat err.txt
check "unknown adapter: exit 1, names the adapters" sh -c "[ $rc = 1 ] && grep -q 'there is no adapter hci9 (found: hci0' err.txt"
btmgmt --index "$PHONE_INDEX_1" power off >/dev/null
psa scan --adapter "$PHONE_HCI_1" > err.txt 2>&1; rc=$?
cat err.txt
check "powered-off adapter: exit 1, says how to power it on" sh -c "[ $rc = 1 ] && grep -q 'powered off. Power it on' err.txt"
phone_power 1 on
