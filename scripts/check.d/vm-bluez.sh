#!/usr/bin/env bash
# End-to-end Bluetooth tests against a real BlueZ stack in the VM (vm/run.sh):
# one boot, several scenarios (receive too), one link at a time. Prints the timings.
set -uo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/debug/psacaster ] || swift build >/dev/null 2>&1 || { echo "vm-bluez: swift build failed"; exit 1; }
PSACASTER_VM_OUT="$PWD/vm/work/out-bluez" exec vm/run.sh --phones 3 harness-smoke bt-scan bt-push bt-decline bt-no-opp bt-serve bt-link-lost receive bt-errors
