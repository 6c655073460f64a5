# The demo (scripts/demo.sh on a machine without Bluetooth): the broadcast
# service with the sample catalog against 3 virtual phones that appear one
# after another; phone 2's user declines. Writes demo.txt: what each phone got.
CATALOG="${DEMO_CATALOG:-$VM_REPO/Audio}"
STATE="$SCENARIO_OUT/state"
# at_least N accept|decline|[a-z]* COUNT: phone N was asked at least COUNT times (wait_for runs functions, sh -c would not see them)
at_least() { [ "$(decisions "$1" "$2")" -ge "$3" ]; }
mkdir -p "$STATE"
for i in $(seq 2 "$PHONE_COUNT"); do phone_discoverable "$i" off; done
phone_behaviour 2 decline
cat > psacaster.json <<JSON
{ "catalog": "$CATALOG", "stateDirectory": "$STATE", "adapters": ["$PI_HCI"], "visibleName": "Info Point",
  "transfersPerAdapter": 1, "linkGapSeconds": 4, "scanSeconds": 2.5, "scanPauseSeconds": 0.5, "statsFlushSeconds": 2 }
JSON
NFILES=$(python3 -c "
import json; m=json.load(open('$CATALOG/catalog.json')); print(sum(1 for a in m['announcements'] if a.get('approval')))")
"$PSACASTER" broadcast --config psacaster.json > service.out 2> service.log &
SVC=$!
settled() {
    [ "$(decisions 2 decline)" -ge 1 ] || return 1
    for i in $(seq 1 "$PHONE_COUNT"); do [ "$i" = 2 ] || [ "$(decisions "$i" accept)" -ge "$NFILES" ] || return 1; done
}
T0=$(now)
for i in $(seq 2 "$PHONE_COUNT"); do
    wait_for 90 at_least $((i - 1)) '[a-z]*' 1
    log "phone $i becomes discoverable"
    phone_discoverable "$i" on
done
wait_for 240 settled || log "not every phone was served in time"
timing demo_all_phones "$(elapsed "$T0" "$(now)")"
sleep 1
kill -TERM "$SVC"; wait "$SVC"
psa status --state-dir "$STATE" > status.txt 2>&1
{
    echo "The Pi (visible as \"Info Point\") broadcast the sample catalog to $PHONE_COUNT virtual phones:"
    for i in $(seq 1 "$PHONE_COUNT"); do
        got=""
        for f in "$RECV_ROOT/phone-$i"/*; do
            [ -f "$f" ] || continue
            ok=no
            [ "$(sha256 "$f")" = "$(sha256 "$(find "$CATALOG" -name "$(basename "$f")" | head -1)")" ] && ok=intact
            got="$got $(basename "$f") ($(( ($(stat -c %s "$f") + 512) / 1024 )) KB, $ok),"
        done
        if [ -n "$got" ]; then echo "  phone $i received:${got%,}"
        elif [ "$(decisions "$i" decline)" -ge 1 ]; then echo "  phone $i was asked once and declined: nothing sent, never asked again"
        else echo "  phone $i received nothing"; fi
    done
    echo
    echo "What the service logged (no addresses, no names; phones are per-run numbers):"
    sed 's/^/  /' service.log
    echo
    echo "psacaster status afterwards:"
    sed 's/^/  /' status.txt
} > demo.txt
cat demo.txt
check "every accepting phone got every file" settled
