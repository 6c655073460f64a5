# Helpers for VM scenarios (sourced by session.sh and by every scenario).
# Runs inside the guest. See vm/README.md for the scenario interface.
#
# Environment a scenario can use:
#   PSACASTER      the psacaster binary built in the checkout (host path, read-only)
#   VM_REPO        the checkout; VM_DIR its vm/ directory
#   VM_OUT         writable results dir (host: vm/work/out); SCENARIO_OUT = VM_OUT/scenarios/NAME
#   PI_HCI PI_INDEX PI_ADDR              the Pi controller (hci0)
#   PHONE_COUNT, PHONE_ADDR_n PHONE_HCI_n PHONE_INDEX_n PHONE_NAME_n   (n = 1..PHONE_COUNT)
#   RECV_ROOT      obexd stores what phone n accepted in RECV_ROOT/phone-n/
#   AGENT_LOG      one line per push decision: "accept|decline phone-n NAME SIZE"
#   SAMPLE_OPUS    a small valid Ogg Opus file made on the host (may be empty if tools were missing)
VM_STATE=/run/psa-vm
RECV_ROOT=/tmp/obex-recv
AGENT_LOG=$VM_STATE/agent-decisions.log
[ -f "$VM_STATE/state.env" ] && . "$VM_STATE/state.env"

