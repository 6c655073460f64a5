#!/usr/bin/env bash
# The broadcast service end to end against the real BlueZ stack in the VM
# (one boot, 5 virtual phones): vm/scenarios/broadcast.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/debug/psacaster ] || swift build >/dev/null 2>&1 || { echo "vm-broadcast: swift build failed"; exit 1; }
PSACASTER_VM_OUT="$PWD/vm/work/out-broadcast" exec vm/run.sh --phones 5 broadcast
