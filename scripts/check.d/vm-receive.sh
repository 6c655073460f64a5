#!/usr/bin/env bash
# psacaster receive against a real BlueZ stack in the VM: obexd's client on an
# allowlisted phone delivers into the inbox, another phone is refused.
set -uo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/debug/psacaster ] || swift build >/dev/null 2>&1 || { echo "vm-receive: swift build failed"; exit 1; }
exec vm/run.sh --phones 3 receive
