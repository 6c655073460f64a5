#!/usr/bin/env bash
# The main job on the embedded default: broadcast the sample catalog.
# With a Bluetooth adapter: the real service. Without one: the same service
# inside the project's BlueZ VM, against several virtual phones.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "demo: not wired yet (see issue 5)"; exit 1
