#!/bin/bash
# The guest side of vm/run.sh (run by init.sh, chrooted into the host root).
# Starts the stack once, then runs each scenario in its own bash process with
# the helpers of lib.sh, restoring the phones between scenarios.
set -u
VM_OUT=${VM_OUT:-/run/psa-out}
. "$VM_OUT/run.env"
export VM_OUT VM_REPO VM_DIR PHONE_COUNT VM_DEBUG PSACASTER
mkdir -p /run/psa-vm
. "$VM_DIR/guest/lib.sh"
: > "$VM_OUT/result.env"
T_SESSION0=$(now)
die() { log "FATAL: $*"; diagnostics; exit 3; }
diagnostics() {
    hciconfig -a > "$VM_OUT/hciconfig.txt" 2>&1
    kill "${BTMON_PID:-0}" 2>/dev/null; sleep 0.3   # the host decodes the trace (fast there)
}

btmon -w "$VM_OUT/hci.btsnoop" >/dev/null 2>&1 &
BTMON_PID=$!
mkdir -p /run/dbus
dbus-daemon --system --fork || die "system dbus-daemon"
wait_for 10 test -S /run/dbus/system_bus_socket || die "no system bus"
SESSION_BUS=unix:path=/run/psa-vm/session-bus
dbus-daemon --config-file="$VM_DIR/guest/session-bus.conf" --fork || die "session dbus-daemon"

N=$((PHONE_COUNT + 1))
btvirt -l$N > "$VM_OUT/btvirt.log" 2>&1 &
wait_for 30 test -e /sys/class/bluetooth/hci$PHONE_COUNT || die "btvirt did not create $N controllers"
DFLAG=""; [ "$VM_DEBUG" = 1 ] && DFLAG=-d
# --compat: the legacy SDP socket (/run/sdp) for sdptool and sdp_record_register()
/usr/libexec/bluetooth/bluetoothd -n -C $DFLAG -f "$VM_DIR/guest/main.conf" > "$VM_OUT/bluetoothd.log" 2>&1 &
python3 "$VM_DIR/guest/adapters.py" setup "$PHONE_COUNT" > "$VM_OUT/adapters-setup.log" 2>&1 \
    || die "adapter setup over D-Bus failed ($(tail -n 1 "$VM_OUT/adapters-setup.log"))"
python3 "$VM_DIR/guest/pairing-agent.py" /run/psa-vm/pairing.log /run/psa-vm/pairing-agent.ready >> "$VM_OUT/pairing-agent.log" 2>&1 &
wait_for 20 test -f /run/psa-vm/pairing-agent.ready || die "pairing agent did not register"
log "controllers + bluetoothd + adapter setup + pairing agent done"
bdaddr() { hciconfig "$1" | awk '/BD Address/{print $3}'; }
{
    echo "SESSION_BUS=$SESSION_BUS"
    echo "PI_HCI=hci0"; echo "PI_INDEX=0"; echo "PI_ADDR=$(bdaddr hci0)"
    for i in $(seq 1 "$PHONE_COUNT"); do
        echo "PHONE_HCI_$i=hci$i"; echo "PHONE_INDEX_$i=$i"
        echo "PHONE_ADDR_$i=$(bdaddr hci$i)"; echo "PHONE_NAME_$i=phone-$i"
    done
    [ -f "$VM_OUT/media/sample.opus" ] && echo "SAMPLE_OPUS=$VM_OUT/media/sample.opus" || echo "SAMPLE_OPUS="
} > /run/psa-vm/state.env
sed 's/^/export /' /run/psa-vm/state.env > /run/psa-vm/state.env.x && mv /run/psa-vm/state.env.x /run/psa-vm/state.env
. /run/psa-vm/state.env
for i in $(seq 1 "$PHONE_COUNT"); do echo "$(phone_var ADDR $i) $i"; done > /run/psa-vm/phones
: > /run/psa-vm/behaviour
for i in $(seq 1 "$PHONE_COUNT"); do btmgmt --index "$i" class 2 12 >/dev/null 2>&1; done
log "obexd starting"
obexd_start || die "obexd"
T_READY=$(now)
timing session_stack_ready "$(elapsed "$T_SESSION0" "$T_READY")"
log "stack ready: Pi $PI_ADDR; phones $(for i in $(seq 1 "$PHONE_COUNT"); do printf '%s ' "$(phone_var ADDR $i)"; done)"

restore_phones() {
    [ -f /run/psa-vm/dropper.pid ] && kill "$(cat /run/psa-vm/dropper.pid)" 2>/dev/null; rm -f /run/psa-vm/dropper.pid
    for i in $(seq 1 "$PHONE_COUNT"); do
        btmgmt --index "$i" info 2>/dev/null | grep -q 'current settings:.*powered' || phone_power "$i" on
    done
    : > /run/psa-vm/behaviour
    [ -f /run/psa-vm/obexd.pid ] && [ -f /run/psa-vm/agent.pid ] && kill -0 "$(cat /run/psa-vm/obexd.pid)" 2>/dev/null \
        || obexd_start || log "could not restart obexd"
    drain_links 30
}

RC=0
for f in "${VM_SCENARIOS[@]}"; do
    name=$(basename "$f" .sh)
    mkdir -p "$VM_OUT/scenarios/$name"
    rm -f /run/psa-vm/fail-reason
    : > "$AGENT_LOG"        # decisions counts this scenario's pushes only
    log "---- scenario $name"
    T0=$(now)
    SCENARIO=$name SCENARIO_OUT=$VM_OUT/scenarios/$name timeout -k 5 "${VM_SCENARIO_TIMEOUT:-300}" \
        bash -c 'set -u; . "$VM_DIR/guest/lib.sh"; cd "$SCENARIO_OUT"; . "$0" "$@"' "$f" "${VM_SCENARIO_ARGS[@]+"${VM_SCENARIO_ARGS[@]}"}" \
        2>&1 | tee "$VM_OUT/scenarios/$name.log"
    src=${PIPESTATUS[0]}
    T1=$(now)
    if [ "$src" = 0 ]; then
        echo "SCENARIO $name PASS $(elapsed "$T0" "$T1")s" >> "$VM_OUT/result.env"
    else
        why=$(cat /run/psa-vm/fail-reason 2>/dev/null || echo "exit $src")
        [ "$src" = 124 ] && why="timed out after ${VM_SCENARIO_TIMEOUT:-300}s"
        echo "SCENARIO $name FAIL $(elapsed "$T0" "$T1")s: $why" >> "$VM_OUT/result.env"
        RC=1
    fi
    cp "$AGENT_LOG" "$VM_OUT/scenarios/$name/agent-decisions.log" 2>/dev/null
    log "---- scenario $name: $(tail -n 1 "$VM_OUT/result.env")"
    [ "$f" = "${VM_SCENARIOS[-1]}" ] || restore_phones
done
obexd_stop
cp /run/psa-vm/pairing.log "$VM_OUT/pairing-requests.log" 2>/dev/null
diagnostics
exit $RC
