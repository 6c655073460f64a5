#!/usr/bin/env bash
# The main job on the embedded default: broadcast the sample catalog (Audio/).
# With a Bluetooth adapter: the real service, until Ctrl-C.
# Without one: the same service inside the project's BlueZ VM, against three
# virtual phones, then what each phone received.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build 2>&1 | grep -E "error|warning: unre" || true
PSA=.build/debug/psacaster
[ -x "$PSA" ] || { echo "demo: the build failed; run 'swift build' to see why" >&2; exit 1; }

if ls /sys/class/bluetooth/hci* >/dev/null 2>&1; then
    STATE=${PSACASTER_DEMO_STATE:-$PWD/.demo-state}
    echo "demo: Bluetooth adapter found. Broadcasting the sample catalog as \"Info Point\"."
    echo "demo: open Bluetooth settings on a phone nearby to receive it. Ctrl-C stops; then 'psacaster status --state-dir $STATE'."
    [ "$(id -u)" = 0 ] || echo "demo: not root: if you see 'permission denied', run: sudo setcap cap_net_raw,cap_net_admin+eip $PSA"
    exec "$PSA" broadcast --catalog Audio --state-dir "$STATE"
fi

echo "demo: no Bluetooth adapter here, so the service runs inside the project's VM"
echo "demo: (a real Linux kernel + BlueZ with virtual controllers: one Pi, three phones)."
echo "demo: booting it takes about a minute, the broadcast another two or three..."
if vm/run.sh --phones 3 broadcast-demo > .demo-vm.log 2>&1; then
    echo
    cat "${PSACASTER_VM_WORK:-vm/work}/out/scenarios/broadcast-demo/demo.txt"
    echo
    echo "demo: done. The same service without a VM, with 11 simulated phones: $PSA broadcast --simulate demo"
else
    echo "demo: the VM run did not complete (log: .demo-vm.log); showing the simulated phones instead:" >&2
    tail -n 5 .demo-vm.log >&2 || true
    tmp=$(mktemp -d)
    "$PSA" broadcast --simulate demo --catalog Audio --state-dir "$tmp"
    rm -rf "$tmp"
fi