now()     { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
log()     { echo "[$(now)] ${SCENARIO:-session}: $*"; }
# result KEY VALUE: one line in out/result.env (prefix it with your scenario's name)
result()  { echo "$1=$2" >> "$VM_OUT/result.env"; log "result $1=$2"; }
# timing KEY SECONDS: printed by vm/run.sh in the summary as "time KEY"
timing()  { result "T_$1" "$2"; }
# fail MESSAGE: ends the scenario as failed
fail()    { log "FAIL: $*"; echo "$*" > "$VM_STATE/fail-reason"; exit 1; }
# check DESCRIPTION CMD...: fail unless CMD succeeds
check()   { local what=$1; shift; if "$@"; then log "ok: $what"; else fail "$what"; fi; }
# wait_for TIMEOUT_S CMD...: poll CMD (quietly) until it succeeds; 1 on timeout
wait_for() {
    local end; end=$(awk -v a="$(now)" -v t="$1" 'BEGIN{print a+t}'); shift
    until "$@" >/dev/null 2>&1; do
        awk -v a="$(now)" -v e="$end" 'BEGIN{exit !(a>e)}' && return 1
        sleep 0.2
    done
}
sha256() { sha256sum "$1" | cut -d' ' -f1; }

# ---- phones
phone_var() { local v="PHONE_$1_$2"; echo "${!v}"; }     # phone_var ADDR 2
phone_power() { # phone_power N on|off   (btmgmt: works while bluetoothd runs)
    local idx; idx=$(phone_var INDEX "$1")
    btmgmt --index "$idx" power "$2" >/dev/null 2>&1 || return 1
    if [ "$2" = on ]; then
        btmgmt --index "$idx" class 2 12 >/dev/null 2>&1       # Phone / Smartphone
        btmgmt --index "$idx" discov on >/dev/null 2>&1
    fi
}
phone_discoverable() { # phone_discoverable N on|off
    python3 "$VM_DIR/guest/adapters.py" discoverable "$(phone_var HCI "$1")" "$2"
}
# phone_behaviour N accept|decline|delay:SECONDS  (what phone N's user does with a push)
phone_behaviour() {
    local addr; addr=$(phone_var ADDR "$1")
    { grep -v -i "^$addr " "$VM_STATE/behaviour" 2>/dev/null; echo "$addr $2"; } > "$VM_STATE/behaviour.new"
    mv "$VM_STATE/behaviour.new" "$VM_STATE/behaviour"
}
received_path() { echo "$RECV_ROOT/phone-$1/$2"; }     # received_path N NAME
# decisions N [accept|decline]: how many pushes phone N's user was asked about
decisions() { grep -c "^${2:-[a-z]*} phone-$1 " "$AGENT_LOG" 2>/dev/null || true; }
# drop_link_when_receiving N [MIN_BYTES]: in the background, power phone N off
# as soon as it has stored MIN_BYTES (default 16384) of any incoming file;
# the guest uptime of the power-off goes to $VM_STATE/dropped-at.
drop_link_when_receiving() {
    local n=$1 min=${2:-16384} dir="$RECV_ROOT/phone-$1"
    rm -f "$VM_STATE/dropped-at"
    ( end=$(( $(date +%s) + 120 ))
      while [ "$(date +%s)" -lt "$end" ]; do
          for f in "$dir"/*; do
              size=$(stat -c %s "$f" 2>/dev/null) || continue
              [ "$size" -ge "$min" ] && {
                  now > "$VM_STATE/dropped-at"; phone_power "$n" off
                  log "phone $n powered off mid-transfer at $size bytes"; exit 0; }
          done
          sleep 0.05
      done ) &
    echo $! > "$VM_STATE/dropper.pid"
}

# ---- obexd, the phones' OBEX server
# obexd_start [--no-opp] [--auto]: obexd on the session bus. Default: every push
# goes through obex-agent.py (phone_behaviour decides). --auto: obexd -a into
# RECV_ROOT itself (no per-phone folders). --no-opp: without its Object Push
# plugin, so no phone has an OPP SDP record (FTP etc. stay registered).
obexd_start() {
    local auto=0 noopp=0 args=()
    for a in "$@"; do case "$a" in --auto) auto=1;; --no-opp) noopp=1;; esac; done
    obexd_stop
    mkdir -p "$RECV_ROOT"
    [ "$auto" = 1 ] && args+=(-a)
    [ "$noopp" = 1 ] && args+=(-P opp)
    [ "${VM_DEBUG:-0}" = 1 ] && args+=(-d)
    DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS /usr/libexec/bluetooth/obexd -n -r "$RECV_ROOT" "${args[@]}" \
        >> "$VM_OUT/obexd.log" 2>&1 &
    echo $! > "$VM_STATE/obexd.pid"
    wait_for 20 obexd_owns_name || { log "obexd did not start"; return 1; }
    if [ "$auto" = 0 ] && [ "$noopp" = 0 ]; then
        rm -f "$VM_STATE/agent.ready"
        DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS python3 "$VM_DIR/guest/obex-agent.py" "$VM_STATE/behaviour" \
            "$VM_STATE/phones" "$RECV_ROOT" "$AGENT_LOG" "$VM_STATE/agent.ready" >> "$VM_OUT/obex-agent.log" 2>&1 &
        echo $! > "$VM_STATE/agent.pid"
        wait_for 20 test -f "$VM_STATE/agent.ready" || { log "obex agent did not register"; return 1; }
    fi
    # bluetoothd publishes the record (and the Object Transfer class bit) once
    # obexd has registered its profiles
    if [ "$noopp" = 0 ]; then
        wait_for 20 sh -c "sdptool browse local | grep -q 'OBEX Object Push'" || { log "no OPP record after obexd start"; return 1; }
    fi
}
obexd_owns_name() {
    dbus-send --bus="$SESSION_BUS" --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
        string:org.bluez.obex 2>/dev/null | grep -q "boolean true"
}
obexd_stop() {
    local p
    for p in agent obexd; do
        [ -f "$VM_STATE/$p.pid" ] || continue
        kill "$(cat "$VM_STATE/$p.pid")" 2>/dev/null
        wait_for 10 sh -c "! kill -0 $(cat "$VM_STATE/$p.pid")"
        rm -f "$VM_STATE/$p.pid"
    done
    wait_for 10 sh -c "! sdptool browse local | grep -q 'OBEX Object Push'" || log "OPP record still present after obexd stop"
}

# ---- links: btvirt forwards ACL data under the sender's connection handle, so
# a new link only works when both ends pick the same handle number. Keep one
# link at a time and call drain_links before the next one.
links_up() { local h; for h in /sys/class/bluetooth/hci*; do hcitool -i "${h##*/}" con 2>/dev/null | tail -n +2 | grep -q . && return 0; done; return 1; }
no_links() { ! links_up; }
drain_links() { # drain_links [TIMEOUT_S]
    wait_for "${1:-30}" no_links || { log "links still up after ${1:-30}s"; return 1; }
}

# ---- psacaster
# psa ARGS...: runs the checkout's psacaster, its output also in the scenario log
psa() { "$PSACASTER" "$@"; }
