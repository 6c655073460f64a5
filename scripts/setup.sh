#!/usr/bin/env bash
# Installs every Debian package PSACaster needs to build, run its demo and
# pass its tests. Idempotent: installs only what is missing, and says what.
# Needs root (or sudo) on Debian bookworm / Raspberry Pi OS.
#
#   scripts/setup.sh            build + runtime + tests + VM harness
#   scripts/setup.sh --runtime  only what a Pi running the service needs
set -euo pipefail

BUILD="pkg-config libopus-dev libogg-dev libsndfile1-dev libsoxr-dev libebur128-dev libasound2-dev libbluetooth-dev nettle-dev"
RUNTIME="bluez alsa-utils"
# outside tools the tests check our output with, and test-signal makers
TESTS="opus-tools sox libsox-fmt-all espeak-ng ffmpeg obexftp python3-venv python3-pip"
# the BlueZ VM harness: a real kernel + BlueZ stack with virtual controllers
case "$(dpkg --print-architecture 2>/dev/null || uname -m)" in
    arm64|aarch64) QEMU=qemu-system-arm ;;
    *) QEMU=qemu-system-x86 ;;
esac
VM="$QEMU busybox-static bluez bluez-obexd bluez-test-tools dbus python3-dbus python3-gi cpio kmod"

want="$BUILD $RUNTIME $TESTS $VM"
[ "${1:-}" = "--runtime" ] && want="$BUILD $RUNTIME"

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "setup: all Debian packages present"
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: no Swift toolchain on PATH. Install Swift 6 (swift.org 'Linux' instructions, or /opt/swift on our machines) and add its usr/bin to PATH." >&2
    exit 1
fi

# Python tools for tests and benchmarks live in a venv of the project's own
# (PyPI: PyOBEX as a foreign OBEX peer; pesq/pystoi for bench/encode).
if [ "${1:-}" != "--runtime" ]; then
    VENV=${PSACASTER_VENV:-$(cd "$(dirname "$0")/.." && pwd)/.venv}
    if [ ! -x "$VENV/bin/python" ]; then
        echo "setup: creating Python venv $VENV"
        python3 -m venv "$VENV"
    fi
    # PyOBEX declares PyBluez, which no longer builds; we use PyOBEX only on
    # plain sockets (TCP), so it is installed without its dependencies.
    "$VENV/bin/python" -m pip show PyOBEX >/dev/null 2>&1 || {
        echo "setup: pip installing PyOBEX (without PyBluez) into $VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps "PyOBEX==0.31"
    }
fi
echo "setup: done"
